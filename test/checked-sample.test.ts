/**
 * The sample checked at build time (src/node/checked-sample.ts) and the file it ships as
 * (src/sot/checked-file.ts): the file reads back as the snapshot written, refuses a damaged
 * layout by name, and the shipped copy of the real sample carries the key the app computes from
 * the sample's files and restores exactly what loading those files produces.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rows, type Database } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import { sha256Hex } from '../src/db/runtime.ts';
import { checkedSampleFile, sampleFilesIn } from '../src/node/checked-sample.ts';
import { checkedCacheKey, snapshotIntact, type CheckedSnapshot } from '../src/sot/checked-cache.ts';
import { CheckedFileError, decodeCheckedSnapshot, encodeCheckedSnapshot } from '../src/sot/checked-file.ts';
import { Lab } from '../src/sot/lab.ts';
import { DEFAULT_MAX_DECODED_BYTES } from '../src/sot/stage.ts';

const part = (table: string, bytes: number[]) => ({
  table,
  columns: [{ name: 'x', type: 'INTEGER' }],
  rows: bytes.length,
  ipc: new Uint8Array(bytes),
  sha256: 'f'.repeat(64),
});

const snapshot: CheckedSnapshot = {
  key: 'k'.repeat(64),
  savedAt: 1_765_000_000_000,
  report: { loaded: [], problems: [{ level: 'warning', file: 'a.parquet', message: 'a: note' }] },
  tables: [part('raw_alerts', [1, 2, 3]), part('raw_features', [])],
  loadedFiles: part('_loaded_files', [9, 8]),
};

describe('the checked-load file', () => {
  it('reads back as the snapshot it was written from', () => {
    const back = decodeCheckedSnapshot(encodeCheckedSnapshot(snapshot), 'copy.bin');
    expect(back).toEqual(snapshot);
  });

  it('refuses, by name, bytes that are not one or were cut short or run on', () => {
    const bytes = encodeCheckedSnapshot(snapshot);
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('PAR1 not a checked load at all'), /^copy\.bin: not a checked load \(no header\)$/],
      [bytes.subarray(0, bytes.length - 1), /part _loaded_files runs past its end/],
      [new Uint8Array([...bytes, 0]), /bytes left after its last part/],
      [bytes.subarray(0, 40), /its header runs past its end/],
    ];
    for (const [input, message] of cases) {
      expect(() => decodeCheckedSnapshot(input, 'copy.bin')).toThrow(CheckedFileError);
      expect(() => decodeCheckedSnapshot(input, 'copy.bin')).toThrow(message);
    }
  });
});

/** Row counts of the raw tables and `_loaded_files`. */
async function counts(db: Database): Promise<Record<string, number>> {
  const tables = [
    'raw_alerts',
    'raw_features',
    'raw_clusters',
    'raw_money_flows',
    'raw_address_labels',
    '_loaded_files',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number(rows<{ n: number }>(await db.query(`SELECT count(*) AS n FROM ${t}`))[0]!.n);
  return out;
}

describe('the bundled sample, checked at build time', () => {
  it('carries the key of the sample files as the app names them, and restores what loading them gives', async () => {
    const gz = await checkedSampleFile('sample-data');
    expect(gz).toBeDefined();
    const copy = decodeCheckedSnapshot(gunzipSync(gz!), 'sample-checked.bin.gz');
    expect(await snapshotIntact(copy)).toBe(true);

    // As the app does: the listing's paths (relative to sample-data/), the files it auto-loads.
    const files = await sampleFilesIn('sample-data');
    const digests = await Promise.all(
      files.map(async (f) => {
        const bytes = await f.read();
        return { path: f.path, size: bytes.byteLength, sha256: await sha256Hex(bytes) };
      }),
    );
    expect(copy.key).toBe(await checkedCacheKey(digests, { maxDecodedBytes: DEFAULT_MAX_DECODED_BYTES }));
    // A labels example or a README is served but never part of the load, so not of the key.
    expect(digests.some((d) => d.path.startsWith('labels/'))).toBe(false);

    const loadedRt = await openNodeRuntime();
    const restoredRt = await openNodeRuntime();
    try {
      const loaded = await Lab.open(loadedRt);
      const report = await loaded.load(files);
      const restored = await Lab.open(restoredRt);
      expect(await restored.restoreChecked(copy)).toBe(true);
      expect(await counts(restoredRt.db)).toEqual(await counts(loadedRt.db));
      expect(copy.report.problems).toEqual(report.problems);
      expect(copy.report.loaded.map((l) => [l.path, l.rows])).toEqual(report.loaded.map((l) => [l.path, l.rows]));
    } finally {
      await loadedRt.db.close();
      await restoredRt.db.close();
    }
  }, 120_000);
});
