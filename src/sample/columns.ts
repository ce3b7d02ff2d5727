/**
 * Arrow vectors of the exact types the SOT exports carry, built straight from typed arrays.
 *
 * Why not DuckDB casts: `openNodeDatabase` opens DuckDB with `castBigIntToDouble`, so a UBIGINT
 * result comes back as Float64 and the UInt64 millisecond timestamps would be lost. Building the
 * Arrow data here gives every type exactly (UInt16, UInt64, Decimal128(p, s), Date32, lists,
 * Float32 with nulls) and is also several times faster at a million rows.
 */
import {
  Bool,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int8,
  Int64,
  List,
  makeData,
  makeVector,
  Table,
  TimestampMicrosecond,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  Vector,
  type DataType,
} from 'apache-arrow';

/** Milliseconds in a day, for Date32 (days since the epoch) conversions. */
export const DAY_MS = 86_400_000;

/** A validity bitmap from a per-row "is null" mask (Arrow: bit set = valid). */
function validityBitmap(isNull: Uint8Array): { nullBitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array((isNull.length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < isNull.length; i++) {
    if (isNull[i]) nullCount++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { nullBitmap: bitmap, nullCount };
}

export function u8(values: Uint8Array): Vector {
  return makeVector(makeData({ type: new Uint8(), data: values }));
}

export function u16(values: Uint16Array): Vector {
  return makeVector(makeData({ type: new Uint16(), data: values }));
}

export function u32(values: Uint32Array): Vector {
  return makeVector(makeData({ type: new Uint32(), data: values }));
}

export function i8(values: Int8Array): Vector {
  return makeVector(makeData({ type: new Int8(), data: values }));
}

/** UInt64 from integral doubles (millisecond timestamps and counts stay far below 2^53). */
export function u64(values: ArrayLike<number>): Vector {
  const out = new BigUint64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]!);
  return makeVector(makeData({ type: new Uint64(), data: out }));
}

export function i64(values: ArrayLike<number>): Vector {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]!);
  return makeVector(makeData({ type: new Int64(), data: out }));
}

/** Float32; rows where `isNull[i]` is set become NULL. */
export function f32(values: Float32Array, isNull?: Uint8Array): Vector {
  const nulls = isNull ? validityBitmap(isNull) : undefined;
  return makeVector(makeData({ type: new Float32(), data: values, ...nulls }));
}

export function f64(values: Float64Array): Vector {
  return makeVector(makeData({ type: new Float64(), data: values }));
}

/** Boolean from 0/1 bytes (Arrow packs booleans into bits). */
export function bool(values: Uint8Array): Vector {
  const bits = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) if (values[i]) bits[i >> 3]! |= 1 << (i & 7);
  return makeVector(makeData({ type: new Bool(), data: bits, length: values.length }));
}

/** DATE from days since 1970-01-01. */
export function date32(days: Int32Array): Vector {
  return makeVector(makeData({ type: new DateDay(), data: days }));
}

/** TIMESTAMP (microseconds, no time zone: DuckDB's TIMESTAMP) from epoch milliseconds. */
export function timestampFromMs(ms: ArrayLike<number>, isNull?: Uint8Array): Vector {
  const out = new BigInt64Array(ms.length);
  for (let i = 0; i < ms.length; i++) out[i] = isNull?.[i] ? 0n : BigInt(Math.round(ms[i]!)) * 1000n;
  const nulls = isNull ? validityBitmap(isNull) : undefined;
  return makeVector(makeData({ type: new TimestampMicrosecond(), data: out, ...nulls }));
}

/**
 * DECIMAL(precision, scale) from doubles, rounded half away from zero at `digits` decimals (cents
 * by default: the exports hold cent amounts even where the column has more digits; native token
 * amounts keep 6). Decimal128 is four little-endian 32-bit words per value in two's complement;
 * the rounded integers stay below 2^53, so the upper words are the sign extension.
 */
export function decimal(values: ArrayLike<number>, precision: number, scale: number, digits = 2): Vector {
  if (digits > scale) throw new Error('decimal(): more rounding digits than the scale holds');
  const words = new Uint32Array(values.length * 4);
  const widen = 10n ** BigInt(scale - digits);
  const factor = 10 ** digits;
  const mask32 = 0xffffffffn;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const rounded = Math.sign(v) * Math.round(Math.abs(v) * factor);
    if (!Number.isSafeInteger(rounded)) throw new Error(`decimal(): ${v} does not fit at ${digits} decimals`);
    const u = BigInt.asUintN(128, BigInt(rounded) * widen);
    words[i * 4] = Number(u & mask32);
    words[i * 4 + 1] = Number((u >> 32n) & mask32);
    words[i * 4 + 2] = Number((u >> 64n) & mask32);
    words[i * 4 + 3] = Number((u >> 96n) & mask32);
  }
  return makeVector(makeData({ type: new Decimal(scale, precision, 128), data: words }));
}

/** UTF-8 strings, encoded once into a single buffer. */
export function utf8(values: readonly string[]): Vector {
  const offsets = new Int32Array(values.length + 1);
  let bytes = 0;
  for (let i = 0; i < values.length; i++) {
    bytes += Buffer.byteLength(values[i]!, 'utf8');
    offsets[i + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < values.length; i++) buf.write(values[i]!, offsets[i]!, 'utf8');
  return makeVector(makeData({ type: new Utf8(), data, valueOffsets: offsets }));
}

function listOf(child: Vector, offsets: Int32Array): Vector {
  const type = new List(new Field('item', child.type as DataType, true));
  const childData = child.data[0]!;
  return makeVector(makeData({ type, length: offsets.length - 1, valueOffsets: offsets, child: childData }));
}

/** VARCHAR[] from one string array per row. */
export function listUtf8(rows: readonly (readonly string[])[]): Vector {
  const offsets = new Int32Array(rows.length + 1);
  const flat: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (const s of rows[i]!) flat.push(s);
    offsets[i + 1] = flat.length;
  }
  return listOf(utf8(flat), offsets);
}

/** A list column where every row has `width` values, from a row-major flat typed array. */
function fixedWidthOffsets(rows: number, width: number): Int32Array {
  const offsets = new Int32Array(rows + 1);
  for (let i = 0; i <= rows; i++) offsets[i] = i * width;
  return offsets;
}

/** USMALLINT[] with `width` values per row (hourly 24, weekly 7). */
export function listU16(flat: Uint16Array, width: number): Vector {
  return listOf(u16(flat), fixedWidthOffsets(flat.length / width, width));
}

/** Table from named vectors, in the given column order. */
export function tableOf(columns: Record<string, Vector>): Table {
  return new Table(columns);
}
