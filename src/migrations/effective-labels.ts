/**
 * The `effective_labels` view: every row of raw_alerts with the one label that wins among its
 * candidates, and which source and scope it came from.
 *
 * Candidates for an alert row:
 *   - 'row':     the row's own label columns (filled by the proxy rule via UPDATE, or carried in
 *                from ClickHouse); it counts when both label and a known label_source are set;
 *   - 'alert':   label_events with this alert_id (an alert_id can recur across window_days, so
 *                such an event labels every row with that alert_id);
 *   - 'address': label_events with alert_id NULL and this address.
 * Only live events are candidates: a retraction (an undo) and the event it withdraws are not.
 * Winner: highest source rank (LABEL_SOURCES order), then newest labeled_at (a row label without
 * labeled_at counts as oldest), then the narrower scope (row > alert > address), then the highest
 * event_id.
 *
 * Plan, chosen so the view stays interactive at a million alerts: the events are reduced first to
 * the best event per alert_id and per address (a window over label_events only, which is small),
 * then raw_alerts is hash-joined to those two results and each row picks among at most three
 * candidates with plain comparisons. No correlated subqueries, and raw_alerts is scanned once and
 * never grouped or sorted. This is the same order as ranking all candidates together: within one
 * scope the key (rank, labeled_at, event_id) picks the scope's best, and between scopes the scope
 * itself breaks the remaining tie, so event_id is never needed across scopes.
 *
 * The SQL is written once for both dialects; only the "oldest timestamp" literal differs.
 */
import type { Database } from '../db/database.ts';
import type { Dialect } from './ddl.ts';
import { ALERTS_TABLE, LABEL_COLUMNS, LABEL_EVENTS_TABLE, liveLabelEventSql } from './label-columns.ts';
import { labelSourceRankSql } from './label-sources.ts';

export const EFFECTIVE_LABELS_VIEW = 'effective_labels';

/** Values of the view's `label_scope` column, from the broadest to the narrowest. */
export const LABEL_SCOPES = ['address', 'alert', 'row'] as const;
export type LabelScope = (typeof LABEL_SCOPES)[number];

/** The alert key columns the view passes through from raw_alerts. */
const ALERT_KEY_COLUMNS = ['alert_id', 'address', 'processing_date', 'window_days'] as const;

/** The label fields every candidate carries and the view reports for the winner. */
const LABEL_FIELDS = LABEL_COLUMNS.map((c) => c.name);

/** A labeled_at that sorts before any real one, standing in for a row label's missing time. */
const OLDEST: Record<Dialect, string> = {
  duckdb: "TIMESTAMP '-infinity'",
  clickhouse: 'toDateTime(0)',
};

/** Narrower scopes win ties, so the scope's position doubles as its tie-break rank. */
function scopeRank(scope: LabelScope): number {
  return LABEL_SCOPES.indexOf(scope) + 1;
}

/**
 * The best event per target (alert_id or address), its source rank, and how many live events
 * the target has, from label_events alone. Address-level events are the ones without an alert_id.
 */
function bestEventPer(target: 'alert_id' | 'address'): string {
  const filter = target === 'alert_id' ? 'alert_id IS NOT NULL' : 'alert_id IS NULL';
  const fields = LABEL_FIELDS.join(', ');
  const rank = labelSourceRankSql('label_source');
  return `(
      SELECT ${target}, ${fields}, source_rank, candidates
      FROM (
        SELECT ${target}, ${fields}, ${rank} AS source_rank,
          row_number() OVER (PARTITION BY ${target} ORDER BY ${rank} DESC, labeled_at DESC, event_id DESC) AS pick,
          count(*) OVER (PARTITION BY ${target}) AS candidates
        FROM ${LABEL_EVENTS_TABLE}
        WHERE ${filter} AND ${liveLabelEventSql()}
      ) AS ranked
      WHERE pick = 1
    )`;
}

/**
 * Per scope: how many candidates it has, the winner's fields, its source rank and its labeled_at.
 * A row label counts only with a known source (its rank is then not NULL); a row label without
 * labeled_at sorts as the oldest.
 */
function candidateColumns(dialect: Dialect): string[] {
  const row = [
    `CASE WHEN a.label IS NOT NULL THEN ${labelSourceRankSql('a.label_source')} END AS row_rank`,
    `coalesce(a.labeled_at, ${OLDEST[dialect]}) AS row_time`,
    ...LABEL_FIELDS.map((f) => `a.${f} AS row_${f}`),
  ];
  const event = (scope: 'alert' | 'address', alias: string) => [
    // In ClickHouse an unmatched LEFT JOIN row holds defaults (0), in DuckDB NULLs: coalesce
    // makes "no candidates" read 0 in both.
    `coalesce(${alias}.candidates, 0) AS ${scope}_candidates`,
    `${alias}.source_rank AS ${scope}_rank`,
    `${alias}.labeled_at AS ${scope}_time`,
    ...LABEL_FIELDS.map((f) => `${alias}.${f} AS ${scope}_${f}`),
  ];
  return [...row, ...event('alert', 'ae'), ...event('address', 'de')];
}

/** SQL that is true when the scope has a candidate label. */
function present(scope: LabelScope): string {
  return scope === 'row' ? 'row_rank IS NOT NULL' : `${scope}_candidates > 0`;
}

/**
 * SQL that is true when scope a's candidate beats scope b's: higher rank, or the same rank and
 * newer, or the same rank and time with a the narrower scope (known here, so no third column).
 * Plain scalar comparisons rather than tuple keys: cheaper per row, and the same in both dialects.
 */
function beats(a: LabelScope, b: LabelScope): string {
  const newer = scopeRank(a) > scopeRank(b) ? '>=' : '>';
  return `(${a}_rank > ${b}_rank OR (${a}_rank = ${b}_rank AND ${a}_time ${newer} ${b}_time))`;
}

/** The winning scope: the present candidate that beats every other present candidate. */
function winningScope(): string {
  const arms = LABEL_SCOPES.map((scope) => {
    const beatsOthers = LABEL_SCOPES.filter((other) => other !== scope).map(
      (other) => `(NOT (${present(other)}) OR ${beats(scope, other)})`,
    );
    return `WHEN ${present(scope)} AND ${beatsOthers.join(' AND ')} THEN '${scope}'`;
  });
  return `CASE\n        ${arms.join('\n        ')}\n      END`;
}

/** The SELECT behind the view, in the given dialect. */
export function effectiveLabelsQuery(dialect: Dialect): string {
  const pickField = (f: string) =>
    `CASE label_scope ${LABEL_SCOPES.map((s) => `WHEN '${s}' THEN ${s}_${f}`).join(' ')} END AS ${f}`;
  return `WITH
  candidates AS (
    SELECT ${ALERT_KEY_COLUMNS.map((c) => `a.${c} AS ${c}`).join(', ')},
      ${candidateColumns(dialect).join(',\n      ')}
    FROM ${ALERTS_TABLE} AS a
    LEFT JOIN ${bestEventPer('alert_id')} AS ae ON ae.alert_id = a.alert_id
    LEFT JOIN ${bestEventPer('address')} AS de ON de.address = a.address
  ),
  decided AS (
    SELECT *,
      ${winningScope()} AS label_scope
    FROM candidates
  )
SELECT ${ALERT_KEY_COLUMNS.join(', ')},
  ${LABEL_FIELDS.map(pickField).join(',\n  ')},
  label_scope,
  CASE WHEN ${present('row')} THEN 1 ELSE 0 END + alert_candidates + address_candidates AS candidate_count
FROM decided`;
}

/** `CREATE OR REPLACE VIEW effective_labels AS ...` in the given dialect. */
export function effectiveLabelsViewSql(dialect: Dialect): string {
  return `CREATE OR REPLACE VIEW ${EFFECTIVE_LABELS_VIEW} AS\n${effectiveLabelsQuery(dialect)}`;
}

/**
 * (Re)create the view in DuckDB. `migrate()` calls it; call it again after changing raw_alerts'
 * column types (or dropping and re-creating raw_alerts): DuckDB checks a view's output types
 * against the ones stored at creation and fails with "Contents of view were altered" otherwise.
 * Adding columns to raw_alerts is harmless, since the view names the columns it reads.
 */
export async function createEffectiveLabelsView(db: Database): Promise<void> {
  await db.exec(effectiveLabelsViewSql('duckdb'));
}
