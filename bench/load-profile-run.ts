/**
 * One load profiled statement by statement, the same in Node and in the page
 * (bench/load-profile.ts): the settings applied, every file loaded through the app's Lab, and
 * DuckDB's memory afterwards. No DOM and no Node-only imports.
 */
import { rows } from '../src/db/database.ts';
import type { Runtime } from '../src/db/runtime.ts';
import type { SourceFile } from '../src/sot/files.ts';
import { Lab } from '../src/sot/lab.ts';
import { byTime, instrument, type StatementStats } from './statement-stats.ts';

export interface LoadProfile {
  /** From Lab.open to the load's report. */
  wallMs: number;
  stats: StatementStats[];
  /** DuckDB's own count (duckdb_memory), after the load. */
  memoryMiB: number;
  loaded: number;
  errors: string[];
}

export async function profileLoad(rt: Runtime, files: SourceFile[], settings: string[]): Promise<LoadProfile> {
  // Global settings (compression methods, checkpoint threshold) reach the loader's connection too.
  for (const sql of settings) await rt.db.exec(sql);
  const stats = new Map<string, StatementStats>();
  const t0 = performance.now();
  const lab = await Lab.open({ db: instrument(rt.db, stats), parquet: rt.parquet });
  const report = await lab.load(files);
  const wallMs = performance.now() - t0;
  const [mem] = rows<{ b: number }>(await rt.db.query(`SELECT sum(memory_usage_bytes) AS b FROM duckdb_memory()`));
  return {
    wallMs,
    stats: byTime(stats),
    memoryMiB: Number(mem?.b ?? 0) / 1024 ** 2,
    loaded: report.loaded.length,
    errors: report.problems.filter((p) => p.level === 'error').map((p) => p.message),
  };
}
