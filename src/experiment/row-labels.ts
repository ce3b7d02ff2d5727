/**
 * Labels per matrix row, from SQL: each label source is a query joined to the rows table
 * (features/rows.ts) and scattered by row number into typed arrays, NaN where a row has no
 * label. These are what strategies train on and what the board evaluates against.
 *
 * Sources:
 * - proxy: the proxy rule of src/labels (labels/proxy-sql.ts), either alone (what the board
 *   calls "proxy") or with explicit labels winning where present (what the proxy strategy
 *   learns); weight = label_confidence.
 * - explicit: the winning label of effective_labels when its source is not the rule (miner,
 *   community or validated labels of the alert or of its address).
 * - address labels: an address with any high or critical risk label is positive, else negative
 *   (the template's ground truth in practice); weight = the highest label confidence.
 * - truth: ground_truth.is_illicit by (alert_id, processing_date).
 * - evolution: labels/evolution.ts, 1 expanding_illicit, 0 benign_indicators, per alert row whose
 *   address has its later snapshot; optionally only where that snapshot is not after a given day.
 */
import { ident, type Database, type SqlValue } from '../db/database.ts';
import { ROWS_TABLE } from '../features/rows.ts';
import { columnToFloat32 } from '../features/matrix.ts';
import type { ProxyLabelConfig } from '../labels/config.ts';
import { evolutionLabelsQuery, missingEvolutionColumns } from '../labels/evolution.ts';
import { PROXY_SOURCE, proxyLabelsQuery } from '../labels/proxy-sql.ts';
import { EFFECTIVE_LABELS_VIEW } from '../migrations/index.ts';

/** Where a row's label came from (self-training seeds from explicit and confident proxy labels). */
export const ORIGIN = { none: 0, proxy: 1, explicit: 2 } as const;

export interface RowLabels {
  /** 1, 0, or NaN (no label), per matrix row. */
  y: Float32Array;
  /** Training weight per row (1 where the source gives none). */
  w: Float32Array;
  origin: Uint8Array;
  positives: number;
  negatives: number;
}

/** A query with columns row_idx, label, weight (may be NULL) and origin. */
interface RowLabelQuery {
  sql: string;
  params: SqlValue[];
}

const ALERT_JOIN = (alias: string) =>
  ['alert_id', 'window_days', 'processing_date'].map((k) => `${alias}.${k} = r.${k}`).join(' AND ');

/** The proxy rule's labels; with `explicit`, explicit labels win where present. */
export function proxyRowLabels(
  db: Database,
  rows: number,
  config: ProxyLabelConfig,
  explicit: boolean,
): Promise<RowLabels> {
  const q = proxyLabelsQuery(config, { explicit, keepUncertain: false });
  const proxy = q.params.length + 1;
  return fetchRowLabels(db, rows, {
    sql: `SELECT r.row_idx, l.label, l.label_confidence AS weight,
  CASE WHEN CAST(l.label_source AS VARCHAR) = $${proxy} THEN ${ORIGIN.proxy} ELSE ${ORIGIN.explicit} END AS origin
FROM ${ROWS_TABLE} AS r JOIN (${q.sql}) AS l ON ${ALERT_JOIN('l')}`,
    params: [...q.params, PROXY_SOURCE],
  });
}

/** Explicit labels only (any source but the rule). */
export function explicitRowLabels(db: Database, rows: number): Promise<RowLabels> {
  return fetchRowLabels(db, rows, {
    sql: `SELECT r.row_idx, e.label, e.label_confidence AS weight, ${ORIGIN.explicit} AS origin
FROM ${ROWS_TABLE} AS r JOIN ${EFFECTIVE_LABELS_VIEW} AS e ON ${ALERT_JOIN('e')}
WHERE e.label IS NOT NULL AND CAST(e.label_source AS VARCHAR) <> ?`,
    params: [PROXY_SOURCE],
  });
}

/** Address labels as an alert target: positive when the address has a high or critical risk label. */
export function addressRowLabels(db: Database, rows: number): Promise<RowLabels> {
  return fetchRowLabels(db, rows, {
    sql: `SELECT r.row_idx, l.label, l.weight, ${ORIGIN.explicit} AS origin
FROM ${ROWS_TABLE} AS r JOIN (
  SELECT address, max(CASE WHEN risk_level IN ('high', 'critical') THEN 1 ELSE 0 END) AS label, max(confidence_score) AS weight
  FROM address_labels GROUP BY address
) AS l ON l.address = r.address`,
    params: [],
  });
}

/** The ground-truth file's outcome per alert. */
export function truthRowLabels(db: Database, rows: number): Promise<RowLabels> {
  return fetchRowLabels(db, rows, {
    sql: `SELECT r.row_idx, CAST(t.is_illicit AS INTEGER) AS label, NULL AS weight, ${ORIGIN.explicit} AS origin
FROM ${ROWS_TABLE} AS r JOIN ground_truth AS t ON t.alert_id = r.alert_id AND t.processing_date = r.processing_date`,
    params: [],
  });
}

/**
 * Evolution labels over `horizonDays`. With `knownBy` (days since 1970), only the rows whose later
 * snapshot is on or before that day: what a miner on that day could know. None (every row NaN)
 * when the features lack the columns the rule reads.
 */
export async function evolutionRowLabels(
  db: Database,
  rows: number,
  opts: { horizonDays: number; knownBy?: number },
): Promise<RowLabels> {
  if ((await missingEvolutionColumns(db)).length > 0) return fetchRowLabels(db, rows, NO_LABELS);
  const q = evolutionLabelsQuery({ horizonDays: opts.horizonDays });
  const knownBy = q.params.length + 1;
  return fetchRowLabels(db, rows, {
    sql: `SELECT r.row_idx, e.label, NULL AS weight, ${ORIGIN.explicit} AS origin
FROM ${ROWS_TABLE} AS r JOIN (${q.sql}) AS e ON ${ALERT_JOIN('e')}
${opts.knownBy === undefined ? '' : `WHERE e.later_date <= CAST($${knownBy} AS DATE)`}`,
    params: opts.knownBy === undefined ? q.params : [...q.params, isoDay(opts.knownBy)],
  });
}

const NO_LABELS: RowLabelQuery = {
  sql: 'SELECT 0 AS row_idx, NULL AS label, NULL AS weight, 0 AS origin WHERE false',
  params: [],
};

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Whether a table or view has any rows (label sources that are empty are left off the board). */
export async function hasRows(db: Database, table: string): Promise<boolean> {
  const t = await db.query(`SELECT count(*) > 0 AS any FROM ${ident(table)}`);
  return Boolean(t.getChildAt(0)?.get(0));
}

async function fetchRowLabels(db: Database, rows: number, q: RowLabelQuery): Promise<RowLabels> {
  const table = await db.query(
    `SELECT CAST(row_idx AS INTEGER) AS row_idx, CAST(label AS FLOAT) AS label, CAST(weight AS FLOAT) AS weight, CAST(origin AS UTINYINT) AS origin
FROM (${q.sql}) WHERE label IS NOT NULL`,
    q.params,
  );
  const idx = columnToFloat32(table.getChild('row_idx')!);
  const label = columnToFloat32(table.getChild('label')!);
  const weight = columnToFloat32(table.getChild('weight')!);
  const origin = columnToFloat32(table.getChild('origin')!);
  const out: RowLabels = {
    y: new Float32Array(rows).fill(NaN),
    w: new Float32Array(rows).fill(1),
    origin: new Uint8Array(rows),
    positives: 0,
    negatives: 0,
  };
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= rows)
      throw new Error(`label row ${r} is outside the matrix (${rows} rows): the rows table changed`);
    const y = label[i]! > 0 ? 1 : 0;
    out.y[r] = y;
    out.w[r] = weight[i]! === weight[i]! ? weight[i]! : 1;
    out.origin[r] = origin[i]!;
    if (y === 1) out.positives++;
    else out.negatives++;
  }
  return out;
}
