/**
 * What the validator reads from the loaded data, per (processing_date, window_days): the alerts and
 * their addresses (the scored snapshot), the address labels (3A) and the evolution rows (3B, from
 * the evolution-label SQL of src/labels/evolution.ts, which applies this configuration's horizon
 * and pattern thresholds). All from the normalised views; dates travel as 'YYYY-MM-DD' text and
 * every value is a bound parameter.
 *
 * The evolution SQL comes in as a function (EvolutionQuery) rather than an import: src/labels/
 * reads its thresholds from config.ts here, so labels/ sits above validator/ and validator/ must
 * not import it back. Callers above both (the CLI, training, the app) pass evolutionLabelsQuery.
 */
import { ident, rows, type Database, type SqlValue } from '../db/database.ts';
export type { SnapshotKey } from './submission.ts';
import { PATTERN_NAMES, type PatternName, type PatternThresholds, type ValidatorConfig } from './config.ts';
import type { SnapshotKey } from './submission.ts';
import type { AddressLabelRow } from './tier3a.ts';
import type { EvolutionPatternRow } from './tier3b.ts';

/** The evolution-label SQL for a horizon and thresholds: src/labels/evolution.ts's evolutionLabelsQuery. */
export type EvolutionQuery = (opts: { horizonDays: number; patterns: PatternThresholds }) => {
  sql: string;
  params: SqlValue[];
};

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` ('YYYY-MM-DD'), as the coordinator's datetime difference. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Every snapshot of the alerts view with its alert count, oldest first. */
export async function alertSnapshots(db: Database): Promise<(SnapshotKey & { alerts: number })[]> {
  const r = rows<{ processing_date: string; window_days: number; alerts: number | bigint }>(
    await db.query(
      `SELECT strftime(processing_date, '%Y-%m-%d') AS processing_date, CAST(window_days AS INTEGER) AS window_days,
         count(DISTINCT alert_id) AS alerts
       FROM alerts GROUP BY ALL ORDER BY processing_date, window_days`,
    ),
  );
  return r.map((x) => ({ ...x, alerts: Number(x.alerts) }));
}

/** The newest processing_date of any loaded alerts or features: the day the data stands at. */
export async function latestDate(db: Database): Promise<string | null> {
  const r = rows<{ d: string | null }>(
    await db.query(
      `SELECT strftime(max(d), '%Y-%m-%d') AS d FROM (
         SELECT max(processing_date) AS d FROM alerts UNION ALL SELECT max(processing_date) FROM features)`,
    ),
  );
  return r[0]?.d ?? null;
}

/** alert_id to address for one snapshot. */
export async function alertAddresses(db: Database, key: SnapshotKey): Promise<Map<string, string>> {
  const r = rows<{ alert_id: string; address: string }>(
    await db.query(`SELECT alert_id, address FROM alerts WHERE processing_date = CAST(? AS DATE) AND window_days = ?`, [
      key.processing_date,
      key.window_days,
    ]),
  );
  return new Map(r.map((x) => [x.alert_id, x.address]));
}

async function columnsOf(db: Database, view: string): Promise<Set<string>> {
  const r = rows<{ column_name: string }>(await db.query(`DESCRIBE ${ident(view)}`));
  return new Set(r.map((c) => c.column_name));
}

/**
 * The address labels of one snapshot, joined as the validator does on (address, processing_date,
 * window_days). Labels without those columns apply to every snapshot, and `dated` says so.
 */
export async function addressLabels(
  db: Database,
  key: SnapshotKey,
): Promise<{ labels: AddressLabelRow[]; dated: boolean }> {
  const columns = await columnsOf(db, 'address_labels');
  const dated = columns.has('processing_date') && columns.has('window_days');
  const r = rows<AddressLabelRow>(
    dated
      ? await db.query(
          `SELECT address, risk_level FROM address_labels
           WHERE processing_date = CAST(? AS DATE) AND window_days = ? AND risk_level IS NOT NULL`,
          [key.processing_date, key.window_days],
        )
      : await db.query(`SELECT address, risk_level FROM address_labels WHERE risk_level IS NOT NULL`),
  );
  return { labels: r, dated };
}

/** Whether features of the snapshot `horizon_days` after `key` are loaded (3B needs them). */
export async function hasLaterSnapshot(db: Database, key: SnapshotKey, config: ValidatorConfig): Promise<boolean> {
  const later = addDays(key.processing_date, config.tier3_accuracy.tier3b_evolution.horizon_days);
  const r = rows<{ n: number | bigint }>(
    await db.query(
      `SELECT count(*) AS n FROM (SELECT 1 FROM features WHERE processing_date = CAST(? AS DATE) AND window_days = ? LIMIT 1)`,
      [later, key.window_days],
    ),
  );
  return Number(r[0]!.n) > 0;
}

/**
 * The evolution rows of one snapshot (alert_id and pattern), or null when the later snapshot is
 * not loaded at all (3B then waits for data rather than finding no evolution).
 */
export async function evolutionPatterns(
  db: Database,
  key: SnapshotKey,
  config: ValidatorConfig,
  evolutionQuery: EvolutionQuery,
): Promise<EvolutionPatternRow[] | null> {
  if (!(await hasLaterSnapshot(db, key, config))) return null;
  const e = config.tier3_accuracy.tier3b_evolution;
  const q = evolutionQuery({ horizonDays: e.horizon_days, patterns: e.patterns });
  const n = q.params.length;
  const r = rows<{ alert_id: string; pattern: string }>(
    await db.query(
      `SELECT alert_id, pattern FROM (${q.sql}) AS evolution
       WHERE processing_date = CAST($${n + 1} AS DATE) AND window_days = $${n + 2}`,
      [...q.params, key.processing_date, key.window_days],
    ),
  );
  const known = new Set<string>(PATTERN_NAMES);
  return r.map((x) => {
    if (!known.has(x.pattern)) throw new Error(`evolution SQL gave an unknown pattern '${x.pattern}'`);
    return { alert_id: x.alert_id, pattern: x.pattern as PatternName };
  });
}
