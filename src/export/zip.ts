/**
 * A ZIP archive of a few files, stored without compression: how the browser hands over a model
 * (model.json, weights.bin, preprocessing.json) as one download. Several downloads from one
 * click are blocked or prompted for by browsers, and renaming the files apart would break the
 * weights path model.json names. Weights barely compress, so storing costs next to nothing.
 *
 * The plain ZIP format (APPNOTE 6.3: local headers, central directory, end record), with UTF-8
 * names (flag bit 11) and a fixed timestamp, so the same files give the same bytes.
 */
import type { ArtefactFile } from '../ml/artefacts.ts';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as ZIP and gzip use it). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** 1980-01-01 00:00, the earliest DOS date: a fixed stamp keeps archives reproducible. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const VERSION = 20;

export function zipStored(files: readonly ArtefactFile[]): Uint8Array {
  const encoder = new TextEncoder();
  const entries = files.map((f) => ({ name: encoder.encode(f.name), bytes: f.bytes, crc: crc32(f.bytes) }));
  const names = new Set<string>();
  for (const f of files) {
    if (names.has(f.name)) throw new Error(`zip: two files named ${f.name}`);
    names.add(f.name);
  }
  const localSize = entries.reduce((n, e) => n + 30 + e.name.length + e.bytes.length, 0);
  const centralSize = entries.reduce((n, e) => n + 46 + e.name.length, 0);
  if (localSize + centralSize > 0xffffffff || entries.length > 0xffff)
    throw new Error('zip: too large for a ZIP archive without ZIP64');
  const out = new Uint8Array(localSize + centralSize + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (v: number) => {
    view.setUint16(at, v, true);
    at += 2;
  };
  const u32 = (v: number) => {
    view.setUint32(at, v, true);
    at += 4;
  };
  const bytes = (b: Uint8Array) => {
    out.set(b, at);
    at += b.length;
  };
  const offsets: number[] = [];
  for (const e of entries) {
    offsets.push(at);
    u32(0x04034b50);
    u16(VERSION);
    u16(UTF8_NAMES);
    u16(0); // stored
    u16(DOS_TIME);
    u16(DOS_DATE);
    u32(e.crc);
    u32(e.bytes.length);
    u32(e.bytes.length);
    u16(e.name.length);
    u16(0);
    bytes(e.name);
    bytes(e.bytes);
  }
  const central = at;
  entries.forEach((e, i) => {
    u32(0x02014b50);
    u16(VERSION);
    u16(VERSION);
    u16(UTF8_NAMES);
    u16(0);
    u16(DOS_TIME);
    u16(DOS_DATE);
    u32(e.crc);
    u32(e.bytes.length);
    u32(e.bytes.length);
    u16(e.name.length);
    u16(0); // extra
    u16(0); // comment
    u16(0); // disk
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(offsets[i]!);
    bytes(e.name);
  });
  const directorySize = at - central;
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(entries.length);
  u16(entries.length);
  u32(directorySize);
  u32(central);
  u16(0);
  return out;
}
