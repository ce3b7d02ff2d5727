/**
 * Served by the dev server for bench/first-screen-profile.ts: the app's start-up steps with the
 * sample, every statement counted and timed by what it does, in the page (Chromium).
 */
import { openBrowserRuntime } from '../src/db/browser.ts';
import { Lab } from '../src/sot/lab.ts';
import { readingAhead, sampleFiles } from '../src/ui/source-files.ts';
import { byTime, instrument, type StatementStats } from './statement-stats.ts';

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
  const loadStats = byTime(stats);
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
