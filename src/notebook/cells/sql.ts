/**
 * A sql cell: its query, with params bound, stored as the TEMP table named after the cell (see
 * result-tables.ts), and a first look at the result for display.
 */
import type { Table } from 'apache-arrow';
import { ident, QueryInterrupted, rows, scalar, type SqlValue } from '../../db/database.ts';
import type { CellKindModule } from '../cell-kind.ts';
import { formatNumber } from '../format-value.ts';
import { checkNameIsFree, claimResultName, dropResult } from '../result-tables.ts';
import { bindSql } from '../sql-params.ts';
import { lineInSql, scanSql } from '../../db/sql-lexer.ts';
import { throwIfStale, type RunContext } from './context.ts';
import { placeDbError } from './db-errors.ts';

export interface SqlSpec {
  kind: 'sql';
  sql: string;
}

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
    // Stopped by its time limit or a cancel: the runtime says which, naming the cell and the limit.
    if (e instanceof QueryInterrupted) throw e;
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

/**
 * Whether `sql` reads the table `name` (`FROM name`, `JOIN name`) without defining it first as a
 * CTE (`WITH name AS (...)`). Its own name elsewhere is most often a column (`SELECT severity`
 * in cell `severity`), so only a table position counts; the cell's own result is never there to
 * read, and DuckDB would only say "Table with name ... does not exist".
 */
function readsItself(sql: string, name: string): boolean {
  const text = sql.replace(/--[^\n]*|'(?:[^']|'')*'/g, ' ');
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const quoted = `(?:${n}|"${n}")`;
  if (new RegExp(`(?:\\bwith(?:\\s+recursive)?|,)\\s*${quoted}\\s*(?:\\([^)]*\\))?\\s+as\\b`, 'i').test(text))
    return false;
  const table = `(?:(?:main|temp)\\.)?${quoted}(?![\\w$."(])`;
  if (new RegExp(`\\b(?:from|join)\\s+${table}`, 'i').test(text)) return true;
  // A comma join names it later in a FROM list: `FROM alerts a, severity`.
  const item = new RegExp(`^\\s*${table}`, 'i');
  return fromListItems(text).some((t) => item.test(t));
}

/** Words that end a FROM list (at its own depth of parentheses). */
const FROM_LIST_END = new Set([
  'where',
  'group',
  'order',
  'limit',
  'having',
  'qualify',
  'window',
  'union',
  'intersect',
  'except',
  'join',
  'on',
  'using',
  'select',
  'offset',
  'sample',
  'pivot',
  'unpivot',
  'natural',
  'left',
  'right',
  'inner',
  'outer',
  'full',
  'cross',
  'positional',
  'asof',
  'anti',
  'semi',
  'lateral',
]);

/** The second and later items of every FROM list in `text` (comments and strings already blanked). */
function fromListItems(text: string): string[] {
  const items: string[] = [];
  for (const m of text.matchAll(/\bfrom\b/gi)) {
    let depth = 0;
    let start = -1; // where the current item after a comma starts
    let i = m.index + m[0].length;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && c === ',') {
        if (start >= 0) items.push(text.slice(start, i));
        start = i + 1;
      } else if (depth === 0 && /[a-z]/i.test(c) && !/[\w$]/.test(text[i - 1] ?? ' ')) {
        const word = /^[a-z_]+/i.exec(text.slice(i))![0];
        if (FROM_LIST_END.has(word.toLowerCase())) break;
        i += word.length - 1;
      }
    }
    if (start >= 0) items.push(text.slice(start, i));
  }
  return items;
}

/**
 * The sql kind: the body is SQL text checked by the lexer; `$name`s are params, and identifiers
 * that name another sql cell are that cell's table (`FROM by_severity`). A column that happens to
 * share a cell's name only adds a harmless extra dependency.
 */
export const sqlCell: CellKindModule<'sql', SqlSpec, SqlResult> = {
  kind: 'sql',
  expected: 'one SQL query',
  parse(body, at) {
    const scan = scanSql(body);
    if (scan.problems.length === 0) return { ok: true, spec: { kind: 'sql', sql: body } };
    return {
      ok: false,
      diagnostics: scan.problems.map((p) => ({
        line: at.line + lineInSql(body, p.offset) - 1,
        message: `${at.what}: ${p.message}`,
      })),
    };
  },
  uses(spec, scope) {
    const scan = scanSql(spec.sql);
    const self = scan.identifiers.has(scope.id.toLowerCase()) ? readsItself(spec.sql, scope.id) : false;
    return {
      params: scan.params.map((p) => p.name),
      data: [...scan.identifiers].filter((id) => scope.tables.has(id) && id !== scope.id),
      ...(self && {
        problem: `sql ${scope.id} reads ${scope.id}, its own name: a cell cannot read itself (a cycle); expected another cell's result or a loaded table`,
      }),
    };
  },
  resultTable: (value) => value,
  run: (cell, ctx) => runSqlCell(cell.name, cell.spec.sql, ctx),
  report(value, { el, block, durationMs }) {
    const timing = durationMs !== undefined ? ` · ${formatNumber(Math.round(durationMs))} ms` : '';
    const details = el(
      'details',
      {},
      el(
        'summary',
        {},
        el('span', { class: 'kind' }, 'sql'),
        ` ${value.name} · ${formatNumber(value.rowCount)} row${value.rowCount === 1 ? '' : 's'}${timing}`,
      ),
    );
    details.append(el('pre', {}, el('code', {}, block ? block.body : value.sql)));
    return [details];
  },
};
