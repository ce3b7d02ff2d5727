/**
 * The native peer for bench:proxy: the same counts SQL (proxyCountsQuery, same text, same bound
 * values) in native DuckDB through @duckdb/node-api, a dev dependency used by benchmarks only.
 *
 * The alerts are read from the snapshot's Parquet files into a table, under a view that
 * normalises the two columns the rule reads exactly as the lab's `alerts` view does (lowercased
 * severity; confidence as DOUBLE rounded to 6 decimals): the rule then sees the same values.
 */
import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { proxyCountsQuery } from '../src/labels/proxy-sql.ts';
import type { ProxyLabelConfig } from '../src/labels/config.ts';
import { totalsOf, type LabelTotals } from './proxy-measure.ts';

export interface NativeTimings {
  version: string;
  alerts: number;
  loadMs: number;
  rescanMs: number[];
  /** Label counts of the first move, to check against the cube's. */
  rescanFirst: LabelTotals;
}

export async function nativeRescan(alertsGlob: string, moves: ProxyLabelConfig[]): Promise<NativeTimings> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const version = String((await conn.runAndReadAll('SELECT version()')).getRows()[0]![0]);
    let t0 = performance.now();
    await conn.run(`CREATE TABLE raw_alerts AS SELECT * FROM read_parquet($1, union_by_name = true)`, [alertsGlob]);
    await conn.run(`CREATE VIEW alerts AS SELECT * REPLACE (
        lower(trim(severity)) AS severity,
        round(CAST(alert_confidence_score AS DOUBLE), 6) AS alert_confidence_score)
      FROM raw_alerts`);
    const loadMs = performance.now() - t0;
    const alerts = Number((await conn.runAndReadAll('SELECT count(*) FROM alerts')).getRows()[0]![0]);

    const rescanMs: number[] = [];
    let rescanFirst: LabelTotals = { positive: 0, negative: 0, uncertain: 0 };
    // One unmeasured run warms the caches, as in the other runtimes.
    for (const [i, config] of [moves[0]!, ...moves].entries()) {
      const { sql, params } = proxyCountsQuery(config);
      t0 = performance.now();
      const reader = await conn.runAndReadAll(sql, params as DuckDBValue[]);
      const ms = performance.now() - t0;
      if (i === 0) {
        rescanFirst = totalsOf(
          reader.getRowObjects().map((r) => ({ label: r.label === null ? null : Number(r.label), n: Number(r.n) })),
        );
      } else {
        rescanMs.push(ms);
      }
    }
    return { version, alerts, loadMs, rescanMs, rescanFirst };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
