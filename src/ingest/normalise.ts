/**
 * The staged file, mapped: one typed row per record with every event field, plus the raw text
 * of each value so the report can quote what the file said. Columns of the table it creates:
 *
 *   source_row, scope ('alert' | 'address' | NULL when the row names neither), alert_id, address,
 *   label_text, label (1/0, NULL when empty or not a known spelling), source_text, label_source
 *   (NULL when not an import source), confidence_text, label_confidence, labeled_at_text,
 *   labeled_at (NULL when unreadable), labeled_by, note
 *
 * Everything runs as one CREATE TABLE ... AS SELECT over the staging table. User values (label
 * and source spellings, defaults) are bound parameters or rows of a small spellings table, never
 * SQL text; column names come from the file and are quoted with `ident`.
 */
import { ident, type Database, type SqlValue } from '../db/database.ts';
import { isNumeric, isTemporal } from '../sot/sql-types.ts';
import { IMPORT_SOURCES, type ResolvedMapping, type TargetField } from './mapping.ts';

/** Numbered placeholders ($1, $2, ...) collected as the SQL is written. */
class Params {
  readonly values: SqlValue[] = [];
  bind(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Fill `spellings` (kind, spelling, value) with the mapping's label and source spellings. A table
 * rather than IN-lists so that no spelling is ever written into SQL text.
 */
async function writeSpellings(db: Database, table: string, resolved: ResolvedMapping): Promise<void> {
  const entries = new Map<string, [string, string, string]>();
  const add = (kind: string, spelling: string, value: string) =>
    entries.set(`${kind}\u0000${spelling}`, [kind, spelling, value]);
  for (const s of resolved.mapping.labels.positive) add('label', s, '1');
  for (const s of resolved.mapping.labels.negative) add('label', s, '0');
  for (const s of IMPORT_SOURCES) add('source', s, s);
  for (const [s, source] of Object.entries(resolved.mapping.sources)) add('source', s, source);
  await db.exec(`CREATE TEMP TABLE ${ident(table)} (kind VARCHAR, spelling VARCHAR, value VARCHAR)`);
  const list = [...entries.values()];
  await db.exec(`INSERT INTO ${ident(table)} VALUES ${list.map(() => '(?, ?, ?)').join(', ')}`, list.flat());
}

/** Text of a cell, trimmed, with '' read as missing (CSV writes empty cells as ''). */
function text(column: string | undefined): string {
  return column === undefined ? 'NULL::VARCHAR' : `NULLIF(trim(CAST(s.${ident(column)} AS VARCHAR)), '')`;
}

/**
 * labeled_at from whatever the file holds. Text goes through TIMESTAMPTZ because a plain
 * TIMESTAMP cast ignores an offset ('12:00+02:00' would read as 12:00 UTC); text without an
 * offset is taken as UTC. Numbers are epoch milliseconds, or seconds when too small to be
 * milliseconds after 1973.
 */
function timestampExpr(column: string, type: string): string {
  const c = `s.${ident(column)}`;
  if (isTemporal(type)) return `CAST(${c} AS TIMESTAMP)`;
  if (isNumeric(type)) return epochExpr(c);
  // Text that is a plain number (a CSV is staged as text) is an epoch, as a number column is.
  const t = text(column);
  const n = `TRY_CAST(${t} AS DOUBLE)`;
  return `CASE WHEN regexp_full_match(${t}, '[+-]?[0-9]+([.][0-9]+)?') THEN ${epochExpr(n)} ELSE TRY_CAST(TRY_CAST(${t} AS TIMESTAMPTZ) AS TIMESTAMP) END`;
}

function epochExpr(n: string): string {
  return `CASE WHEN abs(${n}) >= 1e11 THEN epoch_ms(CAST(${n} AS BIGINT)) ELSE epoch_ms(CAST(${n} * 1000 AS BIGINT)) END`;
}

export interface NormaliseInput {
  stage: string;
  stageColumns: Map<string, string>;
  resolved: ResolvedMapping;
  /** Name of the table to create. */
  table: string;
  /** labeled_at for rows without one (the mapping's default or the import time), ISO text. */
  defaultLabeledAt: string;
}

/** Create `table` (TEMP) with one NormalisedRow per staged record. */
export async function normaliseRows(db: Database, input: NormaliseInput): Promise<void> {
  const { stage, stageColumns, resolved, table } = input;
  const col = (f: TargetField) => resolved.columns[f];
  const spellings = `${table}_spellings`;
  await writeSpellings(db, spellings, resolved);
  const p = new Params();
  const { defaults } = resolved.mapping;

  const alertId = text(col('alert_id'));
  const address = text(col('address'));
  const scope =
    resolved.mapping.scope === 'address'
      ? `CASE WHEN address IS NOT NULL THEN 'address' END`
      : resolved.mapping.scope === 'alert'
        ? `CASE WHEN alert_id IS NOT NULL THEN 'alert' END`
        : `CASE WHEN alert_id IS NOT NULL THEN 'alert' WHEN address IS NOT NULL THEN 'address' END`;
  const atColumn = col('labeled_at');
  const confidenceColumn = col('label_confidence');
  const labeledBy = text(col('labeled_by'));

  await db.exec(
    `CREATE TEMP TABLE ${ident(table)} AS
    WITH mapped AS (
      SELECT
        s.rowid + 1 AS source_row,
        ${alertId} AS alert_id,
        ${address} AS address,
        lower(${text(col('label'))}) AS label_text,
        lower(${text(col('label_source'))}) AS source_text,
        ${text(confidenceColumn)} AS confidence_text,
        ${confidenceColumn ? `TRY_CAST(${text(confidenceColumn)} AS DOUBLE)` : 'NULL::DOUBLE'} AS confidence_value,
        ${text(atColumn)} AS labeled_at_text,
        ${atColumn ? timestampExpr(atColumn, stageColumns.get(atColumn) ?? 'VARCHAR') : 'NULL::TIMESTAMP'} AS labeled_at_value,
        ${labeledBy} AS labeled_by_text,
        ${col('note') ? `CAST(s.${ident(col('note')!)} AS VARCHAR)` : 'NULL::VARCHAR'} AS note
      FROM ${ident(stage)} AS s
    )
    SELECT
      m.source_row,
      ${scope} AS scope,
      ${resolved.mapping.scope === 'address' ? 'NULL::VARCHAR' : 'm.alert_id'} AS alert_id,
      m.address,
      m.label_text,
      CAST(ls.value AS TINYINT) AS label,
      m.source_text,
      CASE WHEN m.source_text IS NULL THEN CAST(${p.bind(defaults.label_source)} AS VARCHAR) ELSE ss.value END AS label_source,
      m.confidence_text,
      CASE WHEN m.confidence_text IS NULL THEN CAST(${p.bind(defaults.label_confidence)} AS DOUBLE) ELSE m.confidence_value END AS label_confidence,
      m.labeled_at_text,
      CASE WHEN m.labeled_at_text IS NULL THEN CAST(${p.bind(input.defaultLabeledAt)} AS TIMESTAMP) ELSE m.labeled_at_value END AS labeled_at,
      coalesce(m.labeled_by_text, CAST(${p.bind(defaults.labeled_by)} AS VARCHAR)) AS labeled_by,
      m.note
    FROM mapped AS m
    LEFT JOIN ${ident(spellings)} AS ls ON ls.kind = 'label' AND ls.spelling = m.label_text
    LEFT JOIN ${ident(spellings)} AS ss ON ss.kind = 'source' AND ss.spelling = m.source_text
    ORDER BY m.source_row`,
    p.values,
  );
  await db.exec(`DROP TABLE ${ident(spellings)}`);
}
