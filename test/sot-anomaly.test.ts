/**
 * sot-anomaly: the SOT's own IsolationForest scores ranked as a strategy. Which columns each
 * setting ranks by, the scores equal to the matrix's raw column (or the mean of those picked,
 * a NULL counting as the training mean), the leakage guard leaving these columns in, and the strategy skipped with its reason
 * when the export lacks them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { guardFeatures } from '../src/features/leakage.ts';
import { initNodeBackend } from '../src/ml/backend-node.ts';
import { sotAnomalyColumns } from '../src/strategies/sot-anomaly.ts';
import { StrategySkipped } from '../src/strategies/strategy.ts';
import { compareStrategies, runStrategy, type CompareResult } from '../src/training/compare.ts';
import { fixtureLab } from './ml-fixtures.ts';

let rt: Runtime;
let result: CompareResult;
const config = parseTrainingConfig({ strategies: ['sot-anomaly'], evaluation: { k: [10], capacityPerDay: 20 } });

beforeAll(async () => {
  await initNodeBackend();
  rt = await openNodeRuntime();
  await fixtureLab(rt, { anomalyScores: true });
  result = await compareStrategies(rt.db, config);
});

describe('sotAnomalyColumns', () => {
  const both = ['behavioral_anomaly_score', 'graph_anomaly_score'];
  it('takes behavioral_anomaly_score by default, else the mean of those present', () => {
    expect(sotAnomalyColumns('auto', both)).toEqual(['behavioral_anomaly_score']);
    expect(sotAnomalyColumns('auto', ['graph_anomaly_score', 'global_anomaly_score'])).toEqual([
      'graph_anomaly_score',
      'global_anomaly_score',
    ]);
    expect(sotAnomalyColumns('mean', both)).toEqual(both);
    expect(sotAnomalyColumns('graph_anomaly_score', both)).toEqual(['graph_anomaly_score']);
  });

  it('skips with the reason when the columns are absent', () => {
    expect(() => sotAnomalyColumns('auto', [])).toThrow(StrategySkipped);
    expect(() => sotAnomalyColumns('global_anomaly_score', both)).toThrow(
      'sot-anomaly: sotAnomaly.score asks for global_anomaly_score, which the feature matrix lacks (it has behavioral_anomaly_score, graph_anomaly_score)',
    );
  });
});

describe('sot-anomaly on the board', () => {
  const column = (name: string) => result.experiment.matrix.features.findIndex((f) => f.name === `features.${name}`);

  it('ranks by the raw behavioral_anomaly_score, with no fitting', () => {
    const run = result.runs[0]!;
    expect(run.entry.kind).toBe('unsupervised');
    expect(run.entry.scoreKind).toBe('anomaly');
    expect(run.entry.notes).toContain(
      'ranks by behavioral_anomaly_score, ties broken by the mean of graph_anomaly_score (sotAnomaly.score: auto)',
    );
    const { raw, matrix } = result.experiment;
    const [j, g] = [column('behavioral_anomaly_score'), column('graph_anomaly_score')];
    expect(j).toBeGreaterThanOrEqual(0);
    // The fixture's feature table lacks some addresses: their NULL counts as the training mean.
    const train = result.experiment.split.train;
    const trainMean = (c: number) => {
      const present = Array.from(train, (r) => raw[r * matrix.columns + c]!).filter((v) => !Number.isNaN(v));
      return present.reduce((a, b) => a + b, 0) / present.length;
    };
    const value = (r: number, c: number) => {
      const v = raw[r * matrix.columns + c]!;
      return Number.isNaN(v) ? trainMean(c) : v;
    };
    let missing = 0;
    for (let r = 0; r < matrix.rows; r++) {
      if (Number.isNaN(raw[r * matrix.columns + j]!)) missing++;
      // Ties in the behavioural score broken by the graph score, a trillionth as heavy.
      expect(run.result!.scores[r]).toBeCloseTo(value(r, j) + 1e-12 * value(r, g), 15);
    }
    expect(missing).toBeGreaterThan(0);
    // The fixture's behavioural score follows the truth: the baseline ranks it well, and gets a Brier once calibrated.
    expect(run.entry.metrics.truth!.rocAuc).toBeGreaterThan(0.75);
    expect(run.entry.metrics.truth!.brier).toBeNull();
    expect(run.entry.calibration!.bySource.truth!.brierAfter).toBeLessThan(0.25);
  });

  it('ranks by the mean of the columns present when asked', async () => {
    const mean = parseTrainingConfig({ ...config, sotAnomaly: { score: 'mean' } });
    const run = await runStrategy(rt.db, { ...result.experiment, config: mean }, 'sot-anomaly');
    const { raw, matrix } = result.experiment;
    const [b, g] = [column('behavioral_anomaly_score'), column('graph_anomaly_score')];
    for (let r = 0; r < 200; r++) {
      const [vb, vg] = [raw[r * matrix.columns + b]!, raw[r * matrix.columns + g]!];
      if (!Number.isNaN(vb)) expect(run.result!.scores[r]).toBeCloseTo((vb + vg) / 2, 12);
    }
    expect(run.entry.notes[0]).toBe(
      'ranks by the mean of behavioral_anomaly_score, graph_anomaly_score (sotAnomaly.score: mean)',
    );
  });

  it('leaves the anomaly columns to every strategy: the leakage guard tags only the rule inputs', () => {
    const { features } = result.experiment.matrix;
    const names = (target: 'proxy' | 'none') =>
      guardFeatures(features, target, config.leakage).keep.map((j) => features[j]!.name);
    for (const target of ['proxy', 'none'] as const)
      expect(names(target)).toEqual(
        expect.arrayContaining(['features.behavioral_anomaly_score', 'features.graph_anomaly_score']),
      );
  });

  it('is skipped with its reason when leakage.exclude takes the column away, or the export lacks them', async () => {
    const exclude = parseTrainingConfig({
      ...config,
      leakage: { exclude: ['features.behavioral_anomaly_score', 'features.graph_anomaly_score'] },
    });
    const run = await runStrategy(rt.db, { ...result.experiment, config: exclude }, 'sot-anomaly');
    expect(run.entry.skipped).toMatch(/^sot-anomaly: the feature matrix has none of the SOT's anomaly scores/);
    expect(run.entry.error).toBeUndefined();
    expect(run.result).toBeUndefined();

    await fixtureLab(rt);
    const plain = await compareStrategies(rt.db, config);
    expect(plain.board.entries[0]!.skipped).toMatch(/the export lacks them/);
  });
});
