/**
 * The native peer for bench:load: the same snapshot's files read by native DuckDB
 * (@duckdb/node-api, a dev dependency used by benchmarks only), each table from all its files in
 * one `read_parquet` (or `read_csv`), then the same first query. It does what native DuckDB does
 * with such files and no more: no sha256 against META.json, no contracts, ranges or keys, so the
 * ratio to it is what Label Lab's checks and the browser together cost.
 */
import { DuckDBInstance, listValue } from '@duckdb/node-api';
import { classify, type SourceFile } from '../src/sot/files.ts';

export interface NativeLoad {
  version: string;
  ms: number;
  alerts: number;
}

/** `files` as filesFromPaths gives them (their paths as on disk). */
export async function nativeLoad(files: SourceFile[]): Promise<NativeLoad> {
  const byTable = new Map<string, { paths: string[]; format: string }>();
  for (const f of files) {
    const c = classify(f);
    if (c.kind !== 'table') continue;
    const entry = byTable.get(c.contract.raw) ?? { paths: [], format: c.format };
    entry.paths.push(f.path);
    byTable.set(c.contract.raw, entry);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const version = String((await conn.runAndReadAll('SELECT version()')).getRows()[0]![0]);
    const t0 = performance.now();
    for (const [table, { paths, format }] of byTable) {
      const reader = format === 'csv' ? 'read_csv' : 'read_parquet';
      await conn.run(`CREATE TABLE "${table}" AS SELECT * FROM ${reader}($1, union_by_name = true)`, [
        listValue(paths),
      ]);
    }
    await conn.run(`SELECT count(*) FROM raw_alerts WHERE lower(severity) IN ('high', 'critical')`);
    const ms = performance.now() - t0;
    const alerts = Number((await conn.runAndReadAll('SELECT count(*) FROM raw_alerts')).getRows()[0]![0]);
    return { version, ms, alerts };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
