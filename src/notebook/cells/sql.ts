/**
 * A sql cell: its query, with params bound, stored as the TEMP table named after the cell (see
 * result-tables.ts), and a first look at the result for display.
 */
import type { Table } from 'apache-arrow';
import { ident, rows, scalar, type SqlValue } from '../../db/database.ts';
import { checkNameIsFree, claimResultName, dropResult } from '../result-tables.ts';
import { bindSql } from '../sql-params.ts';
import { throwIfStale, type RunContext } from './context.ts';
import { placeDbError } from './db-errors.ts';

/** Rows kept in a sql cell's value for display; the full result stays in its table. */
export const SQL_PREVIEW_ROWS = 50;

export interface SqlResult {
  kind: 'sql';
  /** The cell name, which is also the name of its result table. */
  name: string;
  columns: { name: string; type: string }[];
  rowCount: number;
  /** The first rows, for display. */
  preview: Table;
  /** The statement as run: `$name`s replaced by placeholders. */
  sql: string;
  /** The values bound to its placeholders, in order. */
  bound: SqlValue[];
}

export async function runSqlCell(name: string, sql: string, ctx: RunContext): Promise<SqlResult> {
  const { db, signal } = ctx;
  const bound = bindSql(sql, ctx.params);
  claimResultName(db, name, ctx.owner);
  await checkNameIsFree(db, name);
  throwIfStale(signal);
  const table = ident(name);
  try {
    // On one line with the query, so DuckDB's "LINE n" is the cell's line n.
    await db.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS ${bound.sql}`, bound.params);
  } catch (e) {
    // Dependents must not read an older result under this name.
    await dropResult(db, name);
    throw new Error(placeDbError(e, ctx.file, ctx.bodyLine));
  }
  throwIfStale(signal);
  const columns = rows<{ column_name: string; column_type: string }>(await db.query(`DESCRIBE ${table}`)).map((c) => ({
    name: c.column_name,
    type: c.column_type,
  }));
  const rowCount = Number(scalar(await db.query(`SELECT count(*) FROM ${table}`)));
  const preview = await db.query(`SELECT * FROM ${table} LIMIT ${SQL_PREVIEW_ROWS}`);
  return { kind: 'sql', name, columns, rowCount, preview, sql: bound.sql, bound: bound.params };
}
