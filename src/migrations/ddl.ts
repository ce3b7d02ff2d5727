/**
 * Renders the column and table definitions of `label-columns.ts` as DDL statements for DuckDB
 * (applied locally by the runner) and ClickHouse (printed for the upstream database). Every
 * statement is returned without a trailing semicolon, one string each, so the runner can execute
 * them one at a time and the emitter can print them.
 */
import { literal } from '../db/database.ts';
import type { ColumnSpec, TableSpec } from './label-columns.ts';

export type Dialect = 'duckdb' | 'clickhouse';

function clickhouseType(col: ColumnSpec): string {
  return col.nullable ? `Nullable(${col.clickhouse})` : col.clickhouse;
}

function defaultClause(col: ColumnSpec): string {
  return col.default === undefined ? '' : ` DEFAULT ${col.default}`;
}

/**
 * `ALTER TABLE ... ADD COLUMN IF NOT EXISTS` for each column. IF NOT EXISTS because the table
 * may already carry the columns (an export taken from a ClickHouse that ran the design's
 * migration): the migration then adopts them instead of failing.
 */
export function addColumnsSql(dialect: Dialect, table: string, columns: readonly ColumnSpec[]): string[] {
  if (dialect === 'clickhouse') {
    return columns.map(
      (c) =>
        `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${c.name} ${clickhouseType(c)}` +
        `${defaultClause(c)} COMMENT ${literal(c.comment)}`,
    );
  }
  return columns.flatMap((c) => [
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${c.name} ${c.duckdb}${defaultClause(c)}`,
    // DuckDB refuses constraints in ADD COLUMN; the default has filled existing rows, so NOT NULL
    // can be set right after.
    ...(c.nullable ? [] : [`ALTER TABLE ${table} ALTER COLUMN ${c.name} SET NOT NULL`]),
    `COMMENT ON COLUMN ${table}.${c.name} IS ${literal(c.comment)}`,
  ]);
}

/** The statements that create `table` (and, in DuckDB, the sequence its ids come from). */
export function createTableSql(dialect: Dialect, table: TableSpec): string[] {
  return dialect === 'clickhouse' ? clickhouseCreateTable(table) : duckdbCreateTable(table);
}

function duckdbCreateTable(table: TableSpec): string[] {
  const { column: idColumn, sequence } = table.identity;
  const columns = table.columns.map((c) => {
    const key =
      c.name === idColumn ? ` PRIMARY KEY DEFAULT nextval(${literal(sequence)})` : c.nullable ? '' : ' NOT NULL';
    return `  ${c.name} ${c.duckdb}${key}${defaultClause(c)}`;
  });
  // DuckDB ignores constraint names (it reports the expression instead), so none are written.
  const checks = table.checks.map((k) => `  CHECK (${k.expr})`);
  return [
    `CREATE SEQUENCE ${sequence} START 1`,
    `CREATE TABLE ${table.name} (\n${[...columns, ...checks].join(',\n')}\n)`,
    `COMMENT ON TABLE ${table.name} IS ${literal(table.comment)}`,
    ...table.columns.map((c) => `COMMENT ON COLUMN ${table.name}.${c.name} IS ${literal(c.comment)}`),
  ];
}

function clickhouseCreateTable(table: TableSpec): string[] {
  const columns = table.columns.map(
    (c) => `  ${c.name} ${clickhouseType(c)}${defaultClause(c)} COMMENT ${literal(c.comment)}`,
  );
  const checks = table.checks.map((k) => `  CONSTRAINT ${k.name} CHECK (${k.expr})`);
  return [
    `CREATE TABLE IF NOT EXISTS ${table.name} (\n${[...columns, ...checks].join(',\n')}\n)\n` +
      `ENGINE = MergeTree\nORDER BY ${table.clickhouseOrderBy}\nCOMMENT ${literal(table.comment)}`,
  ];
}
