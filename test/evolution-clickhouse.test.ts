/**
 * ClickHouse parity of the evolution labels: the SQL of src/labels/evolution.ts rendered for
 * ClickHouse runs on chdb (installed into tools/chdb on first run) over raw_alerts and raw_features
 * created from the sample's own Parquet files, and every row (deltas, later flags, pattern,
 * range, label) must be exactly the one DuckDB gives over the loaded views, as the proxy rule's
 * parity test (labels-clickhouse.test.ts) checks the rule. Also with a shorter horizon and other
 * thresholds, so both engines bind the configuration the same way.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { EVOLUTION_COLUMNS, evolutionLabelsQuery, type EvolutionOptions } from '../src/labels/evolution.ts';
import { EVOLUTION_VIEW, evolutionLabelsClickHouse } from '../src/labels/evolution-clickhouse.ts';
import type { Lab } from '../src/sot/lab.ts';
import { PatternThresholdsSchema } from '../src/validator/config.ts';
import { memFile } from './fixtures/files.ts';
import { chRows, openChdb, type ChdbSession } from './labels-chdb.ts';
import { freshLab } from './labels-fixtures.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The committed sample, or another snapshot folder (LABEL_LAB_SAMPLE_DIR, as for the app). */
const SAMPLE_DIR = resolve(process.env.LABEL_LAB_SAMPLE_DIR ?? join(ROOT, 'sample-data'));
const SAMPLE_SNAPSHOTS = join(SAMPLE_DIR, 'snapshots');

const OPTIONS: [string, EvolutionOptions][] = [
  ['the validator defaults', {}],
  // 2025-10-06 -> 10-13 and 2025-11-05 -> 11-12: only the addresses both snapshots happen to export.
  ['a 7-day horizon', { horizonDays: 7 }],
  [
    // Every pattern occurs with these (the sample has no dormant alert at the validator's bars).
    'lower growth bars and other ranges',
    {
      patterns: PatternThresholdsSchema.parse({
        expanding_illicit: { degree_delta_pct_above: 40, volume_delta_pct_above: 60.5, velocity_above: 0.9 },
        benign_indicators: { behavioral_anomaly_below: 0.65, expected_range: [0.05, 0.35] },
        dormant: { velocity_below: 0.85 },
      }),
    },
  ],
];

const sqlText = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

let rt: Runtime;
let ch: ChdbSession;
let lab: Lab | undefined;

beforeAll(async () => {
  if (!existsSync(SAMPLE_SNAPSHOTS)) {
    if (process.env.CI) throw new Error(`${SAMPLE_SNAPSHOTS} is missing: the evolution parity test runs on the sample`);
    console.warn(`\n  [chdb evolution parity] ${SAMPLE_SNAPSHOTS} not found: skipped\n`);
    return;
  }
  rt = await openNodeRuntime();
  ch = openChdb();
  const files = (await readdir(SAMPLE_SNAPSHOTS, { recursive: true }))
    .filter((f) => f.endsWith('alerts.parquet') || f.endsWith('features.parquet'))
    .map((f) => `snapshots/${f}`);
  lab = await freshLab(rt);
  const report = await lab.load(
    await Promise.all(files.map(async (f) => memFile(f, new Uint8Array(await readFile(join(SAMPLE_DIR, f)))))),
  );
  const errors = report.problems.filter((p) => p.level === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  for (const table of ['alerts', 'features']) {
    ch.query(`DROP TABLE IF EXISTS raw_${table}`);
    ch.query(
      `CREATE TABLE raw_${table} ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file(${sqlText(join(SAMPLE_SNAPSHOTS, `*/*/*/${table}.parquet`))}, Parquet)`,
    );
  }
}, 600_000);

afterAll(() => {
  ch?.cleanup();
});

interface Row {
  alert_id: string;
  processing_date: string;
  window_days: number;
  address: string;
  later_date: string;
  degree_delta_pct: number;
  volume_delta_pct: number;
  is_mixer_like: boolean | null;
  behavioral_anomaly_score: number | null;
  velocity_score: number | null;
  pattern: string;
  expected_min: number;
  expected_max: number;
  label: number | null;
}

/** The same columns from both engines, dates as text, window and label as numbers. */
const select = (dialect: 'duckdb' | 'clickhouse', sql: string) => {
  const text = (c: string) => (dialect === 'duckdb' ? `CAST(${c} AS VARCHAR)` : `toString(${c})`);
  const int = (c: string) => (dialect === 'duckdb' ? `CAST(${c} AS INTEGER)` : `toInt32(${c})`);
  const cols = EVOLUTION_COLUMNS.map((c) =>
    c === 'processing_date' || c === 'later_date'
      ? `${text(c)} AS ${c}`
      : c === 'window_days'
        ? `${int(c)} AS ${c}`
        : c === 'label'
          ? `${dialect === 'duckdb' ? 'CAST(label AS INTEGER)' : 'toNullable(toInt32(label))'} AS label`
          : c,
  );
  return `SELECT ${cols.join(', ')} FROM (${sql}) AS evolution`;
};

const byKey = (a: Row, b: Row) =>
  a.alert_id < b.alert_id ? -1 : a.alert_id > b.alert_id ? 1 : a.window_days - b.window_days;

describe.skipIf(!existsSync(SAMPLE_SNAPSHOTS))('evolution labels on chdb', () => {
  it('gives exactly the rows DuckDB gives, for every configuration', async () => {
    const chAlerts = Number(chRows<{ n: string }>(ch, 'SELECT count() AS n FROM raw_alerts')[0]!.n);
    expect(chAlerts).toBe(rows<{ n: number }>(await lab!.db.query('SELECT count(*) AS n FROM alerts'))[0]!.n);
    for (const [name, opts] of OPTIONS) {
      const duck = evolutionLabelsQuery(opts);
      const duckRows = rows<Row>(await lab!.db.query(select('duckdb', duck.sql), duck.params));
      const chRowsGot = chRows<Row>(
        ch,
        select('clickhouse', evolutionLabelsQuery({ ...opts, dialect: 'clickhouse' }).sql),
      );
      expect({ name, n: chRowsGot.length }).toEqual({ name, n: duckRows.length });
      expect({ name, rows: chRowsGot.sort(byKey) }).toEqual({ name, rows: duckRows.sort(byKey) });
      const patterns = new Set(duckRows.map((r) => r.pattern));
      console.log(
        `  [chdb evolution parity] ${name}: ${duckRows.length} rows identical (patterns: ${[...patterns].sort().join(', ') || 'none'})`,
      );
      expect(duckRows.length, name).toBeGreaterThan(500);
      expect(patterns.size, name).toBeGreaterThanOrEqual(3);

      // The script a miner runs: its view holds the same rows (run twice: it replaces itself).
      const script = evolutionLabelsClickHouse(opts);
      ch.query(script);
      ch.query(script);
      const viewRows = chRows<Row>(ch, select('clickhouse', `SELECT * FROM ${EVOLUTION_VIEW}`));
      expect({ name, rows: viewRows.sort(byKey) }).toEqual({ name, rows: duckRows });
    }
  });
});
