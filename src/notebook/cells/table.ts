/** A table cell: the first rows of a sql cell's result (chosen columns), and its total count. */
import type { Table } from 'apache-arrow';
import { ident } from '../../db/database.ts';
import type { TableSpec } from '../cell-schemas.ts';
import { throwIfStale, type RunContext } from './context.ts';

export interface TableResult {
  kind: 'table';
  /** The sql cell shown. */
  source: string;
  title?: string;
  columns: { name: string; type: string }[];
  /** At most `limit` rows. */
  rows: Table;
  /** Rows in the whole result. */
  total: number;
}

export async function runTableCell(spec: TableSpec, ctx: RunContext): Promise<TableResult> {
  const source = ctx.results.get(spec.data);
  if (!source) throw new Error(`no result named ${spec.data}`);
  const names = source.columns.map((c) => c.name);
  const missing = (spec.columns ?? []).filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new Error(`columns: no column ${missing.map((c) => `'${c}'`).join(', ')} in ${spec.data}: expected some of ${names.join(', ')}`);
  }
  const columns = spec.columns ? spec.columns.map((c) => source.columns.find((s) => s.name === c)!) : source.columns;
  const select = columns.map((c) => ident(c.name)).join(', ');
  const rows = await ctx.db.query(`SELECT ${select} FROM ${ident(spec.data)} LIMIT ?`, [spec.limit]);
  throwIfStale(ctx.signal);
  return { kind: 'table', source: spec.data, ...(spec.title !== undefined && { title: spec.title }), columns, rows, total: source.rowCount };
}
