/**
 * Every DuckDB statement a piece of work sends, counted and timed by what it does: a `Database`
 * wrapped so that each call adds its time to its kind. Used by the first-screen profile (in the
 * page) and the load profile (in Node and in the page); no DOM, no Node-only imports.
 */
import type { Table } from 'apache-arrow';
import type { Database, SqlValue } from '../src/db/database.ts';

export interface StatementStats {
  kind: string;
  count: number;
  ms: number;
}

/** What a statement does, from its first words: 'SELECT count', 'DESCRIBE', 'INSERT raw'... */
export function kindOf(sql: string): string {
  const s = sql.trim().replace(/\s+/g, ' ');
  const m = /^(\w+)( \w+)?/.exec(s);
  if (/^SELECT count\(\*\) AS n_rows/.test(s)) return 'SELECT checks (one scan)';
  if (/duckdb_tables/.test(s)) return 'SELECT duckdb_tables (stage exists)';
  if (/SEMI JOIN/.test(s) || /^SELECT EXISTS \(SELECT 1 FROM "?raw_/.test(s)) return 'SELECT mayOverlap';
  if (/^SELECT \* FROM \(SELECT/.test(s)) return 'SELECT check details';
  if (/^SELECT count\(\*\) AS n, min\(s\./.test(s)) return 'SELECT loaded keys';
  if (/^SELECT count\(\*\) AS n FROM "?_stage/.test(s)) return 'SELECT count rows';
  if (/AND NOT EXISTS \( ?SELECT 1 FROM raw_alerts/.test(s)) return 'SELECT unmatched features';
  if (/^INSERT INTO _loaded_files/.test(s)) return 'INSERT _loaded_files';
  if (/^INSERT INTO "?raw_/.test(s)) return 'INSERT raw (merge)';
  if (/^CREATE OR REPLACE VIEW/.test(s)) return 'CREATE VIEW';
  return m ? m[0] : s.slice(0, 20);
}

/** `db` with every statement (on it and on the connections it opens) added to `stats`. */
export function instrument(db: Database, stats: Map<string, StatementStats>): Database {
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
  return {
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
}

/** The stats, most time first. */
export function byTime(stats: Map<string, StatementStats>): StatementStats[] {
  return [...stats.values()].sort((a, b) => b.ms - a.ms);
}
