/**
 * Read a Parquet file's footer (Thrift compact protocol) in TypeScript, before parquet-wasm sees
 * the file: to say plainly that a file is truncated or not Parquet, and to know how large its
 * columns are once decompressed. A small ZSTD file can decode to gigabytes; parquet-wasm then
 * runs out of wasm memory and panics ("unreachable"), so the loader refuses such a file by its
 * footer's own figures instead of decoding it.
 *
 * Only the figures needed are kept; the rest of the footer is skipped, with every length checked
 * against the bytes there are and a nesting limit, so a damaged footer is an error, never a hang.
 */

export interface ParquetLayout {
  numRows: number;
  rowGroups: number;
  /** The column data's size once decompressed, summed over row groups (the footer's own figures). */
  uncompressedBytes: number;
}

export class ParquetLayoutError extends Error {}

const MAGIC = 'PAR1';

export function readParquetLayout(bytes: Uint8Array): ParquetLayout {
  const n = bytes.byteLength;
  const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (text(0) !== MAGIC) {
    if (text(0) === 'PARE') throw new ParquetLayoutError('encrypted Parquet is not supported');
    throw new ParquetLayoutError('it does not start with the Parquet magic bytes PAR1: not a Parquet file');
  }
  if (n < 12 || text(n - 4) !== MAGIC) {
    throw new ParquetLayoutError('it does not end with the Parquet magic bytes PAR1: the file is truncated');
  }
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset + n - 8, 4).getUint32(0, true);
  if (footerLength === 0 || footerLength > n - 12) {
    throw new ParquetLayoutError(
      `its footer length (${footerLength} bytes) does not fit the file: the file is damaged`,
    );
  }
  const reader = new CompactReader(bytes.subarray(n - 8 - footerLength, n - 8));
  const meta = reader.struct(0);
  const numRows = toNumber(meta.get(3));
  const groups = meta.get(4);
  if (!Array.isArray(groups)) throw new ParquetLayoutError('its footer lists no row groups: the file is damaged');
  let uncompressedBytes = 0;
  for (const g of groups) {
    if (!(g instanceof Map)) throw new ParquetLayoutError('a row group in its footer is damaged');
    const total = toNumber(g.get(2));
    let columns = 0;
    for (const c of asArray(g.get(1))) {
      const md = c instanceof Map ? c.get(3) : undefined;
      if (md instanceof Map) columns += toNumber(md.get(6));
    }
    // Writers fill total_byte_size differently; the larger figure is the safer estimate.
    uncompressedBytes += Math.max(total, columns);
  }
  return { numRows, rowGroups: groups.length, uncompressedBytes };
}

type Value = number | boolean | Uint8Array | Value[] | Map<number, Value>;

const asArray = (v: Value | undefined): Value[] => (Array.isArray(v) ? v : []);
const toNumber = (v: Value | undefined): number => (typeof v === 'number' ? v : 0);

const MAX_DEPTH = 32;

/** Thrift compact protocol, just enough to walk a FileMetaData. */
class CompactReader {
  private at = 0;
  constructor(private readonly buf: Uint8Array) {}

  private fail(what: string): never {
    throw new ParquetLayoutError(`its footer is damaged (${what} at byte ${this.at})`);
  }

  private byte(): number {
    if (this.at >= this.buf.length) this.fail('it ends early');
    return this.buf[this.at++]!;
  }

  private varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    return this.fail('an over-long number');
  }

  private zigzag(): number {
    const v = this.varint();
    // Beyond 2^53 precision is lost; the sizes and counts read here are far below that.
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  struct(depth: number): Map<number, Value> {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const fields = new Map<number, Value>();
    let id = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === 0) return fields;
      const delta = header >> 4;
      id = delta === 0 ? this.zigzag() : id + delta;
      fields.set(id, this.value(type, depth));
    }
  }

  private value(type: number, depth: number): Value {
    switch (type) {
      case 1:
        return true;
      case 2:
        return false;
      case 3:
        return this.byte();
      case 4:
      case 5:
      case 6:
        return this.zigzag();
      case 7:
        if (this.at + 8 > this.buf.length) this.fail('it ends early');
        this.at += 8;
        return 0;
      case 8: {
        const len = this.varint();
        if (this.at + len > this.buf.length) this.fail('a string runs past its end');
        const out = this.buf.subarray(this.at, this.at + len);
        this.at += len;
        return out;
      }
      case 9:
      case 10: {
        const header = this.byte();
        const size = header >> 4 === 15 ? this.varint() : header >> 4;
        const elem = header & 0x0f;
        // Every element takes at least one byte (booleans in a list take one each).
        if (size > this.buf.length - this.at) this.fail('a list longer than the footer');
        const out: Value[] = [];
        for (let i = 0; i < size; i++)
          out.push(elem === 1 || elem === 2 ? this.byte() === 1 : this.value(elem, depth + 1));
        return out;
      }
      case 11: {
        const size = this.varint();
        if (size === 0) return [];
        const kinds = this.byte();
        if (2 * size > this.buf.length - this.at) this.fail('a map longer than the footer');
        for (let i = 0; i < size; i++) {
          this.value(kinds >> 4, depth + 1);
          this.value(kinds & 0x0f, depth + 1);
        }
        return [];
      }
      case 12:
        return this.struct(depth + 1);
      default:
        return this.fail(`an unknown field type ${type}`);
    }
  }
}
