/**
 * Alert tables for the label tests: hand-written rows for exact expectations, and a seeded
 * random table with every quirk at once (uppercase and padded severities, 'info', NULL
 * severities and confidences, Float32 boundary values, several dates and windows), loaded
 * through the real loader so the rule runs on the normalised views as in the app.
 */
import { rows } from '../src/db/database.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { LABEL_EVENTS_TABLE } from '../src/migrations/index.ts';
import { Lab } from '../src/sot/lab.ts';
import { memFile, parquetOf } from './fixtures/files.ts';

/** One hand-written alert: severity as exported, confidence before Float32 rounding. */
export interface AlertRow {
  id: string;
  severity: string | null;
  confidence: number | null;
  typology?: string;
  date?: string;
  window?: number;
  address?: string;
}

const sqlText = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);

/** SQL for alerts with the export's types (Float32 confidence, USMALLINT window). */
export function handAlertsSql(list: AlertRow[]): string {
  const values = list
    .map(
      (a) =>
        `(${sqlText(a.id)}, ${sqlText(a.severity)}, ${a.confidence === null ? 'NULL' : a.confidence}, ${sqlText(a.typology ?? 'PEEL_CHAIN')}, ` +
        `'${a.date ?? '2026-01-05'}', ${a.window ?? 7}, ${sqlText(a.address ?? `addr-${a.id}`)})`,
    )
    .join(',\n');
  return `SELECT CAST(w AS USMALLINT) AS window_days, CAST(d AS DATE) AS processing_date, id AS alert_id, addr AS address,
    typ AS typology_type, sev AS severity, CAST(c AS FLOAT) AS alert_confidence_score
  FROM (VALUES ${values}) AS v(id, sev, c, typ, d, w, addr)`;
}

/**
 * A seeded pseudo-random table of `n` alerts. Confidences are Float32 of 3-decimal values, with
 * the boundaries 0.7 and 0.3 and NULLs over-represented, so ties with thresholds are common.
 */
export function randomAlertsSql(n: number, seed = 1): string {
  const h = (salt: number) => `(hash(i * 7919 + ${seed * 104729 + salt}) % 1000000) / 1000000.0`;
  return `SELECT
    CAST([7, 30, 90][1 + CAST(floor(${h(1)} * 3) AS INTEGER)] AS USMALLINT) AS window_days,
    CAST(DATE '2026-01-05' + CAST(floor(${h(2)} * 4) AS INTEGER) * 7 AS DATE) AS processing_date,
    'alert-' || i AS alert_id,
    'addr-' || (i % ${Math.max(1, Math.floor(n / 3))}) AS address,
    CASE WHEN ${h(3)} < 0.03 THEN NULL
      ELSE ['PEEL_CHAIN', 'STRUCTURING', 'PING_PONG', 'FRESH_TO_EXCHANGE'][1 + CAST(floor(${h(3)} * 4) AS INTEGER)] END AS typology_type,
    CASE WHEN ${h(4)} < 0.02 THEN NULL
      ELSE ['low', 'medium', 'high', 'critical', 'HIGH', 'Critical ', 'info', 'MEDIUM'][1 + CAST(floor(${h(4)} * 8) AS INTEGER)] END AS severity,
    CAST(CASE
      WHEN ${h(5)} < 0.05 THEN NULL
      WHEN ${h(5)} < 0.15 THEN 0.7
      WHEN ${h(5)} < 0.25 THEN 0.3
      ELSE round(${h(6)}, 3) END AS FLOAT) AS alert_confidence_score
  FROM range(${n}) AS t(i)`;
}

/** Ground truth for about half of the alerts of `alertsSql`, seeded. */
export function truthSql(alertsSql: string, seed = 1): string {
  return `SELECT alert_id, address, processing_date, (hash(alert_id || '${seed}') % 3) = 0 AS is_illicit
  FROM (${alertsSql}) WHERE hash(alert_id || 'truth${seed}') % 2 = 0`;
}

/** A fresh lab in the runtime, with everything previous dropped. */
export async function freshLab(rt: Runtime): Promise<Lab> {
  const objects = rows<{ n: string; t: string }>(
    await rt.db.query(
      `SELECT table_name AS n, table_type AS t FROM information_schema.tables WHERE table_schema = 'main'`,
    ),
  );
  for (const o of objects.filter((o) => o.t === 'VIEW')) await rt.db.exec(`DROP VIEW IF EXISTS "${o.n}"`);
  for (const o of objects.filter((o) => o.t !== 'VIEW')) await rt.db.exec(`DROP TABLE IF EXISTS "${o.n}" CASCADE`);
  const temps = rows<{ n: string }>(await rt.db.query(`SELECT table_name AS n FROM duckdb_tables() WHERE temporary`));
  for (const t of temps) await rt.db.exec(`DROP TABLE IF EXISTS temp."${t.n}"`);
  const sequences = rows<{ n: string }>(await rt.db.query(`SELECT sequence_name AS n FROM duckdb_sequences()`));
  for (const s of sequences) await rt.db.exec(`DROP SEQUENCE IF EXISTS "${s.n}"`);
  const types = rows<{ n: string }>(
    await rt.db.query(`SELECT type_name AS n FROM duckdb_types() WHERE NOT internal AND schema_name = 'main'`),
  );
  for (const t of types) await rt.db.exec(`DROP TYPE IF EXISTS "${t.n}"`);
  return Lab.open(rt);
}

/** Load alerts (and optionally ground truth) given as SQL into a fresh lab; fail on any problem. */
export async function labWith(rt: Runtime, alertsSql: string, opts: { truthSql?: string } = {}): Promise<Lab> {
  const lab = await freshLab(rt);
  const files = [memFile('alerts.parquet', await parquetOf(rt, alertsSql))];
  if (opts.truthSql) files.push(memFile('ground_truth.parquet', await parquetOf(rt, opts.truthSql)));
  const report = await lab.load(files);
  const errors = report.problems.filter((p) => p.level === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return lab;
}

export interface LabelEvent {
  alertId?: string;
  address?: string;
  label: 0 | 1;
  source: 'miner' | 'community' | 'validated' | 'proxy';
  labeledAt?: string;
}

/** Explicit labels as label_events rows. */
export async function addLabelEvents(lab: Lab, events: LabelEvent[]): Promise<void> {
  for (const e of events) {
    await lab.db.exec(
      `INSERT INTO ${LABEL_EVENTS_TABLE} (alert_id, address, label, label_source, label_confidence, labeled_at, labeled_by)
       VALUES ($1, $2, $3, $4, 0.9, CAST($5 AS TIMESTAMP), 'test')`,
      [e.alertId ?? null, e.address ?? null, e.label, e.source, e.labeledAt ?? '2026-02-01T00:00:00Z'],
    );
  }
}

/** Random explicit labels over the alerts of `alertsSql`: alert-level and address-level, seeded. */
export async function addRandomLabelEvents(lab: Lab, alertsSql: string, seed = 1): Promise<void> {
  await lab.db.exec(
    `INSERT INTO ${LABEL_EVENTS_TABLE} (alert_id, address, label, label_source, label_confidence, labeled_at, labeled_by)
     SELECT alert_id, NULL, CAST(hash(alert_id || 'l${seed}') % 2 AS TINYINT),
       ['miner', 'community', 'validated', 'proxy'][CAST(1 + hash(alert_id || 's${seed}') % 4 AS BIGINT)], 0.8, TIMESTAMP '2026-02-01', 'test'
     FROM (SELECT DISTINCT alert_id FROM (${alertsSql})) WHERE hash(alert_id || 'e${seed}') % 5 = 0`,
  );
  await lab.db.exec(
    `INSERT INTO ${LABEL_EVENTS_TABLE} (alert_id, address, label, label_source, label_confidence, labeled_at, labeled_by)
     SELECT NULL, address, CAST(hash(address || 'l${seed}') % 2 AS TINYINT), 'miner', 0.7, TIMESTAMP '2026-01-20', 'test'
     FROM (SELECT DISTINCT address FROM (${alertsSql})) WHERE hash(address || 'a${seed}') % 7 = 0`,
  );
}
