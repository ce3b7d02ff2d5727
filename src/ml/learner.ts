/**
 * A learner: something that fits a probability model on labelled rows of a matrix and scores
 * every row. Active learning and the mislabel finder refit many times on subsets of the same
 * matrix, so they take a learner rather than a strategy (a strategy also prepares its labels in
 * SQL and splits its own rows).
 *
 * Two are provided:
 * - dense: the strategies' dense classifier (ml/dense.ts) with the configured network. It catches
 *   non-linear structure, and on a few hundred labels it is fast: one or two batches an epoch.
 *   Needs a TF.js backend.
 * - logistic: L2 logistic regression (ml/logistic.ts). Convex, so the fit does not depend on a
 *   seed; no backend needed, so it runs wherever the queue is computed (the core default of
 *   retrainQueue). Linear only.
 *
 * Measured on the sample snapshot (lab active simulate, 10 repeats of 4 strategies x 15 fits,
 * 2 cores): logistic 70 s, dense 80 s, so speed does not decide between them there; the dense
 * network reaches a test PR-AUC of 0.998 on every pool label against 0.975 for the linear model
 * (the planted truth is non-linear), which is why the CLI defaults to it.
 */
import type { DenseParams } from './dense.ts';
import { trainDenseClassifier } from './dense.ts';
import { DEFAULT_LOGISTIC, fitLogistic, predictLogistic, type LogisticOptions } from './logistic.ts';

export interface FittedLearner {
  /** P(positive) of the first `rows` rows of `x`. */
  predict(x: Float32Array, rows: number): Float64Array;
  dispose(): void;
}

export interface Learner {
  readonly name: string;
  /** Fit on `rows` of `x` (row-major, `columns` wide) with 0/1 labels `y[row]`. */
  fit(x: Float32Array, columns: number, rows: Int32Array, y: Float32Array, seed: number): Promise<FittedLearner>;
}

export function logisticLearner(opts: Partial<LogisticOptions> = {}): Learner {
  const options = { ...DEFAULT_LOGISTIC, ...opts };
  return {
    name: 'logistic',
    async fit(x, columns, rows, y) {
      const model = fitLogistic(x, columns, rows, y, options);
      return { predict: (xs, n) => predictLogistic(model, xs, n), dispose: () => {} };
    },
  };
}

/**
 * The dense classifier, trained on all of `rows` for a fixed number of epochs (no validation
 * split: with a few hundred labels, early stopping on a tenth of them is noise).
 */
export function denseLearner(params: DenseParams): Learner {
  return {
    name: 'dense',
    async fit(x, columns, rows, y, seed) {
      const { model } = await trainDenseClassifier(
        { x, columns, train: rows, validation: new Int32Array(0), y },
        params,
        seed,
      );
      return { predict: (xs, n) => model.predictProbability(xs, n), dispose: () => model.dispose() };
    },
  };
}
