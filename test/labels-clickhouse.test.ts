/**
 * The ClickHouse script: its text, and parity on a real ClickHouse engine (chdb, installed into
 * tools/chdb on first run). The emitted migrations, UPDATE and SELECT run on raw_alerts created
 * from the same Parquet files DuckDB loads, and every row must get exactly the label, source,
 * label_confidence (as Float32), labeled_at and labeled_by that DuckDB gives.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { applyProxyLabels } from '../src/labels/apply.ts';
import { proxyLabelsClickHouse, proxyLabelsClickHouseStatements } from '../src/labels/clickhouse.ts';
import { DEFAULT_CONFIG, parseConfig, ruleSignature, type ProxyLabelConfig } from '../src/labels/config.ts';
import { proxyLabelsQuery } from '../src/labels/proxy-sql.ts';
import { migrationsAsClickHouse, MIGRATIONS } from '../src/migrations/index.ts';
import type { Lab } from '../src/sot/lab.ts';
import { memFile, parquetOf } from './fixtures/files.ts';
import { chRows, openChdb, type ChdbSession } from './labels-chdb.ts';
import { freshLab, randomAlertsSql, type LabelEvent } from './labels-fixtures.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The committed sample, or another snapshot folder (LABEL_LAB_SAMPLE_DIR, as for the app). */
const SAMPLE_DIR = resolve(process.env.LABEL_LAB_SAMPLE_DIR ?? join(ROOT, 'sample-data'));
const SAMPLE_SNAPSHOTS = join(SAMPLE_DIR, 'snapshots');
const LABELED_AT = new Date('2026-03-01T12:00:00Z');

const CONFIGS: [string, ProxyLabelConfig][] = [
  ['the default rule', DEFAULT_CONFIG],
  [
    'conflicts left uncertain, distance weights',
    parseConfig({
      positive: { min_confidence: 0.62 },
      negative: { max_confidence: 0.8 },
      on_conflict: 'uncertain',
      label_confidence: { method: 'distance', floor: 0.3 },
    }),
  ],
  [
    'a quoted, SQL-like name, a constant weight, info positive, no negative severities',
    parseConfig({
      strategy: `it's "ours" \\' ); DROP TABLE raw_alerts; --`,
      positive: { severities: ['info', 'critical'], min_confidence: 0.333333333 },
      negative: { severities: [], max_confidence: 0.7 },
      on_conflict: 'positive',
      label_confidence: { method: 'constant', value: 0.65 },
    }),
  ],
];

describe('the ClickHouse script', () => {
  it('carries the migrations, the UPDATE and the SELECT, with literal values', () => {
    const script = proxyLabelsClickHouse(DEFAULT_CONFIG, { mode: 'both' });
    // The ALTER part comes from src/migrations verbatim.
    for (const statement of MIGRATIONS.flatMap((m) => m.statements('clickhouse')))
      expect(script).toContain(`${statement};`);
    expect(migrationsAsClickHouse()).toContain('ALTER TABLE raw_alerts ADD COLUMN IF NOT EXISTS label Nullable(Int8)');
    expect(script).toContain('ALTER TABLE raw_alerts UPDATE');
    expect(script).toContain('SETTINGS mutations_sync = 2');
    expect(script).toContain("WHERE (label_source IS NULL AND label IS NULL) OR label_source = 'proxy'");
    expect(script).toContain("lower(trimBoth(toString(severity))) IN ('high', 'critical')");
    expect(script).toContain('>= toFloat64(0.7)');
    expect(script).toContain('< toFloat64(0.3)');
    expect(script).toContain('FROM effective_labels');
    expect(script).toContain(`-- rule: ${ruleSignature(DEFAULT_CONFIG)}`);
    expect(script).not.toMatch(/\$\d/);
    expect(proxyLabelsClickHouse(DEFAULT_CONFIG)).not.toContain('SELECT * FROM (');
    expect(proxyLabelsClickHouse(DEFAULT_CONFIG, { mode: 'select' })).not.toContain('ALTER TABLE raw_alerts UPDATE');
    expect(
      proxyLabelsClickHouseStatements(DEFAULT_CONFIG, { mode: 'both' }).map((s) => s.sql.endsWith(';')),
    ).not.toContain(true);
  });

  it('escapes quotes and backslashes in values for ClickHouse', () => {
    const config = CONFIGS[2]![1];
    const update = proxyLabelsClickHouseStatements(config).at(-1)!.sql;
    const escaped = ruleSignature(config).replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    expect(update).toContain(`labeled_by = '${escaped}'`);
    expect(update).toContain('toFloat64(0.333333333)');
  });
});

interface Dataset {
  name: string;
  /** Parquet alerts, as paths relative to `dir`. */
  dir: string;
  files: string[];
  /** ClickHouse's file() glob over the same files. */
  glob: string;
}

let rt: Runtime;
let ch: ChdbSession;
let scratch: string;
const datasets: Dataset[] = [];

beforeAll(async () => {
  rt = await openNodeRuntime();
  ch = openChdb();
  scratch = await mkdtemp(join(tmpdir(), 'label-lab-chdb-'));
  // Every export quirk at once: uppercase and padded severities, 'info', NULLs, Float32 0.7 and 0.3.
  await writeFile(join(scratch, 'alerts.parquet'), await parquetOf(rt, randomAlertsSql(3000, 11)));
  datasets.push({
    name: 'quirky alerts',
    dir: scratch,
    files: ['alerts.parquet'],
    glob: join(scratch, 'alerts.parquet'),
  });
  if (existsSync(SAMPLE_SNAPSHOTS)) {
    const files = (await readdir(SAMPLE_SNAPSHOTS, { recursive: true }))
      .filter((f) => f.endsWith('alerts.parquet'))
      .map((f) => `snapshots/${f}`);
    datasets.push({
      name: 'the sample snapshot',
      dir: SAMPLE_DIR,
      files,
      glob: join(SAMPLE_SNAPSHOTS, '*/*/*/alerts.parquet'),
    });
  } else if (process.env.CI) {
    throw new Error(`${SAMPLE_SNAPSHOTS} is missing: the ClickHouse parity test runs on the committed sample`);
  } else {
    console.warn(`\n  [chdb parity] ${SAMPLE_SNAPSHOTS} not found: only the quirky fixture is checked\n`);
  }
}, 600_000);

afterAll(async () => {
  ch?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A label event, or (with `retracts`, the 1-based position of an earlier one) an undo of it. */
type ParityEvent = LabelEvent & { retracts?: number };

/**
 * Explicit labels for the parity runs, picked from the data: they must win in both engines,
 * except the validated label taken back by the last event, which must win in neither.
 */
function eventsFor(keys: { alert_id: string; address: string }[]): ParityEvent[] {
  const pick = (i: number) => keys[Math.floor((i * keys.length) / 7) % keys.length]!;
  return [
    { alertId: pick(1).alert_id, label: 0, source: 'miner', labeledAt: '2026-02-01T00:00:00Z' },
    { alertId: pick(2).alert_id, label: 1, source: 'validated', labeledAt: '2026-02-02T00:00:00Z' },
    { address: pick(3).address, label: 1, source: 'community', labeledAt: '2026-02-03T00:00:00Z' },
    { alertId: pick(4).alert_id, label: 0, source: 'proxy', labeledAt: '2026-02-04T00:00:00Z' },
    { alertId: pick(5).alert_id, label: 0, source: 'validated', labeledAt: '2026-02-05T00:00:00Z' },
    { alertId: pick(5).alert_id, label: 0, source: 'validated', labeledAt: '2026-02-05T00:01:00Z', retracts: 5 },
  ];
}

async function duckLab(ds: Dataset): Promise<Lab> {
  const lab = await freshLab(rt);
  const files = await Promise.all(
    ds.files.map(async (f) => memFile(f, new Uint8Array(await readFile(join(ds.dir, f))))),
  );
  const report = await lab.load(files);
  const errors = report.problems.filter((p) => p.level === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return lab;
}

const sqlText = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);

interface LabelRow {
  alert_id: string;
  window_days: number;
  d: string;
  label: number | null;
  label_source: string | null;
  label_confidence: number | null;
  ts: number | null;
  labeled_by: string;
}

const byKey = (a: LabelRow, b: LabelRow) =>
  a.alert_id < b.alert_id ? -1 : a.alert_id > b.alert_id ? 1 : a.window_days - b.window_days || a.d.localeCompare(b.d);

/** ClickHouse prints Float32 in its shortest form: widen it the way DuckDB's FLOAT arrives. */
const asFloat32 = (r: LabelRow): LabelRow => ({
  ...r,
  label_confidence: r.label_confidence === null ? null : Math.fround(r.label_confidence),
});

describe('ClickHouse parity on chdb', () => {
  it('runs the emitted migrations, UPDATE and SELECT and gets exactly the labels DuckDB gives', async () => {
    expect(datasets.length).toBeGreaterThan(0);
    for (const ds of datasets) {
      const lab = await duckLab(ds);
      const keys = rows<{ alert_id: string; address: string }>(
        await lab.db.query(`SELECT DISTINCT alert_id, address FROM alerts ORDER BY 1, 2`),
      );
      const events = eventsFor(keys);
      const minerRow = keys[Math.floor(keys.length / 2)]!.alert_id;

      // ClickHouse: raw_alerts straight from the Parquet files, then the emitted migrations.
      ch.query('DROP TABLE IF EXISTS raw_alerts');
      ch.query('DROP TABLE IF EXISTS label_events');
      ch.query(
        `CREATE TABLE raw_alerts ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file(${sqlText(ds.glob)}, Parquet)`,
      );
      ch.query(migrationsAsClickHouse());
      events.forEach((e, i) =>
        ch.query(
          `INSERT INTO label_events (event_id, alert_id, address, label, label_source, label_confidence, labeled_at, labeled_by, retracts)
           VALUES (${i + 1}, ${sqlText(e.alertId ?? null)}, ${sqlText(e.address ?? null)}, ${e.label}, '${e.source}', 0.9,
             toDateTime(${sqlText(e.labeledAt!.slice(0, 19).replace('T', ' '))}, 'UTC'), 'test', ${e.retracts ?? 'NULL'})`,
        ),
      );
      for (const e of events) {
        await lab.db.exec(
          `INSERT INTO label_events (alert_id, address, label, label_source, label_confidence, labeled_at, labeled_by, retracts)
           VALUES ($1, $2, $3, $4, 0.9, CAST($5 AS TIMESTAMP), 'test', $6)`,
          [e.alertId ?? null, e.address ?? null, e.label, e.source, e.labeledAt!, e.retracts ?? null],
        );
      }
      const chCount = Number(chRows<{ n: string }>(ch, 'SELECT count() AS n FROM raw_alerts')[0]!.n);
      expect(chCount).toBe(rows<{ n: number }>(await lab.db.query('SELECT count(*) AS n FROM raw_alerts'))[0]!.n);

      for (const [name, config] of CONFIGS) {
        const context = `${ds.name}, ${name}`;
        // The same starting point in both: no labels but one miner label in its own row.
        await lab.db.exec(
          `UPDATE raw_alerts SET label = NULL, label_source = NULL, label_confidence = NULL, labeled_at = NULL, labeled_by = ''`,
        );
        await lab.db.exec(
          `UPDATE raw_alerts SET label = 1, label_source = 'miner', label_confidence = 0.5, labeled_by = 'hotkey' WHERE alert_id = $1`,
          [minerRow],
        );
        ch.query(
          `ALTER TABLE raw_alerts UPDATE label = NULL, label_source = NULL, label_confidence = NULL, labeled_at = NULL, labeled_by = '' WHERE 1 SETTINGS mutations_sync = 2`,
        );
        ch.query(
          `ALTER TABLE raw_alerts UPDATE label = 1, label_source = 'miner', label_confidence = 0.5, labeled_by = 'hotkey' WHERE alert_id = ${sqlText(minerRow)} SETTINGS mutations_sync = 2`,
        );

        // The whole script, as a miner runs it: migrations again (idempotent), UPDATE, SELECT.
        ch.query(proxyLabelsClickHouse(config, { mode: 'both', labeledAt: LABELED_AT }));
        await applyProxyLabels(lab.db, config, LABELED_AT);

        const stored = `alert_id, window_days, label, label_source, label_confidence, labeled_by`;
        const chStored = chRows<LabelRow>(
          ch,
          `SELECT ${stored}, toString(processing_date) AS d, toFloat64(toUnixTimestamp(labeled_at)) * 1000 AS ts FROM raw_alerts`,
        ).map(asFloat32);
        const duckStored = rows<LabelRow>(
          await lab.db
            .query(`SELECT alert_id, CAST(window_days AS INTEGER) AS window_days, label, CAST(label_source AS VARCHAR) AS label_source,
            label_confidence, labeled_by, CAST(processing_date AS VARCHAR) AS d, epoch_ms(labeled_at) AS ts FROM raw_alerts`),
        );
        expect({ context, rows: chStored.sort(byKey) }).toEqual({ context, rows: duckStored.sort(byKey) });

        // The SELECT (explicit labels first) in both engines.
        const select = proxyLabelsClickHouseStatements(config, { mode: 'select', labeledAt: LABELED_AT }).at(-1)!.sql;
        const chSelected = chRows<LabelRow>(
          ch,
          `SELECT ${stored}, toString(processing_date) AS d, toFloat64(toUnixTimestamp(labeled_at)) * 1000 AS ts FROM (${select})`,
        ).map(asFloat32);
        const q = proxyLabelsQuery(config, { labeledAt: LABELED_AT });
        const duckSelected = rows<LabelRow>(
          await lab.db.query(
            `SELECT ${stored}, CAST(processing_date AS VARCHAR) AS d, epoch_ms(labeled_at) AS ts FROM (${q.sql})`,
            q.params,
          ),
        );
        expect({ context, rows: chSelected.sort(byKey) }).toEqual({ context, rows: duckSelected.sort(byKey) });
        // The explicit labels did win in both.
        expect(duckSelected.some((r) => r.label_source === 'validated')).toBe(true);
        expect(duckSelected.some((r) => r.label_source === 'miner')).toBe(true);
        // The label taken back won in neither.
        expect(duckSelected.filter((r) => r.alert_id === events[4]!.alertId && r.label_source === 'validated')).toEqual(
          [],
        );
      }
      console.log(
        `  [chdb parity] ${ds.name}: ${chCount} alert rows (${relative(ROOT, ds.dir) || ds.dir}), ${CONFIGS.length} configurations identical`,
      );
    }
  });

  it('reads older exports whose severity is an uppercase Enum8 and confidence a Float32', () => {
    ch.query('DROP TABLE IF EXISTS raw_alerts');
    ch.query(`CREATE TABLE raw_alerts (
        alert_id String, address String, window_days UInt16, processing_date Date,
        severity Enum8('LOW' = 1, 'MEDIUM' = 2, 'HIGH' = 3, 'CRITICAL' = 4), alert_confidence_score Float32
      ) ENGINE = MergeTree ORDER BY alert_id`);
    ch.query(`INSERT INTO raw_alerts VALUES
      ('e1', 'a', 7, '2026-01-05', 'HIGH', 0.7), ('e2', 'a', 7, '2026-01-05', 'CRITICAL', 0.69),
      ('e3', 'b', 7, '2026-01-05', 'MEDIUM', 0.95), ('e4', 'c', 7, '2026-01-05', 'HIGH', 0.29)`);
    ch.query(proxyLabelsClickHouse(DEFAULT_CONFIG));
    const got = chRows<{ alert_id: string; label: number | null }>(
      ch,
      'SELECT alert_id, label FROM raw_alerts ORDER BY alert_id',
    );
    expect(got).toEqual([
      { alert_id: 'e1', label: 1 },
      { alert_id: 'e2', label: null },
      { alert_id: 'e3', label: 0 },
      { alert_id: 'e4', label: 0 },
    ]);
  });
});
