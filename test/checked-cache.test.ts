/**
 * The checked-load cache (src/sot/checked-cache.ts): its key changes with any change of the files
 * or the loader's limit, and a kept load restores exactly what the checked load produced, or
 * nothing at all when the kept copy is damaged or the lab is not empty.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import { sha256Hex, type Runtime } from '../src/db/runtime.ts';
import { checkedCacheKey, type CheckedSnapshot, type FileDigest } from '../src/sot/checked-cache.ts';
import { Lab, type SourceFile } from '../src/sot/lab.ts';
import { allRawColumns } from '../src/sot/schema.ts';
import { alertsSql, featuresSql, memFile, metaJson, parquetOf, resetDatabase } from './fixtures/files.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

const LIMIT = { maxDecodedBytes: 1024 ** 3 };
const digest = (path: string, size: number, sha: string): FileDigest => ({ path, size, sha256: sha.repeat(64) });

describe('the cache key', () => {
  const files = [digest('snapshots/a/alerts.parquet', 100, 'a'), digest('snapshots/a/META.json', 20, 'b')];

  it('is the same for the same files in any order', async () => {
    expect(await checkedCacheKey(files, LIMIT)).toBe(await checkedCacheKey([...files].reverse(), LIMIT));
  });

  it('changes with a path, a size, a digest, a file more or less, or the decoded-size limit', async () => {
    const key = await checkedCacheKey(files, LIMIT);
    const variants: [FileDigest[], typeof LIMIT][] = [
      [[digest('snapshots/b/alerts.parquet', 100, 'a'), files[1]!], LIMIT],
      [[digest('snapshots/a/alerts.parquet', 101, 'a'), files[1]!], LIMIT],
      [[files[0]!, digest('snapshots/a/META.json', 20, 'c')], LIMIT],
      [[files[0]!], LIMIT],
      [[...files, digest('ground_truth.parquet', 5, 'd')], LIMIT],
      [files, { maxDecodedBytes: 1024 }],
    ];
    const keys = await Promise.all(variants.map(([f, o]) => checkedCacheKey(f, o)));
    for (const k of keys) expect(k).not.toBe(key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

async function snapshotFiles(): Promise<SourceFile[]> {
  const dir = 'snapshots/torus/2026-01-05/7';
  const files = [
    memFile(`${dir}/alerts.parquet`, await parquetOf(rt, alertsSql({ date: '2026-01-05', window: 7 }))),
    memFile(`${dir}/features.parquet`, await parquetOf(rt, featuresSql({ date: '2026-01-05', window: 7 }))),
    memFile(
      `${dir}/money_flows.parquet`,
      await parquetOf(
        rt,
        `SELECT 7::USMALLINT AS window_days, '2026-01-05' AS processing_date, 'addr-1' AS from_address, 'addr-2' AS to_address,
          3::UBIGINT AS tx_count, 10.5::DECIMAL(38,6) AS amount_sum, 99.99::DECIMAL(18,2) AS amount_usd_sum,
          0.25::FLOAT AS reciprocity_ratio, true AS is_bidirectional, [1,2,3]::USMALLINT[] AS hourly_pattern`,
      ),
    ),
  ];
  const meta = await metaJson(dir, files, { alerts: 20, features: 7, money_flows: 1 });
  // A file the checks refuse: its rows are another snapshot's.
  const stray = memFile(
    'snapshots/torus/2026-01-12/7/alerts.parquet',
    await parquetOf(rt, alertsSql({ date: '2026-01-05', window: 7, from: 100 })),
  );
  return [...files, meta, stray];
}

/** Everything a user could see of the loaded data: every view's rows, in a fixed order, and the raw tables' types. */
async function contents(lab: Lab): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of ['alerts', 'features', 'money_flows', '_loaded_files']) {
    const cols = rows<{ column_name: string }>(await lab.db.query(`DESCRIBE ${t}`))
      .map((c) => c.column_name)
      .filter((c) => c !== 'loaded_at');
    const r = rows(await lab.db.query(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM ${t} ORDER BY ALL`));
    out[t] = JSON.stringify({ cols, r }, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  // And the raw tables' columns and types, in order (a restore re-creates most of them).
  out.raw = JSON.stringify([...(await allRawColumns(lab.db))].map(([t, cols]) => [t, [...cols]]));
  return out;
}

describe('keeping and restoring a checked load', () => {
  let kept: CheckedSnapshot;
  let before: Record<string, string>;
  let files: SourceFile[];

  beforeAll(async () => {
    files = await snapshotFiles();
    await resetDatabase(rt);
    const lab = await Lab.open(rt);
    const report = await lab.load(files);
    expect(report.problems.some((p) => p.level === 'error')).toBe(true); // the stray file
    kept = await lab.keepChecked('k', report);
    before = await contents(lab);
  });

  it('restores into a fresh lab exactly what the load produced, its report and file ids included', async () => {
    await resetDatabase(rt);
    const lab = await Lab.open(rt);
    expect(await lab.restoreChecked(kept)).toBe(true);
    expect(await contents(lab)).toEqual(before);
    const tables = await lab.tables();
    expect(tables.map((t) => [t.name, t.rows, t.files])).toEqual([
      ['alerts', 20, 1],
      ['features', 7, 1],
      ['money_flows', 1, 1],
    ]);
    expect(kept.report.problems.map((p) => p.file)).toContain('snapshots/torus/2026-01-12/7/alerts.parquet');
    // The restored files count as loaded: the same files again are skipped, a new one gets a new id.
    const again = await lab.load(files.slice(0, 1));
    expect(again.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('skipped, the same file is already loaded'),
    ]);
    const other = await lab.load([
      memFile('alerts.parquet', await parquetOf(rt, alertsSql({ date: '2026-02-02', window: 30, from: 500 }))),
    ]);
    expect(other.loaded).toHaveLength(1);
    expect(other.loaded[0]!.fileId).toBeGreaterThan(Math.max(...kept.report.loaded.map((l) => l.fileId ?? 0)));
  });

  it('restores nothing from a damaged copy, and the files then load as usual', async () => {
    await resetDatabase(rt);
    const lab = await Lab.open(rt);
    const damaged: CheckedSnapshot = {
      ...kept,
      tables: kept.tables.map((t, i) => (i === 0 ? { ...t, ipc: flipped(t.ipc) } : t)),
    };
    expect(await lab.restoreChecked(damaged)).toBe(false);
    // Digests that match damaged bytes are caught by the counts or by DuckDB: still nothing.
    const forged: CheckedSnapshot = {
      ...kept,
      tables: await Promise.all(
        kept.tables.map(async (t, i) => {
          if (i !== 0) return t;
          const ipc = t.ipc.slice(0, Math.floor(t.ipc.length / 2));
          return { ...t, ipc, sha256: await sha256Hex(ipc) };
        }),
      ),
    };
    expect(await lab.restoreChecked(forged)).toBe(false);
    expect(await lab.tables()).toEqual([]);
    const report = await lab.load(files);
    expect(report.problems).toEqual(kept.report.problems);
    expect(report.loaded).toHaveLength(3);
    expect(await contents(lab)).toEqual(before);
  });

  it('undoes a restore that fails after re-creating a table, and the files then load as usual', async () => {
    await resetDatabase(rt);
    const lab = await Lab.open(rt);
    const rawBefore = [...(await allRawColumns(lab.db))].map(([t, cols]) => [t, [...cols]]);
    // Intact bytes, but a column said to be of another type than its Arrow stream gives: found
    // once raw_features was dropped and made again, inside the transaction.
    const features = kept.tables.findIndex((t) => t.table === 'raw_features');
    const mistyped: CheckedSnapshot = {
      ...kept,
      tables: kept.tables.map((t, i) =>
        i === features ? { ...t, columns: t.columns.map((c, j) => (j === 0 ? { ...c, type: 'VARCHAR' } : c)) } : t,
      ),
    };
    expect(mistyped.tables[features]!.columns[0]!.type).not.toBe(kept.tables[features]!.columns[0]!.type);
    expect(await lab.restoreChecked(mistyped)).toBe(false);
    expect(await lab.tables()).toEqual([]);
    expect([...(await allRawColumns(lab.db))].map(([t, cols]) => [t, [...cols]])).toEqual(rawBefore);
    const report = await lab.load(files);
    expect(report.loaded).toHaveLength(3);
    expect(await contents(lab)).toEqual(before);
  });

  it('restores nothing into a lab that already holds data', async () => {
    await resetDatabase(rt);
    const lab = await Lab.open(rt);
    await lab.load([memFile('alerts.parquet', await parquetOf(rt, alertsSql({ date: '2026-02-02', window: 30 })))]);
    const tablesBefore = await lab.tables();
    expect(await lab.restoreChecked(kept)).toBe(false);
    expect(await lab.tables()).toEqual(tablesBefore);
  });
});

function flipped(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out[Math.floor(out.length / 2)]! ^= 0xff;
  return out;
}
