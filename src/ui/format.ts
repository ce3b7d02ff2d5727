/**
 * How one Arrow value is shown in the data grid: dates as dates, epoch numbers kept as numbers,
 * lists and structs as short readable text. Pure functions over Arrow types, no DOM.
 */
import { DataType, util, type Decimal, type Field, type Vector } from 'apache-arrow';

export interface CellText {
  text: string;
  /** Right-aligned, tabular digits. */
  numeric: boolean;
  /** NULL, shown muted so it is not mistaken for the string "null". */
  isNull: boolean;
}

/** Lists longer than this show their first items and a count of the rest. */
const LIST_ITEMS = 12;

const NULL_CELL: CellText = { text: 'null', numeric: false, isNull: true };

export function formatCell(value: unknown, type: DataType): CellText {
  if (value === null || value === undefined) return NULL_CELL;
  const numeric = DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type);
  return { text: formatValue(value, type), numeric, isNull: false };
}

function formatValue(value: unknown, type: DataType): string {
  if (value === null || value === undefined) return 'null';
  if (DataType.isDate(type)) return formatDate(value);
  if (DataType.isTimestamp(type)) return formatTimestamp(value);
  if (DataType.isDecimal(type)) return formatDecimal(value, type);
  if (DataType.isFloat(type)) return formatFloat(Number(value));
  if (DataType.isInt(type)) return String(value);
  if (DataType.isBool(type)) return value ? 'true' : 'false';
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
    return formatList(value as Vector, (type.children[0] as Field).type);
  }
  if (DataType.isBinary(type) || DataType.isLargeBinary(type) || DataType.isFixedSizeBinary(type)) {
    return `<${(value as Uint8Array).byteLength} bytes>`;
  }
  if (DataType.isStruct(type) || DataType.isMap(type)) return JSON.stringify(value, jsonSafe);
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value, jsonSafe);
  return String(value);
}

/** Dates arrive as epoch milliseconds (or Date objects from some Arrow versions). */
function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  const ms = typeof value === 'bigint' ? Number(value) : Number(value);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

function formatDate(value: unknown): string {
  const d = toDate(value);
  return d ? d.toISOString().slice(0, 10) : String(value);
}

/** UTC, seconds shown, milliseconds only when there are any: "2026-01-05 10:00:00". */
function formatTimestamp(value: unknown): string {
  const d = toDate(value);
  if (!d || Number.isNaN(d.getTime())) return String(value);
  const iso = d.toISOString();
  const ms = iso.slice(19, 23);
  return iso.slice(0, 10) + ' ' + iso.slice(11, 19) + (ms === '.000' ? '' : ms);
}

/**
 * Up to 6 decimals and no thousands separators (scores, ratios, amounts read exactly; ids and
 * epoch milliseconds stay copyable); exponent form only for very large or tiny magnitudes.
 */
function formatFloat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return x.toFixed(0);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return x.toExponential(4);
  return String(Number(x.toFixed(6)));
}

/** Decimals are exact in Arrow: place the point by the scale instead of going through a double. */
function formatDecimal(value: unknown, type: Decimal): string {
  if (typeof value === 'number') return formatFloat(value);
  const raw =
    typeof value === 'bigint'
      ? value.toString()
      : util.bigNumToString(value as Parameters<typeof util.bigNumToString>[0]);
  const scale = type.scale;
  if (scale <= 0) return raw;
  const negative = raw.startsWith('-');
  const digits = (negative ? raw.slice(1) : raw).padStart(scale + 1, '0');
  const text = digits.slice(0, -scale) + '.' + digits.slice(-scale);
  return (negative ? '-' : '') + text;
}

function formatList(list: Vector | null, itemType: DataType): string {
  if (!list) return 'null';
  const n = list.length;
  const items: string[] = [];
  for (let i = 0; i < Math.min(n, LIST_ITEMS); i++) {
    const v: unknown = list.get(i);
    const text = formatValue(v, itemType);
    items.push(typeof v === 'string' ? JSON.stringify(v) : text);
  }
  const more = n > LIST_ITEMS ? `, … +${n - LIST_ITEMS}` : '';
  return `[${items.join(', ')}${more}]`;
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
