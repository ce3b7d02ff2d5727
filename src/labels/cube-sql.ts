/**
 * The cube's SQL: DuckDB groups the alerts into a fine cube, the temp table `_label_cube`, one row
 * per (severity, typology, processing_date, window_days, exact confidence) with the number of
 * alerts and how many of them ground truth calls illicit / licit and explicit labels call
 * positive / negative. SOT confidences have few distinct values, so this is usually far smaller
 * than the alerts; with continuous confidences it is at worst one row per alert. Its rows come
 * back sorted by confidence, as the typed arrays the index (cube-index.ts) is built over.
 */
import { literal, rows, type Database } from '../db/database.ts';
import { ALERTS_TABLE, EFFECTIVE_LABELS_VIEW, LABEL_EVENTS_TABLE } from '../migrations/index.ts';
import { KNOWN_SEVERITIES } from '../sot/contracts.ts';
import type { CubeRows } from './cube-index.ts';
import { REFERENCE_MEASURES, type Key, type ReferenceMeasure } from './cube-rule.ts';
import { PROXY_SOURCE } from './proxy-sql.ts';

export const CUBE_TABLE = '_label_cube';

/** The breakdowns the counts come in besides severity. */
export const BREAKDOWNS = ['typology', 'date', 'window'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

const BREAKDOWN_COLUMN: Record<Breakdown, string> = {
  typology: 'typology_type',
  date: 'processing_date',
  window: 'window_days',
};

const MEASURE_COLUMN: Record<ReferenceMeasure, string> = {
  truthPos: 'truth_pos',
  truthNeg: 'truth_neg',
  explicitPos: 'explicit_pos',
  explicitNeg: 'explicit_neg',
};

/** The cube as it comes out of DuckDB. */
export interface CubeData {
  /** Each dimension's values in code order (display order: known severities first, NULL last). */
  severities: Key[];
  keys: Record<Breakdown, Key[]>;
  /** Rows with a confidence, ascending by it. */
  rows: CubeRows;
  /** Rows without a confidence (their `confidence` column is zeros). */
  nullRows: CubeRows;
}

/**
 * Build the fine cube in DuckDB from the normalised `alerts` view, `ground_truth` and the
 * explicit labels of `effective_labels`, and read it out.
 */
export async function readCube(db: Database): Promise<CubeData> {
  // Codes first: each dimension's distinct values, numbered in display order, in a small table.
  await db.exec(dictionarySql('severity', 'severity', severityOrder('value')));
  for (const b of BREAKDOWNS) await db.exec(dictionarySql(b, BREAKDOWN_COLUMN[b], 'value NULLS LAST'));
  const severities = await dictionary(db, 'severity');
  const keys = {} as Record<Breakdown, Key[]>;
  for (const b of BREAKDOWNS) keys[b] = await dictionary(db, b);
  const sizes = BREAKDOWNS.map((b) => keys[b].length);

  const present = { truth: await hasTruth(db), explicit: await hasExplicitLabels(db) };
  await db.exec(cubeTableSql(present.explicit, sizes), [PROXY_SOURCE]);
  // Only the columns the JavaScript side needs, and no reference that is absent: the transfer
  // out of DuckDB is the costliest step of the build.
  const wanted = REFERENCE_MEASURES.map((m) => (m.startsWith('truth') ? present.truth : present.explicit));
  const measures = REFERENCE_MEASURES.filter((_, i) => wanted[i])
    .map((m) => `, ${MEASURE_COLUMN[m]}`)
    .join('');
  const sorted = await db.query(
    `SELECT confidence, cell, n${measures} FROM ${CUBE_TABLE} ORDER BY confidence NULLS FIRST`,
  );
  // Rows [0, nulls) have no confidence; the rest ascend.
  const nulls = sorted.getChild('confidence')!.nullCount;
  type Numbers = ArrayLike<number> & { subarray(from: number, to?: number): ArrayLike<number> };
  const values = (name: string) => sorted.getChild(name)!.toArray() as Numbers;
  const tail = (name: string) => values(name).subarray(nulls);
  const head = (name: string) => Uint32Array.from(values(name).subarray(0, nulls));
  const referenceColumn = (m: ReferenceMeasure, i: number, part: (name: string) => ArrayLike<number>) => {
    if (!wanted[i]) return null;
    const column = Uint32Array.from(part(MEASURE_COLUMN[m]));
    return column.some((x) => x > 0) ? column : null;
  };
  return {
    severities,
    keys,
    rows: {
      confidence: Float64Array.from(tail('confidence')),
      cell: Uint32Array.from(tail('cell')),
      n: Uint32Array.from(tail('n')),
      reference: REFERENCE_MEASURES.map((m, i) => referenceColumn(m, i, tail)),
    },
    nullRows: {
      confidence: new Float64Array(nulls),
      cell: head('cell'),
      n: head('n'),
      reference: REFERENCE_MEASURES.map((m, i) => referenceColumn(m, i, head)),
    },
  };
}

/** Known severities in their natural order, then anything else alphabetically, NULL last. */
function severityOrder(column: string): string {
  const known = `[${KNOWN_SEVERITIES.map(literal).join(', ')}]`;
  return `coalesce(list_position(${known}, ${column}), ${KNOWN_SEVERITIES.length + 1}), ${column} NULLS LAST`;
}

/** The table numbering one dimension's values: `value` (as in alerts) and `code` from 0. */
function dictionaryTable(name: string): string {
  return `${CUBE_TABLE}_${name}`;
}

function dictionarySql(name: string, column: string, orderBy: string): string {
  return `CREATE OR REPLACE TEMP TABLE ${dictionaryTable(name)} AS
SELECT value, CAST(row_number() OVER (ORDER BY ${orderBy}) - 1 AS USMALLINT) AS code
FROM (SELECT DISTINCT ${column} AS value FROM alerts)`;
}

/** A dimension's values as text, in code order. */
async function dictionary(db: Database, name: string): Promise<Key[]> {
  const values = rows<{ v: string | null }>(
    await db.query(`SELECT CAST(value AS VARCHAR) AS v FROM ${dictionaryTable(name)} ORDER BY code`),
  );
  return values.map((r) => r.v);
}

/** Whether ground truth was loaded: without it, its columns are not transferred. */
async function hasTruth(db: Database): Promise<boolean> {
  return (
    (rows<{ n: number }>(await db.query(`SELECT count(*) AS n FROM (SELECT 1 FROM ground_truth LIMIT 1)`))[0]?.n ?? 0) >
    0
  );
}

/**
 * Whether any label from a source other than the rule exists (as a label event or in a row):
 * without one, the cube skips joining effective_labels, the costliest part of the build.
 */
async function hasExplicitLabels(db: Database): Promise<boolean> {
  const found = rows<{ n: number }>(
    await db.query(
      `SELECT (SELECT count(*) FROM ${LABEL_EVENTS_TABLE} WHERE label_source != $1)
        + (SELECT count(*) FROM (SELECT 1 FROM ${ALERTS_TABLE} WHERE label IS NOT NULL AND label_source != $1 LIMIT 1)) AS n`,
      [PROXY_SOURCE],
    ),
  );
  return (found[0]?.n ?? 0) > 0;
}

/**
 * The fine cube: alerts grouped by their dimension codes and exact confidence. Ground truth may
 * list an alert more than once (several confirmations): any illicit confirmation makes it
 * illicit. Explicit labels are effective_labels' winners from any source but proxy, so the
 * rule's own earlier output never counts as a reference. The readable values stay beside the
 * codes, so notebooks can query the table too.
 */
function cubeTableSql(explicit: boolean, sizes: number[]): string {
  const m = MEASURE_COLUMN;
  const join = (name: string, column: string, alias: string) =>
    `JOIN ${dictionaryTable(name)} AS ${alias} ON ${alias}.value IS NOT DISTINCT FROM g.${column}`;
  const explicitJoin = explicit
    ? `LEFT JOIN (
    SELECT alert_id, window_days, processing_date, label
    FROM ${EFFECTIVE_LABELS_VIEW}
    WHERE label IS NOT NULL AND label_source != $1
  ) AS x ON x.alert_id = a.alert_id AND x.window_days = a.window_days AND x.processing_date = a.processing_date`
    : // Keeps $1 bound either way; matches nothing.
      `LEFT JOIN (SELECT NULL::TINYINT AS label WHERE $1 IS NULL) AS x ON false`;
  return `CREATE OR REPLACE TEMP TABLE ${CUBE_TABLE} AS
WITH truth AS (
  SELECT alert_id, processing_date, bool_or(is_illicit) AS is_illicit
  FROM ground_truth
  GROUP BY alert_id, processing_date
), grouped AS (
  SELECT a.severity, a.typology_type, a.processing_date, a.window_days, a.alert_confidence_score AS confidence,
    CAST(count(*) AS UINTEGER) AS n,
    CAST(count(*) FILTER (WHERE t.is_illicit) AS UINTEGER) AS ${m.truthPos},
    CAST(count(*) FILTER (WHERE NOT t.is_illicit) AS UINTEGER) AS ${m.truthNeg},
    CAST(count(*) FILTER (WHERE x.label = 1) AS UINTEGER) AS ${m.explicitPos},
    CAST(count(*) FILTER (WHERE x.label = 0) AS UINTEGER) AS ${m.explicitNeg}
  FROM alerts AS a
  LEFT JOIN truth AS t ON t.alert_id = a.alert_id AND t.processing_date = a.processing_date
  ${explicitJoin}
  GROUP BY ALL
)
SELECT g.*,
  CAST(((s.code * ${sizes[0]} + t.code) * ${sizes[1]} + d.code) * ${sizes[2]} + w.code AS UINTEGER) AS cell
FROM grouped AS g
${join('severity', 'severity', 's')}
${BREAKDOWNS.map((b) => join(b, BREAKDOWN_COLUMN[b], b[0]!)).join('\n')}`;
}
