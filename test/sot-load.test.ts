import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { CONTRACTS } from '../src/sot/contracts.ts';
import { Lab } from '../src/sot/lab.ts';
import { allRawColumns, rawColumns } from '../src/sot/schema.ts';
import { createView, createViews } from '../src/sot/views.ts';
import { alertsSql, arrowOf, featuresSql, memFile, metaJson, parquetOf, resetDatabase } from './fixtures/files.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

async function freshLab(): Promise<Lab> {
  await resetDatabase(rt);
  return Lab.open(rt);
}

const count = async (lab: Lab, table: string) =>
  Number(rows<{ n: number }>(await lab.db.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
const errors = (r: { problems: { level: string; message: string }[] }) =>
  r.problems.filter((p) => p.level === 'error').map((p) => p.message);

async function snapshot(dir: string, date: string, window: number) {
  const files = [
    memFile(`${dir}/alerts.parquet`, await parquetOf(rt, alertsSql({ date, window }))),
    memFile(`${dir}/features.parquet`, await parquetOf(rt, featuresSql({ date, window }))),
    memFile(
      `${dir}/money_flows.parquet`,
      await parquetOf(
        rt,
        `SELECT ${window}::USMALLINT AS window_days, '${date}' AS processing_date, 'addr-1' AS from_address, 'addr-2' AS to_address,
          3::UBIGINT AS tx_count, 10.5::DECIMAL(38,6) AS amount_sum, 99.99::DECIMAL(18,2) AS amount_usd_sum,
          0.25::FLOAT AS reciprocity_ratio, true AS is_bidirectional, [1,2,3]::USMALLINT[] AS hourly_pattern`,
      ),
    ),
  ];
  const meta = await metaJson(dir, files, { alerts: 20, features: 7, money_flows: 1 });
  return [...files, meta];
}

describe('loading a snapshot folder', () => {
  it('loads every table with normalised types and checks META.json', async () => {
    const lab = await freshLab();
    const report = await lab.load(await snapshot('snapshots/torus/2026-01-05/7', '2026-01-05', 7));
    expect(errors(report)).toEqual([]);
    expect(report.loaded.map((l) => [l.table, l.rows])).toEqual([
      ['alerts', 20],
      ['features', 7],
      ['money_flows', 1],
    ]);
    const tables = await lab.tables();
    expect(tables.map((t) => [t.name, t.rows, t.files])).toEqual([
      ['alerts', 20, 1],
      ['features', 7, 1],
      ['money_flows', 1, 1],
    ]);
    const a = rows<Record<string, unknown>>(await lab.db.query(`SELECT * FROM alerts ORDER BY alert_id LIMIT 2`));
    // Float32 0.7 arrives as 0.699999988; the view restores the value the SOT meant.
    expect(a.map((r) => r.alert_confidence_score)).toEqual([0.6, 0.7]);
    // DECIMAL cast in SQL is exact (Arrow's castDecimalToDouble gets 313.15000000000003).
    expect(a[0]!.volume_usd).toBe(313.15);
    const flow = rows<{ d: string; ty: string }>(
      await lab.db.query(`SELECT processing_date::VARCHAR AS d, typeof(processing_date) AS ty FROM money_flows`),
    )[0]!;
    expect(flow).toEqual({ d: '2026-01-05', ty: 'DATE' });
    const feat = rows<{ ty: string; ts: string }>(
      await lab.db.query(
        `SELECT typeof(first_activity_timestamp) AS ty, first_activity_timestamp::VARCHAR AS ts FROM features WHERE address = 'addr-0'`,
      ),
    )[0]!;
    expect(feat).toEqual({ ty: 'TIMESTAMP', ts: '2023-11-14 22:13:20' });
  });

  it('loads several dates and windows at once, matching columns by name', async () => {
    const lab = await freshLab();
    const a = await snapshot('snapshots/torus/2026-01-05/7', '2026-01-05', 7);
    const b = await snapshot('snapshots/torus/2026-01-12/30', '2026-01-12', 30);
    // Same columns in another order: a positional append would put addresses in alert_id.
    const reordered = memFile(
      'snapshots/torus/2026-01-19/7/alerts.parquet',
      await parquetOf(
        rt,
        `SELECT address, alert_id, severity, alert_confidence_score, typology_type, processing_date, window_days FROM (${alertsSql({ date: '2026-01-19' })})`,
      ),
    );
    const report = await lab.load([...a, ...b, reordered]);
    expect(errors(report)).toEqual([]);
    expect(await count(lab, 'alerts')).toBe(60);
    const bad = await count(lab, `alerts WHERE alert_id NOT LIKE 'alert-%' OR address NOT LIKE 'addr-%'`);
    expect(bad).toBe(0);
    const dates = rows<{ d: string; w: number; n: number }>(
      await lab.db.query(
        `SELECT processing_date::VARCHAR AS d, window_days::INTEGER AS w, count(*)::INTEGER AS n FROM alerts GROUP BY ALL ORDER BY 1, 2`,
      ),
    );
    expect(dates).toEqual([
      { d: '2026-01-05', w: 7, n: 20 },
      { d: '2026-01-12', w: 30, n: 20 },
      { d: '2026-01-19', w: 7, n: 20 },
    ]);
  });
});

describe('what real exports contain', () => {
  it('accepts old exports: uppercase severities, info, a network column, Float64 confidences, NULL confidences', async () => {
    const lab = await freshLab();
    const old = await parquetOf(
      rt,
      `SELECT 195::USMALLINT AS window_days, DATE '2025-06-01' AS processing_date, 'old-' || i AS alert_id, 'addr-' || i AS address,
         'PEEL_CHAIN' AS typology_type, 'torus' AS network,
         ['HIGH', 'LOW', 'info', 'CRITICAL'][1 + i % 4] AS severity,
         CASE WHEN i IN (2, 5) THEN NULL ELSE 0.95::DOUBLE END AS alert_confidence_score, 1.5 AS extra_column
       FROM range(8) t(i)`,
    );
    const report = await lab.load([memFile('alerts.parquet', old)]);
    expect(errors(report)).toEqual([]);
    const warnings = report.problems.filter((p) => p.level === 'warning');
    expect(warnings.map((w) => w.message)).toContain(
      'alerts.parquet: column alert_confidence_score has 2 NULL values of 8 (25.0%, first at row 3); the template fills NULL confidences with 0.5',
    );
    const sev = rows<{ severity: string; n: number }>(
      await lab.db.query(`SELECT severity, count(*)::INTEGER AS n FROM alerts GROUP BY 1 ORDER BY 1`),
    );
    expect(sev).toEqual([
      { severity: 'critical', n: 2 },
      { severity: 'high', n: 2 },
      { severity: 'info', n: 2 },
      { severity: 'low', n: 2 },
    ]);
    const cols = (await lab.tables())[0]!.columns.map((c) => c.name);
    expect(cols).toContain('network');
    expect(cols).toContain('extra_column');
  });

  it('reads CSV and Arrow IPC files named after their tables', async () => {
    const lab = await freshLab();
    const csv =
      'window_days,processing_date,alert_id,address,typology_type,severity,alert_confidence_score\n7,2026-01-05,x1,a1,PEEL_CHAIN,High,0.8\n7,2026-01-05,x2,a2,STRUCTURING,medium,0.65\n';
    const arrow = await arrowOf(rt, featuresSql());
    const report = await lab.load([memFile('alerts.csv', csv), memFile('features.arrow', arrow)]);
    expect(errors(report)).toEqual([]);
    expect(await count(lab, 'alerts')).toBe(2);
    expect(await count(lab, 'features')).toBe(7);
  });
});

describe('bad input', () => {
  async function loadedLab() {
    const lab = await freshLab();
    const report = await lab.load(await snapshot('snapshots/torus/2026-01-05/7', '2026-01-05', 7));
    expect(errors(report)).toEqual([]);
    return lab;
  }

  it('names the file, the column, the expectation and the first row; what was loaded stays', async () => {
    const lab = await loadedLab();
    const outOfRange = await parquetOf(
      rt,
      `SELECT * REPLACE (CASE WHEN alert_id IN ('alert-3', 'alert-9') THEN 1.5 ELSE alert_confidence_score END AS alert_confidence_score) FROM (${alertsSql({ date: '2026-02-01' })})`,
    );
    let report = await lab.load([memFile('alerts.parquet', outOfRange)]);
    expect(errors(report)).toEqual([
      'alerts.parquet: column alert_confidence_score has 2 values outside 0..1 (first at row 4)',
    ]);
    expect(report.problems[0]!.column).toBe('alert_confidence_score');

    const missing = await parquetOf(rt, `SELECT * EXCLUDE (address) FROM (${alertsSql({ date: '2026-02-01' })})`);
    report = await lab.load([memFile('alerts.parquet', missing)]);
    expect(errors(report)).toEqual(['alerts.parquet: missing required column address (expected text (VARCHAR))']);

    const wrongType = await parquetOf(
      rt,
      `SELECT * REPLACE ('high' AS alert_confidence_score) FROM (${alertsSql({ date: '2026-02-01' })})`,
    );
    report = await lab.load([memFile('alerts.parquet', wrongType)]);
    expect(errors(report)).toEqual([
      'alerts.parquet: column alert_confidence_score should be a number (FLOAT, DOUBLE, DECIMAL or an integer), found VARCHAR',
    ]);

    const badSeverity = await parquetOf(
      rt,
      `SELECT * REPLACE (CASE WHEN alert_id = 'alert-6' THEN 'severe' ELSE severity END AS severity) FROM (${alertsSql({ date: '2026-02-01' })})`,
    );
    report = await lab.load([memFile('alerts.parquet', badSeverity)]);
    expect(errors(report)).toEqual([
      "alerts.parquet: column severity has 1 value outside the known set (low, medium, high, critical, info): found 'severe' (first at row 7)",
    ]);

    const truncated = (await parquetOf(rt, alertsSql({ date: '2026-02-01' }))).slice(0, 300);
    report = await lab.load([memFile('alerts.parquet', truncated)]);
    expect(errors(report)[0]).toMatch(/^alerts\.parquet: cannot read it as Parquet \(.+\)$/);

    report = await lab.load([memFile('alerts.parquet', new Uint8Array(0))]);
    expect(errors(report)).toEqual(['alerts.parquet: the file is empty']);

    const badDate = 'window_days,processing_date,address,degree_in\n7,2026-01-05,a,1\n7,yesterday,b,2\n';
    report = await lab.load([memFile('features.csv', badDate)]);
    expect(errors(report)).toEqual([
      'features.csv: column processing_date has 1 value that cannot be read as a date (DATE, TIMESTAMP or YYYY-MM-DD text) (first at row 2)',
    ]);

    report = await lab.load([memFile('wallets.parquet', truncated)]);
    expect(errors(report)[0]).toMatch(/^wallets\.parquet: the file name does not name an SOT table/);

    // Nothing of the above touched what was loaded.
    expect(await count(lab, 'alerts')).toBe(20);
    expect(await count(lab, 'features')).toBe(7);
    expect((await lab.tables()).map((t) => t.rows)).toEqual([20, 7, 1]);
  });

  it('checks META.json sha256 and counts', async () => {
    const lab = await freshLab();
    const files = await snapshot('snapshots/torus/2026-01-05/7', '2026-01-05', 7);
    const alerts = files[0]!;
    const other = memFile(alerts.path, await parquetOf(rt, alertsSql({ n: 19 })));
    const report = await lab.load([other, ...files.slice(1)]);
    expect(errors(report)).toEqual([
      expect.stringMatching(
        /^snapshots\/torus\/2026-01-05\/7\/alerts\.parquet: its sha256 is [0-9a-f]{12}… but snapshots\/torus\/2026-01-05\/7\/META\.json says [0-9a-f]{12}…/,
      ),
    ]);
    expect(await count(lab, 'alerts')).toBe(0);
    expect(await count(lab, 'features')).toBe(7);
  });

  it('refuses the same rows twice and skips the same file twice', async () => {
    const lab = await loadedLab();
    const again = await snapshot('snapshots/torus/2026-01-05/7', '2026-01-05', 7);
    let report = await lab.load(again);
    expect(errors(report)).toEqual([]);
    expect(report.problems.map((p) => p.message)[0]).toMatch(/skipped, the same file is already loaded/);
    // Same keys in a different file (another encoding of the same snapshot).
    const csv =
      'window_days,processing_date,alert_id,address,typology_type,severity,alert_confidence_score\n7,2026-01-05,alert-1,addr-1,PEEL_CHAIN,high,0.8\n';
    report = await lab.load([memFile('alerts.csv', csv)]);
    expect(errors(report)[0]).toMatch(
      /^alerts\.csv: 1 row of alerts with the same alert_id, window_days, processing_date are already loaded/,
    );
    expect(await count(lab, 'alerts')).toBe(20);
  });

  it('reports a file that cannot be read and loads the others', async () => {
    const lab = await freshLab();
    const [alerts, features] = await snapshot('x', '2026-01-05', 7);
    const vanished = {
      path: 'alerts.parquet',
      size: 10,
      read: () => Promise.reject(new Error('NotFoundError: the file was moved')),
    };
    const report = await lab.load([vanished, memFile('features.parquet', await features!.read())]);
    expect(errors(report)).toEqual(['alerts.parquet: could not be read (NotFoundError: the file was moved)']);
    expect(report.loaded.map((l) => l.table)).toEqual(['features']);
    void alerts;
  });

  it('cancels a load without merging anything', async () => {
    const lab = await freshLab();
    const ctl = new AbortController();
    const files = await snapshot('snapshots/torus/2026-01-05/7', '2026-01-05', 7);
    const load = lab.load(files, {
      signal: ctl.signal,
      onProgress: (p) => {
        if (p.phase === 'check') ctl.abort();
      },
    });
    await expect(load).rejects.toMatchObject({ name: 'AbortError' });
    expect(await count(lab, 'alerts')).toBe(0);
    // The lab still works after a cancelled load.
    const report = await lab.load(files);
    expect(report.loaded).toHaveLength(3);
  });
});

describe('the raw tables in one query', () => {
  it('gives each raw table the columns and types DESCRIBE gives, in table order', async () => {
    const lab = await freshLab();
    // A load that adds columns (features bring many, money flows lists) and one table left empty.
    expect(errors(await lab.load(await snapshot('snapshots/torus/2026-01-05/7', '2026-01-05', 7)))).toEqual([]);
    const all = await allRawColumns(lab.db);
    for (const c of CONTRACTS) {
      expect([...all.get(c.raw)!], c.raw).toEqual([...(await rawColumns(lab.db, c))]);
    }
    expect(all.get('raw_money_flows')!.get('hourly_pattern')).toBe('USMALLINT[]');
  });

  it('builds every view as the view of that one table would be built', async () => {
    const lab = await freshLab();
    expect(errors(await lab.load(await snapshot('snapshots/torus/2026-01-05/7', '2026-01-05', 7)))).toEqual([]);
    const viewsNow = async () =>
      rows<{ view_name: string; sql: string }>(
        await lab.db.query(`SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY view_name`),
      );
    await createViews(lab.db);
    const together = await viewsNow();
    for (const c of CONTRACTS) await createView(lab.db, c);
    expect(together.length).toBeGreaterThanOrEqual(CONTRACTS.length);
    expect(await viewsNow()).toEqual(together);
    // And they read the loaded rows.
    expect(await count(lab, 'features')).toBe(7);
  });
});
