/**
 * Cell values as short text for tables, the same in the browser and in reports. DuckDB's column
 * type decides the form: a DATE reads 2026-01-05, a TIMESTAMP 2026-01-05 10:00:00.
 */
import type { PlainValue } from '../db/values.ts';

const MAX_TEXT = 160;

export function isNumericType(duckdbType: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/i.test(
    duckdbType,
  );
}

/**
 * Integers with thousands separators; other numbers to six significant digits, never rounded to
 * a round-looking value that is not there (0.599981 must not read 0.6 next to a cut-off at 0.6).
 */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  if (n !== 0 && Math.abs(n) < 0.001) return n.toExponential(2);
  return n.toLocaleString('en-US', { maximumSignificantDigits: 6 });
}

function formatDate(d: Date, duckdbType: string): string {
  const iso = d.toISOString();
  if (/^DATE$/i.test(duckdbType)) return iso.slice(0, 10);
  return iso.replace('T', ' ').replace(/(\.000)?Z$/, '');
}

/** Text for one value; null is the caller's to show (as NULL, greyed). */
export function formatValue(value: PlainValue, duckdbType = ''): string {
  if (value === null) return 'NULL';
  let text: string;
  if (typeof value === 'number') text = formatNumber(value);
  else if (value instanceof Date) text = formatDate(value, duckdbType);
  else if (Array.isArray(value)) text = `[${value.map((v) => formatValue(v)).join(', ')}]`;
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
