/**
 * What the loaded data offers to learn from: the columns of each normalised view, sorted into
 * kinds, and the categories of the text columns. Exports differ (later ones dropped about 15
 * feature columns, older ones carry `network`), so nothing downstream names a feature column:
 * the feature list is whatever this finds.
 */
import { ident, rows, type Database } from '../db/database.ts';
import { LABEL_COLUMNS } from '../migrations/index.ts';
import { isInteger, isList, isNumeric, isString, isTemporal } from '../sot/sql-types.ts';

/** The views features come from, in the order their columns appear in the matrix. */
export const SOURCE_TABLES = ['alerts', 'features', 'clusters', 'money_flows', 'address_labels'] as const;
export type SourceTable = (typeof SOURCE_TABLES)[number];

export type ColumnKind = 'number' | 'integer' | 'boolean' | 'text' | 'number-list' | 'text-list' | 'temporal' | 'other';

export interface DiscoveredColumn {
  table: SourceTable;
  name: string;
  /** DuckDB type as DESCRIBE prints it. */
  type: string;
  kind: ColumnKind;
}

export interface Discovery {
  /** Row count per view (0 when a view is empty: its aggregates are then left out). */
  rows: Record<SourceTable, number>;
  columns: DiscoveredColumn[];
  /**
   * Categories of text and text-list columns, keyed `table.column`, most frequent first; a
   * column with more than `maxCategories` distinct values maps to null (an identifier or free
   * text, not a category).
   */
  categories: Map<string, string[] | null>;
}

export interface DiscoverOptions {
  /** Text columns with more distinct values than this are not one-hot encoded. Default 30. */
  maxCategories?: number;
}

/** Columns that key a row, carry the labels, or hold free text: never features themselves. */
export const NOT_FEATURES: Record<SourceTable, ReadonlySet<string>> = {
  alerts: new Set([
    'alert_id',
    'address',
    'processing_date',
    'description',
    'evidence_json',
    'pattern_id',
    ...LABEL_COLUMNS.map((c) => c.name),
  ]),
  features: new Set(['address', 'processing_date', 'window_days']),
  clusters: new Set(['cluster_id', 'processing_date', 'window_days', 'primary_alert_id', 'pattern_id']),
  money_flows: new Set(['processing_date', 'window_days', 'from_address', 'to_address']),
  address_labels: new Set(['address', 'processing_date', 'window_days', 'label', 'source']),
};

export function kindOf(type: string): ColumnKind {
  if (type === 'BOOLEAN') return 'boolean';
  if (isInteger(type)) return 'integer';
  if (isNumeric(type)) return 'number';
  if (isString(type)) return 'text';
  if (isTemporal(type)) return 'temporal';
  if (isList(type)) {
    const inner = type.slice(0, -2);
    if (isNumeric(inner) || inner === 'BOOLEAN') return 'number-list';
    if (isString(inner)) return 'text-list';
  }
  return 'other';
}

export async function discover(db: Database, opts: DiscoverOptions = {}): Promise<Discovery> {
  const maxCategories = opts.maxCategories ?? 30;
  const counts = {} as Record<SourceTable, number>;
  const columns: DiscoveredColumn[] = [];
  for (const table of SOURCE_TABLES) {
    counts[table] = Number(rows<{ n: number }>(await db.query(`SELECT count(*) AS n FROM ${ident(table)}`))[0]!.n);
    const described = rows<{ column_name: string; column_type: string }>(await db.query(`DESCRIBE ${ident(table)}`));
    for (const c of described)
      columns.push({ table, name: c.column_name, type: c.column_type, kind: kindOf(c.column_type) });
  }
  const categories = new Map<string, string[] | null>();
  for (const c of columns) {
    if (counts[c.table] === 0 || NOT_FEATURES[c.table].has(c.name)) continue;
    if (c.kind !== 'text' && c.kind !== 'text-list') continue;
    if (c.table !== 'alerts' && c.table !== 'features') continue;
    categories.set(`${c.table}.${c.name}`, await topCategories(db, c, maxCategories));
  }
  return { rows: counts, columns, categories };
}

/** The column's distinct non-empty values by frequency, or null when there are too many. */
async function topCategories(db: Database, c: DiscoveredColumn, max: number): Promise<string[] | null> {
  const col = ident(c.name);
  const values =
    c.kind === 'text-list'
      ? `SELECT trim(unnest(${col})) AS v FROM ${ident(c.table)}`
      : `SELECT trim(CAST(${col} AS VARCHAR)) AS v FROM ${ident(c.table)}`;
  const found = rows<{ v: string }>(
    await db.query(
      `SELECT v FROM (${values}) WHERE v IS NOT NULL AND v <> '' GROUP BY v ORDER BY count(*) DESC, v LIMIT ?`,
      [max + 1],
    ),
  ).map((r) => r.v);
  return found.length > max ? null : found;
}
