/**
 * What the label-learning strategies share: pick the labelled rows of the training and
 * validation sets, check there is something to learn, train the dense classifier, and wrap it
 * as a FittedModel.
 */
import { mlpArtefacts } from '../ml/artefacts.ts';
import { trainDenseClassifier } from '../ml/dense.ts';
import type { Mlp } from '../ml/mlp.ts';
import type { LoopResult } from '../ml/train-loop.ts';
import type { FitHooks, FitInput, FittedModel, TrainingSummary } from './strategy.ts';
import { StrategyError, StrategySkipped } from './strategy.ts';

/** Rows of `rows` whose label is 0 or 1. */
export function labelledRows(rows: Int32Array, y: Float32Array): Int32Array {
  return rows.filter((r) => y[r] === 0 || y[r] === 1);
}

export function countPositives(rows: Int32Array, y: Float32Array): number {
  let n = 0;
  for (const r of rows) if (y[r] === 1) n++;
  return n;
}

/**
 * Throws unless `rows` holds at least `min` labels of both classes. No labels at all means the
 * data lacks the strategy's input (skipped, not failed); too few or one class is an error: the
 * labels are there but cannot train a classifier.
 */
export function requireLabels(strategy: string, what: string, rows: Int32Array, y: Float32Array, min: number): void {
  const positives = countPositives(rows, y);
  const negatives = rows.length - positives;
  if (rows.length === 0)
    throw new StrategySkipped(`${strategy}: no ${what} among the training rows; it learns from them only`);
  if (rows.length < min) {
    throw new StrategyError(
      `${strategy}: only ${rows.length} ${what} among the training rows; at least ${min} are needed (supervised.minLabels)`,
    );
  }
  if (positives === 0 || negatives === 0) {
    throw new StrategyError(
      `${strategy}: the ${rows.length} ${what} among the training rows are all ${positives === 0 ? 'negative' : 'positive'}; a classifier needs both classes`,
    );
  }
}

export function summary(stage: string, result: LoopResult, rows: Int32Array, y: Float32Array): TrainingSummary {
  return {
    stage,
    epochs: result.history.length,
    bestEpoch: result.bestEpoch,
    stopped: result.stopped,
    history: result.history,
    rows: rows.length,
    positives: countPositives(rows, y),
  };
}

/** Train the dense classifier on the labelled train/validation rows of (y, w). */
export async function fitDense(
  input: FitInput,
  y: Float32Array,
  w: Float32Array | undefined,
  stage: string,
  hooks: FitHooks,
): Promise<{ model: Mlp; summary: TrainingSummary }> {
  const train = labelledRows(input.train, y);
  const validation = labelledRows(input.validation, y);
  const { model, result } = await trainDenseClassifier(
    { x: input.x, columns: input.columns, train, validation, y, w },
    input.config.dense,
    input.seed,
    {
      ...hooks,
      stage,
    },
  );
  return { model, summary: summary(stage, result, train, y) };
}

/** A FittedModel scoring with the classifier's probability. */
export function classifierModel(
  model: Mlp,
  name: string,
  training: TrainingSummary[],
  notes: string[] = [],
): FittedModel {
  return {
    score: (x, rows) => model.predictProbability(x, rows),
    training,
    notes,
    artefacts: () => mlpArtefacts(model, name),
    dispose: () => model.dispose(),
  };
}
