/**
 * Calibration on the board: every finished strategy's scores are mapped to probabilities fitted
 * on the validation alerts (its own labels, or the board's training target for the anomaly
 * scorers and the rule), the board carries Brier before and after and the reliability bins per
 * label source, and the exports carry the calibrated score beside the raw one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../src/db/database.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { labelledPoints } from '../src/calibration/mapping.ts';
import { calibrateScores, fitCalibration } from '../src/calibration/registry.ts';
import { alertScoresTable } from '../src/export/alert-scores.ts';
import { bundleJSON, runBundle } from '../src/export/run-bundle.ts';
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { proxyRowLabels } from '../src/experiment/row-labels.ts';
import { renderLeaderboard } from '../src/metrics/leaderboard.ts';
import { initNodeBackend } from '../src/ml/backend-node.ts';
import { derivedSeed } from '../src/ml/random.ts';
import { BOARD_TARGET, EVOLUTION_TARGET } from '../src/training/calibration.ts';
import { compareStrategies, runStrategy, type CompareResult } from '../src/training/compare.ts';
import { reduceToUnits } from '../src/training/evaluation.ts';
import { CALIBRATED_BRIER, compareResults } from '../src/notebook/cells/compare-results.ts';
import { fixtureLab } from './ml-fixtures.ts';

let rt: Runtime;
let result: CompareResult;
const config = parseTrainingConfig({
  strategies: ['proxy', 'isolation-forest', 'rule'],
  dense: { epochs: 10, batchSize: 128, learningRate: 0.01 },
  isolationForest: { trees: 30 },
  evaluation: { k: [10], capacityPerDay: 20 },
});
const run = (name: string) => result.runs.find((r) => r.name === name)!;

beforeAll(async () => {
  await initNodeBackend();
  rt = await openNodeRuntime();
  await fixtureLab(rt);
  result = await compareStrategies(rt.db, config);
});

describe('calibration on the board', () => {
  it('gives the anomaly scores a Brier after calibration, and keeps the probabilities’ Brier before', () => {
    for (const name of ['proxy', 'rule']) {
      const e = run(name).entry;
      for (const s of result.board.sources) {
        expect(e.calibration!.bySource[s.name]!.brierBefore).toBe(e.metrics[s.name]!.brier);
        expect(e.calibration!.bySource[s.name]!.brierAfter).toBeGreaterThanOrEqual(0);
      }
    }
    const forest = run('isolation-forest').entry;
    expect(forest.metrics.truth!.brier).toBeNull();
    const truth = forest.calibration!.bySource.truth!;
    expect(truth.brierBefore).toBeNull();
    expect(truth.before).toEqual([]);
    expect(truth.brierAfter).toBeGreaterThan(0);
    expect(truth.brierAfter).toBeLessThan(0.25);
    // Every labelled held-out alert falls in one reliability bin.
    expect(truth.after.reduce((n, b) => n + b.count, 0)).toBe(
      result.board.sources.find((s) => s.name === 'truth')!.labelled,
    );
    expect(run('proxy').entry.calibration!.target).toBe("proxy's own training labels");
    expect(forest.calibration!.target).toBe(BOARD_TARGET);
    expect(
      forest.notes.some((n) => /^calibration: (platt|isotonic) fitted on \d+ labelled validation alerts/.test(n)),
    ).toBe(true);
  });

  it('fits the mapping on the validation alerts and applies it to every row without reordering', async () => {
    const { experiment } = result;
    const forest = run('isolation-forest');
    const raw = forest.result!.scores;
    const target = await proxyRowLabels(rt.db, experiment.matrix.rows, config.labels, true);
    const units = reduceToUnits(experiment.split.validation, experiment.held.info, raw, target.y);
    const fit = fitCalibration(
      labelledPoints(units.scores, units.labels),
      'auto',
      derivedSeed(config.seed, 'calibration:isolation-forest'),
    );
    expect(forest.entry.calibration!.mapping).toEqual(fit.mapping);
    expect(Array.from(forest.calibrated!)).toEqual(Array.from(calibrateScores(fit.mapping, raw)));
    const order = Array.from(raw.keys()).sort((a, b) => raw[a]! - raw[b]!);
    for (let k = 1; k < order.length; k++) {
      expect(forest.calibrated![order[k]!]!).toBeGreaterThanOrEqual(forest.calibrated![order[k - 1]!]!);
    }
    for (const p of forest.calibrated!) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it('prints Brier before and after on the text board', () => {
    const text = renderLeaderboard(result.board);
    const header = text.split('\n')[1]!;
    expect(header).toMatch(/Brier\s+Brier cal\./);
    const forestLine = text.split('\n').find((l) => l.startsWith('isolation-forest'))!;
    const cells = forestLine.split(/\s{2,}/);
    const at = header.split(/\s{2,}/).indexOf('Brier');
    expect(cells[at]).toBe('-');
    expect(cells[at + 1]).toMatch(/^0\.\d{3}$/);
  });

  it("publishes the calibrated Brier in a compare cell's board result", () => {
    const [, , board] = compareResults('cell', {
      board: result.board,
      runs: result.runs.map((r) => ({ name: r.name, scores: r.result?.scores, training: r.result?.training ?? [] })),
      sources: result.experiment.sources,
      held: result.experiment.held,
    });
    const row = board!.rows.find(
      (r) => r.strategy === 'isolation-forest' && r.source === 'truth' && r.metric === CALIBRATED_BRIER,
    )!;
    expect(row.value).toBe(run('isolation-forest').entry.calibration!.bySource.truth!.brierAfter);
  });

  it('calibrates the label-less strategies against the evolution labels when they are the target', async () => {
    const { experiment } = result;
    const truth = experiment.sources.find((s) => s.info.name === 'truth')!.y;
    // Stand-in evolution labels: the truth, so the mapping must differ from the proxy-fitted one.
    const labels = {
      y: truth.slice(),
      w: new Float32Array(truth.length).fill(1),
      origin: new Uint8Array(truth.length),
      positives: 0,
      negatives: 0,
    };
    const forest = await runStrategy(rt.db, { ...experiment, target: { labels, note: 'test' } }, 'isolation-forest');
    expect(forest.entry.calibration!.target).toBe(EVOLUTION_TARGET);
    const units = reduceToUnits(experiment.split.validation, experiment.held.info, forest.result!.scores, truth);
    const fit = fitCalibration(
      labelledPoints(units.scores, units.labels),
      'auto',
      derivedSeed(config.seed, 'calibration:isolation-forest'),
    );
    expect(forest.entry.calibration!.mapping).toEqual(fit.mapping);
    expect(fit.mapping).not.toEqual(run('isolation-forest').entry.calibration!.mapping);
  });

  it('leaves the scores as they are with calibration: none', async () => {
    const off = parseTrainingConfig({ ...config, calibration: 'none' });
    const forest = await runStrategy(rt.db, { ...result.experiment, config: off }, 'isolation-forest');
    expect(forest.entry.calibration!.mapping).toEqual({ method: 'none' });
    expect(forest.entry.calibration!.bySource.truth!.brierAfter).toBeNull();
    expect(Array.from(forest.calibrated!)).toEqual(Array.from(forest.result!.scores));
    expect(forest.entry.notes).toContain('calibration: calibration off (calibration: none)');
  });

  it('exports the calibrated score as the score, the raw one beside it, and the mapping in the bundle', async () => {
    const forest = run('isolation-forest');
    const table = await alertScoresTable(rt.db, forest.calibrated!, {
      modelVersion: forest.entry.modelVersion,
      latencyMs: 0,
      rows: result.experiment.split.test,
      rawScores: forest.result!.scores,
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
      'raw_score',
    ]);
    const mapping = forest.entry.calibration!.mapping;
    for (const r of rows<{ score: number; raw_score: number }>(table).slice(0, 50))
      expect(r.score).toBeCloseTo(calibrateScores(mapping, [r.raw_score])[0]!, 12);
    const bundle = JSON.parse(bundleJSON(runBundle(result, { backend: 'cpu', runtime: 'test' }))) as ReturnType<
      typeof runBundle
    >;
    expect(bundle.strategies.find((s) => s.name === 'isolation-forest')!.calibration!.mapping).toEqual(mapping);
  });
});
