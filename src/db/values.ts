/**
 * Arrow results as plain JavaScript values, typed by their column: the one place that knows how
 * DuckDB's Arrow output maps to JS, used by `rows()` and by plots and tables.
 *
 * DuckDB's Arrow results need this: DATE and TIMESTAMP arrive as epoch-millisecond numbers (Plot
 * would draw them as plain numbers), BIGINT as BigInt, and DECIMAL (including every `sum()` of
 * integers, which is HUGEINT, exported as Decimal(38,0)) as an object whose string form is the
 * *unscaled* integer: 1.50 as DECIMAL(18,2) prints as "150".
 */
import { DataType, Type, util, type Field, type Table } from 'apache-arrow';

export type PlainValue = null | number | string | boolean | Date | PlainValue[] | { [key: string]: PlainValue };

export interface ConvertOptions {
  /** Dates and timestamps as `Date` objects (for plots) or epoch milliseconds (for arithmetic). */
  dates?: 'date' | 'epoch-ms';
}

/** A converter from one column's raw Arrow values to plain values. */
export function converterFor(type: DataType, opts: ConvertOptions = {}): (raw: unknown) => PlainValue {
  if (DataType.isDate(type) || DataType.isTimestamp(type)) {
    if (opts.dates === 'epoch-ms') return (v) => (v === null || v === undefined ? null : Number(v));
    return (v) => (v === null || v === undefined ? null : new Date(Number(v)));
  }
  if (DataType.isDecimal(type)) {
    const scale = type.scale;
    return (v) => (v === null || v === undefined ? null : util.bigNumToNumber(v as never, scale));
  }
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
    const item = converterFor(type.children[0]!.type, opts);
    return (v) => (v === null || v === undefined ? null : Array.from(v as Iterable<unknown>, item));
  }
  if (DataType.isStruct(type)) {
    const fields = type.children.map((f) => [f.name, converterFor(f.type, opts)] as const);
    return (v) => {
      if (v === null || v === undefined) return null;
      const row = v as Record<string, unknown>;
      return Object.fromEntries(fields.map(([name, conv]) => [name, conv(row[name])]));
    };
  }
  if (type.typeId === Type.Interval || DataType.isBinary(type) || DataType.isFixedSizeBinary(type)) {
    return (v) => (v === null || v === undefined ? null : String(v));
  }
  return (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'bigint') return Number(v);
    return v as PlainValue;
  };
}

export interface PlainRows {
  columns: string[];
  rows: Record<string, PlainValue>[];
}

/** Every row of `table` as an object of plain values. */
export function plainRows(table: Table, opts: ConvertOptions = {}): PlainRows {
  const fields: Field[] = table.schema.fields;
  const columns = fields.map((f) => f.name);
  const vectors = fields.map((f, i) => ({ name: f.name, get: table.getChildAt(i)!, conv: converterFor(f.type, opts) }));
  const rows: Record<string, PlainValue>[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, PlainValue> = {};
    for (const v of vectors) row[v.name] = v.conv(v.get.get(r));
    rows[r] = row;
  }
  return { columns, rows };
}
