/**
 * `lab compare` on an export without explicit labels: the default strategies run, supervised
 * (and sot-anomaly, the fixture having no anomaly columns) stand on the board as skipped with
 * their reasons, and the command exits 0; a strategy named in --strategies that is skipped makes
 * it exit 1 with the reason. The export submits the calibrated score with the raw one beside it.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compareCommand } from '../src/cli/compare.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import type { RunBundle } from '../src/export/run-bundle.ts';
import { fixtureFiles } from './ml-fixtures.ts';

let rt: Runtime;
let dir: string;
let data: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-compare-'));
  data = join(dir, 'data');
  rt = await openNodeRuntime();
  // The fixture has address labels and a truth file, but no label events: no explicit labels.
  for (const f of await fixtureFiles(rt)) {
    await mkdir(dirname(join(data, f.path)), { recursive: true });
    await writeFile(join(data, f.path), await f.read());
  }
  config = join(dir, 'training.yaml');
  await writeFile(
    config,
    [
      'dense: {epochs: 4, batchSize: 128}',
      'autoencoder: {epochs: 4, batchSize: 128}',
      'isolationForest: {trees: 20}',
      'selfTraining: {rounds: 1}',
      'evaluation: {k: [10], capacityPerDay: 20}',
    ].join('\n'),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function compare(values: Record<string, unknown>) {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await compareCommand.run(
      { data: [data], config, ...values } as Parameters<typeof compareCommand.run>[0],
      [],
    );
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('lab compare with strategies whose inputs are absent', () => {
  it('skips them with the reason and exits 0 when they were not asked for by name', async () => {
    const report = join(dir, 'report.json');
    const exported = join(dir, 'export');
    const r = await compare({ out: report, export: exported });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^supervised \(skipped\)\s+-/m);
    expect(r.out).toContain(
      'supervised: skipped: supervised: no explicitly labelled alerts among the training rows; it learns from them only',
    );
    const bundle = JSON.parse(await readFile(report, 'utf8')) as RunBundle;
    const of = (name: string) => bundle.strategies.find((s) => s.name === name)!;
    expect(of('supervised').skipped).toMatch(/^supervised: no explicitly labelled alerts/);
    expect(of('supervised').error).toBeUndefined();
    expect(of('sot-anomaly').skipped).toMatch(/^sot-anomaly: the feature matrix has none of the SOT's anomaly scores/);
    expect(of('rule').skipped).toBeUndefined();
    expect(of('rule').calibration!.mapping.method).not.toBe('none');
    // Skipped strategies export nothing; the others submit the calibrated score with the raw one beside it.
    const parquet = await readFile(join(exported, 'rule', 'alert_scores.parquet'));
    let fields: string[] = [];
    for await (const part of rt.parquet.toIPC(parquet))
      fields = tableFromIPC(part.ipc).schema.fields.map((f) => f.name);
    expect(fields.slice(3)).toEqual([
      'score',
      'model_version',
      'latency_ms',
      'explain_json',
      'created_at',
      'raw_score',
    ]);
    expect(JSON.parse(await readFile(join(exported, 'rule', 'model', 'calibration.json'), 'utf8'))).toEqual(
      of('rule').calibration!.mapping,
    );
    await expect(readFile(join(exported, 'supervised', 'alert_scores.parquet'))).rejects.toThrow(/ENOENT/);
  });

  it('exits 1 with the reason when a strategy named in --strategies is skipped', async () => {
    const r = await compare({ out: join(dir, 'named.json'), strategies: 'supervised,rule' });
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'compare: supervised was asked for by name but was skipped: supervised: no explicitly labelled alerts among the training rows',
    );
    expect(r.out).toMatch(/^rule\s+\d/m);
  });
});
