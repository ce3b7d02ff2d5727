import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { alertScoresParquet, alertScoresTable } from '../src/export/alert-scores.ts';
import { CALIBRATION_JSON, modelFiles, PREPROCESSING_JSON } from '../src/export/model-files.ts';
import { bundleJSON, runBundle } from '../src/export/run-bundle.ts';
import { renderLeaderboard } from '../src/metrics/leaderboard.ts';
import { initNodeBackend } from '../src/ml/backend-node.ts';
import { strategyNames } from '../src/strategies/registry.ts';
import { compareStrategies, runStrategy, trainConfigured, type CompareResult } from '../src/training/compare.ts';
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { fixtureLab } from './ml-fixtures.ts';

let rt: Runtime;
let result: CompareResult;
const config = parseTrainingConfig({
  dense: { epochs: 30, batchSize: 128, learningRate: 0.01 },
  autoencoder: { epochs: 20, batchSize: 128, learningRate: 0.01 },
  isolationForest: { trees: 50 },
  selfTraining: { rounds: 1 },
  supervised: { minLabels: 20 },
  evaluation: { k: [10, 20], capacityPerDay: 20 },
});

beforeAll(async () => {
  await initNodeBackend();
  rt = await openNodeRuntime();
  await fixtureLab(rt);
  // Explicit labels: a miner confirmed the truth of about 40% of the alerts.
  await rt.db.exec(`INSERT INTO label_events (alert_id, label, label_source, label_confidence, labeled_at, labeled_by)
    SELECT alert_id, CAST(is_illicit AS TINYINT), 'miner', 0.9, TIMESTAMP '2026-02-01 00:00:00', 'test'
    FROM ground_truth WHERE hash(alert_id) % 5 < 2`);
  result = await compareStrategies(rt.db, config);
});

describe('compare', () => {
  it('puts every strategy on one board, against every label source present', () => {
    const { board } = result;
    expect(board.sources.map((s) => s.name)).toEqual(['truth', 'explicit', 'address-labels', 'proxy']);
    expect(board.rankedBy).toBe('truth');
    expect(board.entries.map((e) => e.strategy).sort()).toEqual(strategyNames().sort());
    for (const e of board.entries) {
      expect(e.error).toBeUndefined();
      // The fixture has none of the SOT's anomaly scores (test/sot-anomaly.test.ts adds them).
      if (e.strategy === 'sot-anomaly') {
        expect(e.skipped).toMatch(/^sot-anomaly: the feature matrix has none of the SOT's anomaly scores/);
        continue;
      }
      for (const s of board.sources) expect(e.metrics[s.name]?.alerts).toBe(board.sources[0]!.labelled);
    }
    // Ranked by truth ROC-AUC, best first.
    const aucs = board.entries.filter((e) => !e.skipped).map((e) => e.metrics.truth!.rocAuc!);
    expect(aucs).toEqual([...aucs].sort((a, b) => b - a));
    expect(renderLeaderboard(board)).toMatch(/^truth: the ground-truth file \(\d+ held-out alerts labelled/);
    // The fixture's addresses alert on every date: the board says how much that could flatter.
    expect(board.notes[0]).toMatch(/^split: time: test = 2026-01-19/);
    expect(board.notes[1]).toMatch(
      /^\d+% of the held-out alert rows belong to addresses that also have training alerts/,
    );
  });

  it('learns the planted truth from explicit labels, and the rule ranks its own labels perfectly', () => {
    const entry = (name: string) => result.board.entries.find((e) => e.strategy === name)!;
    expect(entry('supervised').metrics.truth!.rocAuc).toBeGreaterThan(0.85);
    expect(entry('rule').metrics.proxy!.rocAuc).toBe(1);
    expect(entry('rule').metrics.truth!.brier).not.toBeNull();
    expect(entry('autoencoder').metrics.truth!.brier).toBeNull();
  });

  it('keeps the proxy rule inputs away from the strategies that learn it, and says what it left out', () => {
    const proxy = result.runs.find((r) => r.name === 'proxy')!;
    const excluded = proxy.leakage!.excluded.map((e) => e.feature);
    expect(excluded).toEqual(
      expect.arrayContaining([
        'alerts.severity',
        'alerts.alert_confidence_score',
        'features.confidence_score',
        'clusters.severity_max[max]',
      ]),
    );
    const names = result.experiment.matrix.features.map((f) => f.name);
    expect(proxy.keep.map((j) => names[j])).not.toContain('alerts.severity');
    const supervised = result.runs.find((r) => r.name === 'supervised')!;
    expect(supervised.keep.map((j) => names[j])).toContain('alerts.severity');
  });

  it('repeats a strategy exactly from the same seed', async () => {
    const again = await runStrategy(rt.db, result.experiment, 'proxy');
    expect(again.result!.scores).toEqual(result.runs.find((r) => r.name === 'proxy')!.result!.scores);
    expect(again.entry.modelVersion).toMatch(/^label-lab\/proxy@[0-9a-f]{12}$/);
  });

  it('trains the strategy the configuration names', async () => {
    const single = await trainConfigured(rt.db, parseTrainingConfig({ ...config, strategy: 'rule' }));
    expect(single.board.entries.map((e) => e.strategy)).toEqual(['rule']);
    const unknown = await trainConfigured(rt.db, parseTrainingConfig({ ...config, strategy: 'gradient-boosting' }));
    expect(unknown.board.entries[0]!.error).toMatch(
      /unknown strategy 'gradient-boosting': choose one of proxy, gbm, supervised/,
    );
  });

  it('reports a clear error for a strategy without enough labels, and goes on', async () => {
    const strict = parseTrainingConfig({ ...config, supervised: { minLabels: 100000 } });
    const run = await runStrategy(rt.db, { ...result.experiment, config: strict }, 'supervised');
    expect(run.entry.error).toMatch(
      /supervised: only \d+ explicitly labelled alerts among the training rows; at least 100000/,
    );
    expect(run.result).toBeUndefined();
  });
});

describe('export', () => {
  it('writes alert_scores in the template shape, one row per held-out alert with its highest window score', async () => {
    const run = result.runs.find((r) => r.name === 'proxy')!;
    const test = result.experiment.split.test;
    const table = await alertScoresTable(rt.db, run.result!.scores, {
      modelVersion: run.entry.modelVersion,
      latencyMs: 0.01,
      rows: test,
    });
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'processing_date',
      'network',
      'alert_id',
      'score',
      'model_version',
      'latency_ms',
      'explain_json',
      'created_at',
    ]);
    const out = rows<{ alert_id: string; score: number; network: string; model_version: string }>(table);
    expect(out.length).toBe(test.length / 2);
    expect(out[0]!.network).toBe('');
    expect(out[0]!.model_version).toBe(run.entry.modelVersion);
    const byRow = rows<{ row_idx: number; alert_id: string }>(
      await rt.db.query('SELECT row_idx, alert_id FROM _ml_rows'),
    );
    const best = new Map<string, number>();
    for (const r of test) {
      const id = byRow.find((x) => x.row_idx === r)!.alert_id;
      best.set(id, Math.max(best.get(id) ?? -Infinity, run.result!.scores[r]!));
    }
    for (const o of out) expect(o.score).toBeCloseTo(best.get(o.alert_id)!, 6);

    const parquet = await alertScoresParquet(rt, run.result!.scores, {
      modelVersion: run.entry.modelVersion,
      latencyMs: 0.01,
      rows: test,
    });
    let decoded = 0;
    for await (const part of rt.parquet.toIPC(parquet)) decoded += tableFromIPC(part.ipc).numRows;
    expect(decoded).toBe(out.length);
  });

  it('packs model files with their preprocessing, and a run bundle that names the data by hash', () => {
    const proxy = result.runs.find((r) => r.name === 'proxy')!;
    const files = modelFiles(proxy, result.experiment);
    expect(files.map((f) => f.name)).toEqual(['model.json', 'weights.bin', PREPROCESSING_JSON, CALIBRATION_JSON]);
    expect(JSON.parse(new TextDecoder().decode(files[3]!.bytes))).toEqual(proxy.entry.calibration!.mapping);
    const pre = JSON.parse(new TextDecoder().decode(files[2]!.bytes)) as { inputs: { name: string }[] };
    expect(pre.inputs.length).toBe(proxy.keep.length);

    const bundle = JSON.parse(
      bundleJSON(runBundle(result, { backend: 'wasm', runtime: 'test', repeat: 'npm run lab -- compare ...' })),
    ) as ReturnType<typeof runBundle>;
    expect(bundle.format).toBe('label-lab-run/1');
    expect(bundle.data.map((f) => f.path).sort()).toEqual([
      'address-labels/torus_address_labels.parquet',
      'alerts.parquet',
      'clusters.parquet',
      'features.parquet',
      'ground_truth.parquet',
      'money_flows.parquet',
    ]);
    for (const f of bundle.data) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(bundle.seeds.run).toBe(42);
    expect(Object.keys(bundle.seeds.strategies).sort()).toEqual(strategyNames().sort());
    expect(bundle.strategies.find((s) => s.name === 'proxy')!.features.length).toBe(proxy.keep.length);
    expect(bundle.split.rows.test).toBe(result.experiment.split.test.length);
  });
});
