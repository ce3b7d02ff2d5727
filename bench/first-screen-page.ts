/**
 * Served by the dev server for bench/first-screen-profile.ts: the app's start-up steps with the
 * sample, every statement counted and timed by what it does, in the page (Chromium).
 */
import type { Table } from 'apache-arrow';
import type { Database, SqlValue } from '../src/db/database.ts';
import { openBrowserRuntime } from '../src/db/browser.ts';
import { Lab } from '../src/sot/lab.ts';
import { readingAhead, sampleFiles } from '../src/ui/source-files.ts';

export interface StatementStats {
  kind: string;
  count: number;
  ms: number;
}

/** What a statement does, from its first words: 'SELECT count', 'DESCRIBE', 'INSERT INTO raw_'... */
function kindOf(sql: string): string {
  const s = sql.trim().replace(/\s+/g, ' ');
  const m = /^(\w+)( \w+)?/.exec(s);
  if (/^SELECT count\(\*\) FILTER/.test(s)) return 'SELECT checks (count FILTER)';
  if (/duckdb_tables/.test(s)) return 'SELECT duckdb_tables (stage exists)';
  if (/SEMI JOIN/.test(s)) return 'SELECT mayOverlap';
  if (/^SELECT \* FROM \(SELECT count\(\*\) AS n_rows/.test(s)) return 'SELECT checks (one query)';
  if (/GROUP BY .* HAVING count/.test(s)) return 'SELECT key dups';
  if (/DISTINCT window_days/.test(s)) return 'SELECT window_days';
  if (/NOT IN \(/.test(s) && /GROUP BY 1/.test(s)) return 'SELECT known values';
  if (/^SELECT count\(\*\) AS n FROM "?_stage/.test(s)) return 'SELECT count rows';
  if (/NOT EXISTS/.test(s)) return 'SELECT unmatched features';
  if (/_loaded_files WHERE sha256/.test(s)) return 'SELECT already loaded';
  if (/^INSERT INTO _loaded_files/.test(s)) return 'INSERT _loaded_files';
  if (/^INSERT INTO "?raw_/.test(s)) return 'INSERT raw';
  if (/^CREATE OR REPLACE VIEW/.test(s)) return 'CREATE VIEW';
  return m ? m[0] : s.slice(0, 20);
}

function instrument(db: Database, stats: Map<string, StatementStats>): Database {
  const time = async <T>(kind: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      const s = stats.get(kind) ?? { kind, count: 0, ms: 0 };
      s.count++;
      s.ms += performance.now() - t0;
      stats.set(kind, s);
    }
  };
  const wrapped: Database = {
    runtime: db.runtime,
    query: (sql: string, params?: readonly SqlValue[], limits?) =>
      time<Table>(kindOf(sql), () => db.query(sql, params, limits)),
    exec: (sql: string, params?: readonly SqlValue[], limits?) =>
      time<void>(kindOf(sql), () => db.exec(sql, params, limits)),
    registerFile: (n, b) => time('registerFile', () => db.registerFile(n, b)),
    dropFile: (n) => time('dropFile', () => db.dropFile(n)),
    insertIPC: (n, b, o) => time('insertIPC', () => db.insertIPC(n, b, o)),
    connect: async () => instrument(await db.connect(), stats),
    close: () => db.close(),
  };
  return wrapped;
}

export interface StartProfile {
  marks: Record<string, number>;
  openStats: StatementStats[];
  loadStats: StatementStats[];
  tablesStats: StatementStats[];
  perFile: { path: string; rows: number; read: number; decode: number; check: number; merge: number }[];
  files: number;
  problems: number;
}

export async function profileStart(): Promise<StartProfile> {
  const t0 = performance.now();
  const marks: Record<string, number> = {};
  const mark = (k: string) => (marks[k] = performance.now() - t0);
  const sample = sampleFiles().then(readingAhead);
  const rt = await openBrowserRuntime();
  mark('runtime open');
  const stats = new Map<string, StatementStats>();
  const db = instrument(rt.db, stats);
  const lab = await Lab.open({ db, parquet: rt.parquet });
  mark('lab open');
  const openStats = [...stats.values()];
  stats.clear();
  const files = await sample;
  mark('sample listed');
  const report = await lab.load(files);
  mark('loaded');
  const loadStats = [...stats.values()].sort((a, b) => b.ms - a.ms);
  stats.clear();
  await lab.tables();
  mark('tables listed');
  const perFile = report.loaded.map((l) => ({ path: l.path, rows: l.rows, ...l.ms }));
  return {
    marks,
    openStats,
    loadStats,
    tablesStats: [...stats.values()],
    perFile,
    files: files.length,
    problems: report.problems.length,
  };
}

/** A second visit's restore, step by step: the sample loaded and kept, then restored into a second database. */
export async function profileRestore(): Promise<Record<string, number>> {
  const { snapshotIntact, restoreChecked } = await import('../src/sot/checked-cache.ts');
  const files = await sampleFiles();
  const lab = await Lab.open(await openBrowserRuntime());
  const report = await lab.load(files);
  const kept = await lab.keepChecked('profile', report);
  const rt = await openBrowserRuntime();
  const fresh = await Lab.open(rt);
  const out: Record<string, number> = {};
  let t = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    out[name] = now - t;
    t = now;
  };
  const copy = structuredClone(kept);
  step('structured clone (as IndexedDB reads it)');
  await snapshotIntact(copy);
  step('digests and Arrow read');
  const stats = new Map<string, StatementStats>();
  const writer = instrument(await rt.db.connect(), stats);
  await restoreChecked(writer, copy);
  step('restore (DuckDB)');
  for (const st of stats.values()) out[`  ${st.kind} x${st.count}`] = st.ms;
  await fresh.tables();
  step('tables listed');
  out['kept bytes'] = [...kept.tables, kept.loadedFiles].reduce((n, x) => n + x.ipc.byteLength, 0);
  return out;
}
