import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { Lab } from '../src/sot/lab.ts';
import { contractFor } from '../src/sot/contracts.ts';
import { addMissingColumns, mergeFiles, type MergeInput } from '../src/sot/merge.ts';
import { alertsSql, memFile, parquetOf, resetDatabase } from './fixtures/files.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

const count = async (sql: string) => Number(rows<{ n: number }>(await rt.db.query(sql))[0]!.n);

describe('merging checked files in batches', () => {
  it('merges many files of one load together, each under its own file id', async () => {
    await resetDatabase(rt);
    const lab = await Lab.open(rt);
    const dates = ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08'];
    const files = await Promise.all(
      dates.map(async (date) =>
        memFile(`x/${date}/alerts.parquet`, await parquetOf(rt, alertsSql({ date, window: 7 }))),
      ),
    );
    const report = await lab.load(files);
    expect(report.problems.filter((p) => p.level === 'error')).toEqual([]);
    expect(report.loaded.map((l) => l.path)).toEqual(files.map((f) => f.path));
    expect(new Set(report.loaded.map((l) => l.fileId)).size).toBe(4);
    expect(await count('SELECT count(DISTINCT _file_id) AS n FROM raw_alerts')).toBe(4);
    expect(await count('SELECT count(*) AS n FROM _loaded_files')).toBe(4);
    // No staging table outlives the load.
    expect(await count(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE '_stage_%'`)).toBe(0);
  });

  it('when DuckDB fails on one file of a batch, merges the others one by one and loses only that one', async () => {
    await resetDatabase(rt);
    await Lab.open(rt);
    const contract = contractFor('alerts');
    const inputs: MergeInput[] = [];
    for (const [i, date] of ['2026-02-01', '2026-02-02', '2026-02-03'].entries()) {
      const stage = `_stage_test_${i}`;
      await rt.db.exec(`CREATE TABLE ${stage} AS ${alertsSql({ date, window: 7 })}`);
      const cols = rows<{ column_name: string }>(await rt.db.query(`DESCRIBE ${stage}`)).map((c) => c.column_name);
      const plan = cols.map((name) => ({
        name,
        expr:
          // The second file's conversion fails inside DuckDB, as no check foresaw.
          i === 1 && name === 'alert_id' ? `error('conversion failed for ' || "alert_id")` : `"${name}"`,
        storageType: 'VARCHAR',
      })) as unknown as MergeInput['plan'];
      inputs.push({ contract, stage, plan, path: `f${i}.parquet`, sha256: `sha${i}`, rows: 20 });
    }
    for (const input of inputs) await addMissingColumns(rt.db, input);
    const outcomes = await mergeFiles(rt.db, inputs);
    expect(outcomes.map((o) => ('error' in o ? o.error.message : 'merged'))).toEqual([
      'merged',
      expect.stringMatching(/^f1\.parquet: could not be merged into alerts \(.*conversion failed for/),
      'merged',
    ]);
    expect(await count(`SELECT count(*) AS n FROM _loaded_files`)).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM raw_alerts`)).toBe(40);
    // The connection is usable afterwards: no transaction left open.
    await rt.db.exec('BEGIN TRANSACTION');
    await rt.db.exec('COMMIT');
  });

  it('refuses, within one batch, a file whose keys an earlier file of the batch brought', async () => {
    await resetDatabase(rt);
    const lab = await Lab.open(rt);
    const sql = alertsSql({ date: '2026-03-01', window: 7 });
    // Same rows, different bytes (so not skipped as the same file): the keys collide.
    const a = memFile('a/2026-03-01/7/alerts.parquet', await parquetOf(rt, sql));
    const b = memFile('b/2026-03-01/7/alerts.parquet', await parquetOf(rt, `${sql} ORDER BY alert_id DESC`));
    const report = await lab.load([a, b]);
    expect(report.loaded.map((l) => l.path)).toEqual([a.path]);
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^b\/2026-03-01\/7\/alerts\.parquet: 20 rows of alerts with the same .* are already loaded/,
      ),
    ]);
    expect(await count('SELECT count(*) AS n FROM raw_alerts')).toBe(20);
  });

  it('refuses keys already loaded for files in snapshot folders too (every row at its folder), in one batch and in a later load', async () => {
    await resetDatabase(rt);
    const lab = await Lab.open(rt);
    const sql = alertsSql({ date: '2026-03-01', window: 7 });
    const a = memFile('one/snapshots/torus/2026-03-01/7/alerts.parquet', await parquetOf(rt, sql));
    const b = memFile(
      'two/snapshots/torus/2026-03-01/7/alerts.parquet',
      await parquetOf(rt, `${sql} ORDER BY alert_id DESC`),
    );
    // Another snapshot of the same alert ids is not a repeat: its key differs by date.
    const other = memFile(
      'one/snapshots/torus/2026-03-02/7/alerts.parquet',
      await parquetOf(rt, alertsSql({ date: '2026-03-02', window: 7 })),
    );
    const first = await lab.load([a, b, other]);
    expect(first.loaded.map((l) => l.path)).toEqual([a.path, other.path]);
    expect(first.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^two\/snapshots\/torus\/2026-03-01\/7\/alerts\.parquet: 20 rows of alerts with the same .* are already loaded/,
      ),
    ]);
    const again = memFile(
      'three/snapshots/torus/2026-03-01/7/alerts.parquet',
      await parquetOf(rt, `${sql} ORDER BY alert_id DESC, 1`),
    );
    const later = await lab.load([again]);
    expect(later.loaded).toEqual([]);
    expect(later.problems.map((p) => p.message)).toEqual([expect.stringMatching(/are already loaded/)]);
    expect(await count('SELECT count(*) AS n FROM raw_alerts')).toBe(40);
  });
});
