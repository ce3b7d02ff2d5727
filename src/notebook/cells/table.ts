/**
 * A table cell: the first rows of a result (chosen columns), and its total count. The result is a
 * sql cell's table, or an in-memory result (a proxy cell's), shown without a database round trip.
 */
import type { Table } from 'apache-arrow';
import { ident } from '../../db/database.ts';
import { plainRows } from '../../db/values.ts';
import { yamlBody, type CellKindModule, type ReportEl } from '../cell-kind.ts';
import { TableSpec } from '../cell-schemas.ts';
import { formatNumber, formatValue, isNumericType } from '../format-value.ts';
import { memoryTable, type MemoryResult } from '../memory-results.ts';
import { throwIfStale, type RunContext } from './context.ts';

export interface TableCellSpec {
  kind: 'table';
  table: TableSpec;
}

export interface TableResult {
  kind: 'table';
  /** The result shown: a sql cell, or a proxy cell's result (`labels.rule_stats`). */
  source: string;
  title?: string;
  columns: { name: string; type: string }[];
  /** At most `limit` rows. */
  rows: Table;
  /** Rows in the whole result. */
  total: number;
  /** Set when the result is waiting (a compare cell not trained yet): shown instead of "no rows". */
  waiting?: string;
}

export async function runTableCell(spec: TableSpec, ctx: RunContext): Promise<TableResult> {
  const memory = ctx.memory.get(spec.data);
  if (memory) return memoryTableResult(spec, memory);
  const source = ctx.results.get(spec.data);
  if (!source) throw new Error(`no result named ${spec.data}`);
  const columns = chosenColumns(spec, source.columns);
  const select = columns.map((c) => ident(c.name)).join(', ');
  const rows = await ctx.db.query(`SELECT ${select} FROM ${ident(spec.data)} LIMIT ?`, [spec.limit]);
  throwIfStale(ctx.signal);
  return {
    kind: 'table',
    source: spec.data,
    ...(spec.title !== undefined && { title: spec.title }),
    columns,
    rows,
    total: source.rowCount,
  };
}

function chosenColumns<C extends { name: string }>(spec: TableSpec, available: readonly C[]): C[] {
  const names = available.map((c) => c.name);
  const missing = (spec.columns ?? []).filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new Error(
      `columns: no column ${missing.map((c) => `'${c}'`).join(', ')} in ${spec.data}: expected some of ${names.join(', ')}`,
    );
  }
  return spec.columns ? spec.columns.map((c) => available.find((s) => s.name === c)!) : [...available];
}

function memoryTableResult(spec: TableSpec, memory: MemoryResult): TableResult {
  const columns = chosenColumns(spec, memory.columns);
  return {
    kind: 'table',
    source: spec.data,
    ...(spec.title !== undefined && { title: spec.title }),
    columns,
    rows: memoryTable(memory, columns, spec.limit),
    total: memory.rows.length,
    ...(memory.waiting !== undefined && { waiting: memory.waiting }),
  };
}

/** The table kind: it reads its `data`. */
export const tableCell: CellKindModule<'table', TableCellSpec, TableResult> = {
  kind: 'table',
  expected: 'a YAML table spec ({data: RESULT})',
  parse: yamlBody(TableSpec, (table) => ({ kind: 'table', table })),
  uses: ({ table }) => ({ data: [table.data] }),
  run: (cell, ctx) => runTableCell(cell.spec.table, ctx),
  report(value, { el }) {
    const out: Node[] = [];
    if (value.title) out.push(el('h3', {}, value.title));
    out.push(dataTable(el, value.rows, value.columns));
    const shown = value.rows.numRows;
    const rowsOf = (n: number) => `${formatNumber(n)} row${n === 1 ? '' : 's'}`;
    out.push(
      el(
        'p',
        { class: 'note' },
        shown < value.total
          ? `First ${rowsOf(shown)} of ${formatNumber(value.total)} in ${value.source}`
          : `${rowsOf(value.total)} in ${value.source}`,
      ),
    );
    return out;
  },
};

function dataTable(el: ReportEl, table: Table, columns: { name: string; type: string }[]): HTMLElement {
  const { rows } = plainRows(table);
  const numeric = columns.map((c) => isNumericType(c.type));
  const head = el(
    'tr',
    {},
    ...columns.map((c, i) => el('th', numeric[i] ? { class: 'num', title: c.type } : { title: c.type }, c.name)),
  );
  const body = el('tbody');
  for (const r of rows) {
    body.append(
      el(
        'tr',
        {},
        ...columns.map((c, i) => {
          const v = r[c.name] ?? null;
          const cls = [numeric[i] ? 'num' : '', v === null ? 'null' : ''].filter(Boolean).join(' ');
          return el('td', cls ? { class: cls } : {}, formatValue(v, c.type));
        }),
      ),
    );
  }
  return el('div', { class: 'table-wrap' }, el('table', { class: 'data' }, el('thead', {}, head), body));
}
