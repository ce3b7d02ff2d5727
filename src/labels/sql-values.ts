/**
 * How a value enters the proxy-label SQL, per dialect.
 *
 * DuckDB gets numbered parameters ($1, $2, ...) and a params array: user values (thresholds,
 * severities, the rule's name) never become SQL text. One value used in several places keeps one
 * number, so an expression can be repeated (ClickHouse's ALTER UPDATE allows no subqueries, so
 * the rule is written as plain expressions) without the caller tracking positions.
 *
 * ClickHouse gets literals: the emitted script is text a miner carries to their own server.
 * Strings are escaped for ClickHouse, where a backslash in a literal is an escape character
 * (so `literal()` from database.ts, which only doubles quotes, is not enough); numbers are
 * written in JavaScript's shortest round-trip form, which ClickHouse parses back to the same
 * double, so both engines compare against bit-identical thresholds.
 */
import type { SqlValue } from '../db/database.ts';
import type { Dialect } from '../migrations/index.ts';

export interface SqlWithParams {
  sql: string;
  params: SqlValue[];
}

export class SqlValues {
  readonly params: SqlValue[] = [];
  private readonly numbers = new Map<string, number>();

  constructor(readonly dialect: Dialect) {}

  /** The SQL that stands for `value`: `$n` in DuckDB, a literal in ClickHouse. */
  ref(value: string | number): string {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`cannot use ${value} in SQL`);
    if (this.dialect === 'clickhouse')
      return typeof value === 'number' ? clickhouseNumber(value) : clickhouseString(value);
    const key = `${typeof value}:${String(value)}`;
    let n = this.numbers.get(key);
    if (n === undefined) {
      this.params.push(value);
      n = this.params.length;
      this.numbers.set(key, n);
    }
    return `$${n}`;
  }

  /** A bound DOUBLE in DuckDB: an integer-valued JS number must not become an INTEGER literal. */
  double(value: number): string {
    const ref = this.ref(value);
    return this.dialect === 'clickhouse' ? `toFloat64(${ref})` : ref;
  }

  finish(sql: string): SqlWithParams {
    return { sql, params: [...this.params] };
  }
}

export function clickhouseString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function clickhouseNumber(value: number): string {
  // Negative literals are parenthesised so `x - -1` never reads as a comment or an operator run.
  return value < 0 ? `(${String(value)})` : String(value);
}

/** Type names for the casts the rule needs, per dialect (matching the migration's column types). */
export const SQL_TYPES: Record<Dialect, { int8: string; float32: string; text: string }> = {
  duckdb: { int8: 'TINYINT', float32: 'FLOAT', text: 'VARCHAR' },
  clickhouse: { int8: 'Nullable(Int8)', float32: 'Nullable(Float32)', text: 'Nullable(String)' },
};
