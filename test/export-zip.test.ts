/**
 * The stored ZIP that carries a model's files as one download: CRC-32 as ZIP defines it, and an
 * archive whose central directory, local headers and data agree (read back by its own offsets;
 * `unzip -t` checks it too where Info-ZIP is installed). The same files give the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, zipStored } from '../src/export/zip.ts';

const text = (s: string) => new TextEncoder().encode(s);
const files = [
  { name: 'model.json', bytes: text('{"weightsManifest":[{"paths":["./weights.bin"]}]}') },
  { name: 'weights.bin', bytes: Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 256) },
  { name: 'preprocessing.json', bytes: text('{}') },
];

/** Every entry as the central directory lists it, its data read at the local header's offset. */
function readBack(zip: Uint8Array): { name: string; bytes: Uint8Array; crc: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  let at = view.getUint32(end + 16, true);
  expect(at + size).toBe(end);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const crc = view.getUint32(at + 16, true);
    const length = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    expect(view.getUint32(local, true)).toBe(0x04034b50);
    expect(view.getUint32(local + 14, true)).toBe(crc);
    const data = local + 30 + view.getUint16(local + 26, true);
    out.push({ name, bytes: zip.slice(data, data + length), crc });
    at += 46 + nameLength;
  }
  return out;
}

describe('zipStored', () => {
  it('computes CRC-32 as ZIP does', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('writes an archive whose entries read back byte for byte', () => {
    const zip = zipStored(files);
    const back = readBack(zip);
    expect(back.map((e) => e.name)).toEqual(files.map((f) => f.name));
    back.forEach((e, i) => {
      expect(e.bytes).toEqual(files[i]!.bytes);
      expect(e.crc).toBe(crc32(files[i]!.bytes));
    });
    expect(zipStored(files)).toEqual(zip);
  });

  it.skipIf(!existsSync('/usr/bin/unzip'))('passes unzip -t', () => {
    const dir = mkdtempSync(join(tmpdir(), 'label-lab-zip-'));
    writeFileSync(join(dir, 'model.zip'), zipStored(files));
    expect(execFileSync('/usr/bin/unzip', ['-t', join(dir, 'model.zip')], { encoding: 'utf8' })).toContain(
      'No errors detected',
    );
  });

  it('refuses two files of one name', () => {
    expect(() => zipStored([files[0]!, files[0]!])).toThrow('zip: two files named model.json');
  });
});
