/**
 * Every alert row with the label each source gives it, side by side: the table the coverage and
 * agreement reports count over.
 *
 * Units are alert rows (alert_id x window_days x processing_date), as in effective_labels and in
 * training. A source's label for a row is that source's own winner, by the same rule
 * effective_labels applies within a source: the newest, and at equal times the narrower scope
 * (the row's own label columns, then an event for the alert id, then an event for the address).
 * Labels taken back (retract.ts) count for no source. Proxy labels are the rows' label columns
 * with label_source 'proxy' (the proxy rule's UPDATE); an uncertain proxy row (label NULL) gives
 * no label. Ground truth joins on (alert_id,
 * processing_date), as its contract keys it, so it labels every window of the alert. Evolution
 * labels (src/labels/evolution.ts: 1 expanding_illicit, 0 benign_indicators, at the validator's
 * 30-day horizon) label the alert rows whose address has both snapshots; the materialised table
 * (withSourceLabels) carries them as the `evolution` column.
 */
import { ident, rows, type Database } from '../db/database.ts';
import {
  ALERTS_TABLE,
  EFFECTIVE_LABELS_VIEW,
  LABEL_EVENTS_TABLE,
  LABEL_SOURCES,
  liveLabelEventSql,
  type LabelSource,
} from '../migrations/index.ts';
import { evolutionLabelsQuery, missingEvolutionColumns } from '../labels/evolution.ts';

/** Who can label an alert row here: each source, the winning (effective) label, evolution, and the truth. */
export const RATERS = [...LABEL_SOURCES, 'effective', 'evolution', 'truth'] as const;
export type Rater = (typeof RATERS)[number];

const KEY = 'alert_id, window_days, processing_date';

/** SQL of the wide relation: the key, one TINYINT column per rater, and effective_source. */
export function sourceLabelsSql(): string {
  const pivot = LABEL_SOURCES.map((s: LabelSource) => `max(label) FILTER (WHERE source = '${s}') AS ${s}`).join(
    ',\n      ',
  );
  return `WITH
  events AS (
    SELECT alert_id, address, label, CAST(label_source AS VARCHAR) AS source, labeled_at, event_id FROM ${LABEL_EVENTS_TABLE}
    WHERE ${liveLabelEventSql()}
  ),
  best_alert AS (
    SELECT alert_id, source, label, labeled_at FROM events WHERE alert_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY alert_id, source ORDER BY labeled_at DESC, event_id DESC) = 1
  ),
  best_address AS (
    SELECT address, source, label, labeled_at FROM events WHERE alert_id IS NULL
    QUALIFY row_number() OVER (PARTITION BY address, source ORDER BY labeled_at DESC, event_id DESC) = 1
  ),
  alert_rows AS (
    SELECT ${KEY}, address, label, CAST(label_source AS VARCHAR) AS source,
      coalesce(labeled_at, TIMESTAMP '-infinity') AS labeled_at
    FROM ${ALERTS_TABLE}
  ),
  candidates AS (
    SELECT ${KEY}, source, label, labeled_at, 3 AS scope_rank FROM alert_rows WHERE label IS NOT NULL AND source IS NOT NULL
    UNION ALL
    SELECT r.alert_id, r.window_days, r.processing_date, b.source, b.label, b.labeled_at, 2
    FROM alert_rows AS r JOIN best_alert AS b ON b.alert_id = r.alert_id
    UNION ALL
    SELECT r.alert_id, r.window_days, r.processing_date, b.source, b.label, b.labeled_at, 1
    FROM alert_rows AS r JOIN best_address AS b ON b.address = r.address
  ),
  per_source AS (
    SELECT ${KEY}, source, label FROM candidates
    QUALIFY row_number() OVER (PARTITION BY ${KEY}, source ORDER BY labeled_at DESC, scope_rank DESC) = 1
  ),
  wide AS (
    SELECT ${KEY},
      ${pivot}
    FROM per_source GROUP BY ${KEY}
  ),
  truth AS (
    SELECT alert_id, processing_date, CAST(bool_or(is_illicit) AS TINYINT) AS truth FROM ground_truth GROUP BY alert_id, processing_date
  )
SELECT r.alert_id, r.window_days, r.processing_date,
  ${LABEL_SOURCES.map((s) => `w.${s}`).join(', ')},
  CAST(e.label AS TINYINT) AS effective,
  CAST(e.label_source AS VARCHAR) AS effective_source,
  t.truth
FROM alert_rows AS r
LEFT JOIN wide AS w USING (${KEY})
LEFT JOIN ${EFFECTIVE_LABELS_VIEW} AS e ON e.alert_id = r.alert_id AND e.window_days = r.window_days AND e.processing_date = r.processing_date
LEFT JOIN truth AS t ON t.alert_id = r.alert_id AND t.processing_date = r.processing_date`;
}

let tableCounter = 0;

/**
 * Materialise the relation as a TEMP table, run `work` on it, drop it. Coverage and agreement
 * share one computation this way instead of ranking the candidates twice.
 */
export async function withSourceLabels<T>(db: Database, work: (table: string) => Promise<T>): Promise<T> {
  const table = `_quality_labels_${++tableCounter}`;
  // Without the feature columns the rule reads there are no evolution labels (and no query to run).
  const evolution = (await missingEvolutionColumns(db)).length === 0 ? evolutionLabelsQuery() : undefined;
  await db.exec(
    evolution
      ? `CREATE TEMP TABLE ${ident(table)} AS SELECT s.*, e.label AS evolution FROM (${sourceLabelsSql()}) AS s
    LEFT JOIN (${evolution.sql}) AS e USING (${KEY})`
      : `CREATE TEMP TABLE ${ident(table)} AS SELECT *, CAST(NULL AS TINYINT) AS evolution FROM (${sourceLabelsSql()})`,
    evolution?.params ?? [],
  );
  try {
    return await work(table);
  } finally {
    await db.exec(`DROP TABLE IF EXISTS ${ident(table)}`);
  }
}

/**
 * The raters a source-labels table can report: every source and the effective label; the truth
 * only when a ground-truth file is loaded, evolution only when some alert has its later snapshot
 * (as the truth, it is absent rather than empty when the data cannot give it).
 */
export async function reportedRaters(db: Database, sourceLabels: string): Promise<Rater[]> {
  const truthLoaded = await hasTruth(db);
  const evolution = Number(
    rows<{ n: number }>(await db.query(`SELECT count(evolution) AS n FROM ${ident(sourceLabels)}`))[0]!.n,
  );
  return RATERS.filter((r) => (r !== 'truth' || truthLoaded) && (r !== 'evolution' || evolution > 0));
}

/** Whether a ground-truth table with rows is loaded (the truth rater is left out otherwise). */
export async function hasTruth(db: Database): Promise<boolean> {
  return Number(rows<{ n: number }>(await db.query(`SELECT count(*) AS n FROM ground_truth`))[0]!.n) > 0;
}
