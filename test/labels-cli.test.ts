/**
 * `lab proxy-labels`: labels written as CSV and Parquet with the counts printed, uncertain rows
 * kept on request, a configuration file applied, explicit labels from --labels winning, the
 * ClickHouse script written, and clear errors for bad arguments.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { float32Text, proxyLabelsCommand, toCsv } from '../src/cli/proxy-labels.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { parquetOf } from './fixtures/files.ts';
import { handAlertsSql, type AlertRow } from './labels-fixtures.ts';

const ALERTS: AlertRow[] = [
  { id: 'k1', severity: 'high', confidence: 0.8 },
  { id: 'k2', severity: 'critical', confidence: 0.65 },
  { id: 'k3', severity: 'medium', confidence: 0.7 },
  { id: 'k4', severity: 'low', confidence: 0.55, window: 30 },
  { id: 'k5', severity: 'HIGH', confidence: 0.7, address: 'shared' },
];

let rt: Runtime;
let dir: string;
beforeAll(async () => {
  rt = await openNodeRuntime();
  dir = await mkdtemp(join(tmpdir(), 'label-lab-cli-'));
  await writeFile(join(dir, 'alerts.parquet'), await parquetOf(rt, handAlertsSql(ALERTS)));
  await writeFile(
    join(dir, 'rule.yaml'),
    'positive:\n  min_confidence: 0.6\nlabel_confidence:\n  method: constant\n  value: 0.9\n',
  );
  await writeFile(join(dir, 'labels.csv'), 'alert_id,label,label_source\nk3,1,validated\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Run the command, capturing stdout and stderr. */
async function run(values: Record<string, string | boolean | string[] | undefined>) {
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await proxyLabelsCommand.run({ 'keep-uncertain': false, 'clickhouse-mode': 'update', ...values }, []);
    return { code, out, err };
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}

describe('lab proxy-labels', () => {
  it('writes CSV with the key, label, source and confidence, and prints the counts', async () => {
    const csv = join(dir, 'labels.out.csv');
    const { code, out } = await run({ data: [join(dir, 'alerts.parquet')], out: csv });
    expect(code).toBe(0);
    expect(await readFile(csv, 'utf8')).toBe(
      [
        'alert_id,window_days,processing_date,label,label_source,label_confidence',
        'k1,7,2026-01-05,1,proxy,0.8',
        'k3,7,2026-01-05,0,proxy,0.3',
        'k5,7,2026-01-05,1,proxy,0.7',
        'k4,30,2026-01-05,0,proxy,0.45',
        '',
      ].join('\n'),
    );
    expect(out).toMatch(/positive\s+proxy\s+2\n/);
    expect(out).toMatch(/negative\s+proxy\s+2\n/);
    expect(out).toContain('4 rows written');
  });

  it('keeps uncertain rows on request, applies a config, and lets explicit labels win', async () => {
    const csv = join(dir, 'labels.keep.csv');
    const { code, out, err } = await run({
      data: [join(dir, 'alerts.parquet')],
      labels: [join(dir, 'labels.csv')],
      config: join(dir, 'rule.yaml'),
      out: csv,
      'keep-uncertain': true,
    });
    expect(err).toContain('appended 1 label events');
    expect(code).toBe(0);
    const lines = (await readFile(csv, 'utf8')).trim().split('\n').slice(1);
    // min_confidence 0.6 makes k2 (critical, 0.65) positive; k3 is validated positive.
    expect(lines).toEqual([
      'k1,7,2026-01-05,1,proxy,0.9',
      'k2,7,2026-01-05,1,proxy,0.9',
      'k3,7,2026-01-05,1,validated,', // the label file gave no confidence
      'k5,7,2026-01-05,1,proxy,0.9',
      'k4,30,2026-01-05,0,proxy,0.9',
    ]);
    expect(out).toMatch(/positive\s+validated\s+1\n/);
  });

  it('writes Parquet and the ClickHouse script', async () => {
    const parquet = join(dir, 'labels.parquet');
    const sql = join(dir, 'rule.sql');
    const { code } = await run({
      data: [join(dir, 'alerts.parquet')],
      out: parquet,
      clickhouse: sql,
      'clickhouse-mode': 'both',
      'keep-uncertain': true,
    });
    expect(code).toBe(0);
    const parts = [];
    for await (const part of rt.parquet.toIPC(new Uint8Array(await readFile(parquet))))
      parts.push(tableFromIPC(part.ipc));
    const table = parts[0]!;
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'alert_id',
      'window_days',
      'processing_date',
      'label',
      'label_source',
      'label_confidence',
    ]);
    expect(table.numRows).toBe(5);
    const script = await readFile(sql, 'utf8');
    expect(script).toContain('ALTER TABLE raw_alerts UPDATE');
    expect(script).toContain('FROM effective_labels');
  });

  it('refuses bad arguments with a clear message', async () => {
    await expect(run({})).rejects.toThrow(/give --out FILE/);
    await expect(run({ out: join(dir, 'x.csv') })).rejects.toThrow(/--out needs --data/);
    await expect(run({ data: [dir], out: join(dir, 'x.txt') })).rejects.toThrow(/must end in \.parquet or \.csv/);
    await expect(run({ config: join(dir, 'missing.yaml'), clickhouse: join(dir, 'x.sql') })).rejects.toThrow(
      /no such configuration file/,
    );
    await writeFile(join(dir, 'bad.json'), '{"negative": {"severities": ["high"]}}');
    await expect(run({ config: join(dir, 'bad.json'), clickhouse: join(dir, 'x.sql') })).rejects.toThrow(
      /'high' is in both/,
    );
    await expect(run({ clickhouse: join(dir, 'x.sql'), 'clickhouse-mode': 'upsert' })).rejects.toThrow(
      /update, select or both/,
    );
  });

  it('formats CSV cells: Float32 in its shortest form, quotes where needed', async () => {
    expect([0.7, 0.1, 1 / 3, 0.65].map((x) => float32Text(Math.fround(x)))).toEqual([
      '0.7',
      '0.1',
      '0.33333334',
      '0.65',
    ]);
    const table = await rt.db.query(
      `SELECT 'a,"b"' AS s, NULL::INTEGER AS n, DATE '2026-01-05' AS d, CAST(0.7 AS FLOAT) AS f`,
    );
    expect(toCsv(table)).toBe('s,n,d,f\n"a,""b""",,2026-01-05,0.7\n');
  });
});
