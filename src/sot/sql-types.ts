/**
 * DuckDB type names as DESCRIBE prints them, sorted into the classes the contracts speak of,
 * and the storage type each column kind gets in the raw tables.
 */
import type { ColumnKind } from './contracts.ts';

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const FLOATING = /^(FLOAT|DOUBLE|REAL)$|^DECIMAL\(/;
const TEMPORAL = /^(TIMESTAMP|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP_S|TIMESTAMP WITH TIME ZONE|DATE)$/;

export const isInteger = (t: string) => INTEGER.test(t);
export const isNumeric = (t: string) => INTEGER.test(t) || FLOATING.test(t);
export const isString = (t: string) => t === 'VARCHAR' || t.startsWith('ENUM(');
export const isTemporal = (t: string) => TEMPORAL.test(t);
export const isList = (t: string) => t.endsWith('[]');

/** The type a column of this kind is stored as, wide enough for every export variant. */
export const STORAGE_TYPE: Record<ColumnKind, string> = {
  string: 'VARCHAR',
  number: 'DOUBLE',
  integer: 'BIGINT',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  epoch_ms: 'BIGINT',
  string_list: 'VARCHAR[]',
};

/** How the kind is described to a user in an error ("expected a number ..."). */
export const KIND_WORDS: Record<ColumnKind, string> = {
  string: 'text (VARCHAR)',
  number: 'a number (FLOAT, DOUBLE, DECIMAL or an integer)',
  integer: 'an integer',
  boolean: 'a boolean (or 0/1)',
  date: 'a date (DATE, TIMESTAMP or YYYY-MM-DD text)',
  timestamp: 'a timestamp (TIMESTAMP, DATE or ISO text)',
  epoch_ms: 'epoch milliseconds (an integer) or a TIMESTAMP',
  string_list: 'a list of text (VARCHAR[])',
};

/** Whether a staged column of `type` can hold values of `kind` at all (values are checked later). */
export function accepts(kind: ColumnKind, type: string): boolean {
  switch (kind) {
    case 'string':
      return isString(type);
    case 'number':
      return isNumeric(type);
    case 'integer':
      return isInteger(type);
    case 'boolean':
      return type === 'BOOLEAN' || isInteger(type) || type === 'VARCHAR';
    case 'date':
    case 'timestamp':
      return isTemporal(type) || type === 'VARCHAR';
    case 'epoch_ms':
      return isInteger(type) || isTemporal(type);
    case 'string_list':
      return type === 'VARCHAR[]' || type === 'VARCHAR';
  }
}

/**
 * The storage type for a column no contract names (the feature columns): decimals and floats
 * widen to DOUBLE (SQL casts decimals exactly; Arrow's castDecimalToDouble does not), integers
 * to BIGINT so files with UInt32 and Int64 variants of a column merge; the rest stays.
 */
export function widenedType(type: string): string {
  if (FLOATING.test(type) || type === 'HUGEINT' || type === 'UHUGEINT') return 'DOUBLE';
  if (INTEGER.test(type)) return type === 'UBIGINT' ? 'DOUBLE' : 'BIGINT';
  return type;
}
