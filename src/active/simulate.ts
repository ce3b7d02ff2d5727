/**
 * The learning-curve simulation: how good a model gets with how many labels, for each query
 * strategy, with the ground truth playing the labeller (the oracle).
 *
 * Per repeat: a seeded random seed set of alerts is labelled (the same set for every strategy,
 * so strategies differ only in what they query); then, until the budget is spent, a model is
 * fitted on the labelled alerts, measured on a fixed held-out test set, and the strategy picks
 * the next batch from the pool, which the oracle labels. The test set is the time split's test
 * date (alerts that arrive after the model was trained) and is never queried.
 *
 * The model is any Learner (ml/learner.ts), fitted on all labelled rows for a fixed number of
 * epochs: with a few dozen labels, holding out a validation share for early stopping would
 * waste labels and stop on noise.
 *
 * Pure typed-array code; simulation-data.ts builds its input from the database.
 */
import type { RowInfo } from '../features/matrix.ts';
import type { FittedLearner, Learner } from '../ml/learner.ts';
import { derivedSeed, Random } from '../ml/random.ts';
import { averagePrecision, rocAuc } from '../metrics/ranking.ts';
import { reduceToUnits } from '../training/evaluation.ts';
import { gather } from '../quality/mislabels.ts';
import { nextBatch, type QueryStrategy } from './queue.ts';

export interface SimulationData {
  /** Standardised features, row-major. */
  x: Float32Array;
  columns: number;
  info: RowInfo;
  /** Rows that may be queried (and labelled) and rows the model is measured on. */
  pool: Int32Array;
  test: Int32Array;
  /** The oracle's 0/1 label per matrix row; NaN rows are never queried nor measured. */
  truth: Float32Array;
}

export interface SimulationOptions {
  strategies: QueryStrategy[];
  /** Alerts labelled per query round. */
  batch: number;
  /** Alerts labelled in all, seed set included. */
  budget: number;
  /** Alerts in the random seed set (default: one batch). */
  initial?: number;
  repeats: number;
  seed: number;
  learner: Learner;
  diversityPool?: number;
  onProgress?: (message: string) => void;
}

export interface CurvePoint {
  strategy: QueryStrategy;
  repeat: number;
  /** Alerts labelled (alert groups: one label covers an alert's windows). */
  labels: number;
  positives: number;
  prAuc: number;
  rocAuc: number;
}

export interface LearningCurves {
  points: CurvePoint[];
  /** The same learner fitted on every pool alert's label: the ceiling the curves approach. */
  fullPool: { labels: number; prAuc: number; rocAuc: number };
  test: { alerts: number; positives: number };
  poolAlerts: number;
  options: Omit<SimulationOptions, 'learner' | 'onProgress'> & { learner: string; initial: number };
}

export async function simulateLearningCurves(data: SimulationData, opts: SimulationOptions): Promise<LearningCurves> {
  const pool = data.pool.filter((r) => data.truth[r] === 0 || data.truth[r] === 1);
  const test = data.test.filter((r) => data.truth[r] === 0 || data.truth[r] === 1);
  const groupsInPool = [...new Set(Array.from(pool, (r) => data.info.group[r]!))].sort((a, b) => a - b);
  const initial = Math.min(opts.initial ?? opts.batch, opts.budget, groupsInPool.length);
  const rowsOfGroup = new Map<number, number[]>();
  for (const r of pool) {
    const list = rowsOfGroup.get(data.info.group[r]!) ?? [];
    list.push(r);
    rowsOfGroup.set(data.info.group[r]!, list);
  }
  const testX = gather(data.x, data.columns, test);
  const poolX = gather(data.x, data.columns, pool);
  const measure = (p: Float64Array) => {
    const scores = new Float64Array(data.truth.length);
    test.forEach((r, i) => (scores[r] = p[i]!));
    const units = reduceToUnits(test, data.info, scores, data.truth);
    return {
      prAuc: averagePrecision(units.scores, units.labels) ?? NaN,
      rocAuc: rocAuc(units.scores, units.labels) ?? NaN,
    };
  };

  const points: CurvePoint[] = [];
  let groupCount = 0;
  for (const g of data.info.group) groupCount = Math.max(groupCount, g + 1);
  for (let repeat = 0; repeat < opts.repeats; repeat++) {
    const seedSet = new Random(derivedSeed(opts.seed, `seed-set-${repeat}`)).sample(groupsInPool.length, initial);
    for (const strategy of opts.strategies) {
      const labelled = new Uint8Array(groupCount);
      const rows: number[] = [];
      const label = (g: number) => {
        labelled[g] = 1;
        rows.push(...rowsOfGroup.get(g)!);
      };
      for (const i of seedSet) label(groupsInPool[i]!);
      let labels = initial;
      for (let round = 0; ; round++) {
        const labelledRows = Int32Array.from(rows);
        const last = labels >= opts.budget || labels >= groupsInPool.length;
        const model = await fitOracleLabels(
          data,
          opts.learner,
          labelledRows,
          derivedSeed(opts.seed, `fit-${repeat}-${round}`),
        );
        let p: Float64Array;
        try {
          points.push({
            strategy,
            repeat,
            labels,
            positives: positivesOf(labelledRows, data),
            ...measure(model.predict(testX, test.length)),
          });
          if (last) break;
          // Random reads no probabilities: skip scoring the pool.
          p = new Float64Array(data.truth.length).fill(0.5);
          if (strategy !== 'random') {
            const scores = model.predict(poolX, pool.length);
            pool.forEach((r, i) => (p[r] = scores[i]!));
          }
        } finally {
          model.dispose();
        }
        const batch = Math.min(opts.batch, opts.budget - labels);
        const picks = nextBatch(
          { p, group: data.info.group, rows: pool, labelled, x: data.x, columns: data.columns },
          {
            strategy,
            batch,
            seed: derivedSeed(opts.seed, `query-${strategy}-${repeat}-${round}`),
            positiveShare: positiveShare(labelledRows, data),
            diversityPool: opts.diversityPool,
          },
        );
        for (const item of picks) label(item.group);
        labels += picks.length;
      }
      opts.onProgress?.(
        `repeat ${repeat + 1}/${opts.repeats}, ${strategy}: PR-AUC ${points.at(-1)!.prAuc.toFixed(3)} at ${labels} labels`,
      );
    }
  }
  const fullModel = await fitOracleLabels(data, opts.learner, pool, derivedSeed(opts.seed, 'full-pool'));
  const full = measure(fullModel.predict(testX, test.length));
  fullModel.dispose();
  const { learner, onProgress, ...rest } = opts;
  void onProgress;
  return {
    points,
    fullPool: { labels: groupsInPool.length, ...full },
    test: {
      alerts: reduceToUnits(test, data.info, new Float64Array(data.truth.length)).scores.length,
      positives: unitPositives(test, data),
    },
    poolAlerts: groupsInPool.length,
    options: { ...rest, learner: learner.name, initial },
  };
}

/**
 * Fit on the labelled rows with the oracle's labels. A labelled set of one class cannot train a
 * classifier; every alert then gets the same score (a tie: PR-AUC is the prevalence).
 */
async function fitOracleLabels(
  data: SimulationData,
  learner: Learner,
  rows: Int32Array,
  seed: number,
): Promise<FittedLearner> {
  const positives = positivesOf(rows, data);
  if (positives === 0 || positives === rows.length) {
    const constant = positives === 0 ? 0 : 1;
    return { predict: (_x, n) => new Float64Array(n).fill(constant), dispose: () => {} };
  }
  return learner.fit(data.x, data.columns, rows, data.truth, seed);
}

function positivesOf(rows: Int32Array, data: SimulationData): number {
  let n = 0;
  for (const r of rows) if (data.truth[r] === 1) n++;
  return n;
}

function positiveShare(rows: Int32Array, data: SimulationData): number {
  return rows.length > 0 ? positivesOf(rows, data) / rows.length : 0.5;
}

function unitPositives(rows: Int32Array, data: SimulationData): number {
  const units = reduceToUnits(rows, data.info, new Float64Array(data.truth.length), data.truth);
  let n = 0;
  for (const l of units.labels) if (l === 1) n++;
  return n;
}
