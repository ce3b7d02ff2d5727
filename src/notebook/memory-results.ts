/**
 * In-memory results: small tables a cell publishes as JavaScript rows instead of DuckDB tables.
 *
 * Why: a proxy cell recomputes its label counts from a precomputed cube in about a millisecond
 * per threshold move; writing them into DuckDB as TEMP tables for the plots to read back would
 * cost more than the computation itself (two round trips per result, per move). So plot and
 * table cells look a name up here first and only then in the database. Names carry the
 * publishing cell as a prefix (`labels.by_severity`), so they can never hide a sql cell's table.
 *
 * Column types are DuckDB's names, so tables and reports format these values exactly like a
 * query's (counts with separators, shares to six significant digits).
 */
import { Float64, Int64, Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import type { PlainValue } from '../db/values.ts';

export type MemoryColumnType = 'VARCHAR' | 'DOUBLE' | 'BIGINT';

export interface MemoryColumn {
  name: string;
  type: MemoryColumnType;
}

export interface MemoryResult {
  kind: 'memory';
  /** `cell.part`, as plot and table cells name it. */
  name: string;
  columns: MemoryColumn[];
  rows: Record<string, PlainValue>[];
  /**
   * Why the result has no rows yet, when it is waiting for something (a compare cell that has
   * not trained): plots and tables show this instead of an empty frame.
   */
  waiting?: string;
}

/** The result name a cell's part is published under. */
export function memoryResultName(cell: string, part: string): string {
  return `${cell}.${part}`;
}

/**
 * The first `limit` rows as an Arrow table, for table cells (whose value holds Arrow rows like a
 * query's). Integers are BIGINT-typed but built from doubles: counts here stay far below 2^53.
 */
export function memoryTable(result: MemoryResult, columns: readonly MemoryColumn[], limit: number): Table {
  const rows = result.rows.slice(0, limit);
  const vectors: Record<string, Vector> = {};
  for (const c of columns) {
    const values = rows.map((r) => r[c.name] ?? null);
    vectors[c.name] =
      c.type === 'VARCHAR'
        ? vectorFromArray(
            values.map((v) => (v === null ? null : String(v))),
            new Utf8(),
          )
        : numberVector(values, c.type);
  }
  return new Table(vectors);
}

function numberVector(values: PlainValue[], type: Exclude<MemoryColumnType, 'VARCHAR'>): Vector {
  const numbers = values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
  if (type === 'DOUBLE') return vectorFromArray(numbers, new Float64());
  return vectorFromArray(
    numbers.map((v) => (v === null ? null : BigInt(Math.round(v)))),
    new Int64(),
  );
}
