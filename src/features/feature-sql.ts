/**
 * The one SQL builder of the feature matrix. Every other module gets the matrix's SQL from here.
 *
 * Shape: a rows table fixes the matrix's row order once (one row per alert row, i.e. per
 * alert_id, window_days and processing_date), with the integer ids the split and the evaluation
 * need; labels of any kind are later joined to it by row number, so typed arrays line up without
 * passing alert ids through JavaScript. The matrix query then joins, per row, the alert (`a`), its
 * address's feature row on (address, processing_date, window_days) (`f`, left join: an alert
 * without features gets NULLs and so `[missing]` indicators), and the per-address aggregates
 * (aggregates.ts; created as temporary tables by `plan.prepare` first).
 *
 * Two queries read that join: a stats query (min, max and non-NULL count per candidate, for
 * encode.ts's decisions) and the matrix query itself. Category values are bound as parameters.
 */
import { ident, type SqlValue } from '../db/database.ts';
import { aggregates } from './aggregates.ts';
import type { Discovery } from './discover.ts';
import { columnCandidates, type Candidate, type FeatureSpec, type SkippedColumn } from './encode.ts';
import { ROWS_TABLE } from './rows.ts';

export { ROWS_TABLE, rowInfoSql, rowsTableSql } from './rows.ts';

/** Columns that ride along with the matrix without being features (the rule strategy scores with them). */
export const SIDE_COLUMNS = { confidence: 'alert_confidence_score' } as const;
export type SideName = keyof typeof SIDE_COLUMNS;
export const sideAlias = (name: SideName) => `side_${name}`;

export interface FeaturePlan {
  candidates: Candidate[];
  skipped: SkippedColumn[];
  /** Statements creating the aggregate tables; run them before the stats and matrix queries. */
  prepare: string[];
  /** FROM ... JOIN ... over the rows table. */
  from: string;
  sideColumns: { name: SideName; sql: string }[];
}

export function featurePlan(d: Discovery): FeaturePlan {
  const { candidates, skipped } = columnCandidates(d);
  const aggs = aggregates(d);
  const alertKeys = ['alert_id', 'window_days', 'processing_date'].map((k) => `a.${k} = r.${k}`).join(' AND ');
  const joins = [
    `FROM ${ROWS_TABLE} AS r`,
    `JOIN alerts AS a ON ${alertKeys}`,
    d.rows.features > 0
      ? `LEFT JOIN features AS f ON f.address = r.address AND f.processing_date = r.processing_date AND f.window_days = r.window_days`
      : '',
    ...aggs.map((g) => `LEFT JOIN ${g.table} AS ${g.alias} ON ${g.on}`),
  ].filter(Boolean);
  const hasAlertColumn = (name: string) => d.columns.some((c) => c.table === 'alerts' && c.name === name);
  const sideColumns = (Object.keys(SIDE_COLUMNS) as SideName[]).map((name) => ({
    name,
    sql: hasAlertColumn(SIDE_COLUMNS[name]) ? `CAST(a.${ident(SIDE_COLUMNS[name])} AS FLOAT)` : 'CAST(NULL AS FLOAT)',
  }));
  return {
    candidates: [...candidates, ...aggs.flatMap((g) => g.candidates)],
    skipped,
    prepare: aggs.map((g) => g.create),
    from: joins.join('\n'),
    sideColumns,
  };
}

export interface Query {
  sql: string;
  params: SqlValue[];
}

/** min, max and non-NULL count of every candidate, as columns min_i, max_i, n_i. */
export function statsQuery(plan: FeaturePlan): Query {
  const select = plan.candidates.map(
    (c, i) => `min(${c.sql}) AS min_${i}, max(${c.sql}) AS max_${i}, count(${c.sql}) AS n_${i}`,
  );
  const params = plan.candidates.flatMap((c) => [...c.params, ...c.params, ...c.params]);
  return checked({ sql: `SELECT count(*) AS rows${select.map((s) => `,\n  ${s}`).join('')}\n${plan.from}`, params });
}

/**
 * The matrix: one FLOAT column per feature, then the side columns, in row order. Columns are
 * named by position (f0, f1, ..., side_confidence): feature names hold category values, which
 * could contain anything, and the names live in the FeatureSpecs anyway.
 */
export function matrixQuery(plan: FeaturePlan, features: FeatureSpec[]): Query {
  const select = [
    ...features.map((f, i) => `${f.sql} AS f${i}`),
    ...plan.sideColumns.map((s) => `${s.sql} AS ${sideAlias(s.name)}`),
  ];
  const params = features.flatMap((f) => f.params);
  return checked({ sql: `SELECT\n  ${select.join(',\n  ')}\n${plan.from}\nORDER BY r.row_idx`, params });
}

/** Placeholders are positional: a miscount would shift every value after it, so refuse it. */
function checked(q: Query): Query {
  const placeholders = (q.sql.match(/\?/g) ?? []).length;
  if (placeholders !== q.params.length)
    throw new Error(`feature SQL has ${placeholders} placeholders but ${q.params.length} values`);
  return q;
}
