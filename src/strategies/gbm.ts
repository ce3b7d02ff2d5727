/**
 * gbm: histogram gradient-boosted trees (ml/gbm/), the model family the miner template ships.
 * It learns the labels of `gbm.target` (by default the proxy rule's, explicit labels winning,
 * each weighted by label_confidence), on the raw feature values: trees need no scaling, and they
 * route missing values themselves instead of reading them as the training mean. Validation rows
 * stop it early; the model is exported as a LightGBM text model (ml/gbm/lightgbm-model.ts).
 */
import { addressRowLabels, explicitRowLabels, proxyRowLabels } from '../experiment/row-labels.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import { LIGHTGBM_MODEL, lightgbmModelText } from '../ml/gbm/lightgbm-model.ts';
import { fitGbm, type GbmModel, type GbmParams } from '../ml/gbm/booster.ts';
import { labelledRows, requireLabels, summary } from './classifier.ts';
import type { FeatureImportance, FitHooks, FitInput, FittedModel, Strategy, TrainingSummary } from './strategy.ts';
import { StrategyError } from './strategy.ts';

export const gbmStrategy: Strategy = {
  name: 'gbm',
  summary:
    'gradient-boosted trees (histogram, leaf-wise) on proxy labels or any label target, weighted by label confidence',
  kind: 'supervised',
  scoreKind: 'probability',
  target: (config) => config.gbm.target,
  input: () => 'raw',
  prepareLabels: ({ db, config, rows }) => {
    switch (config.gbm.target) {
      case 'alert-labels':
        return explicitRowLabels(db, rows);
      case 'address-labels':
        return addressRowLabels(db, rows);
      default:
        return proxyRowLabels(db, rows, config.labels, true);
    }
  },
  async fit(input, hooks) {
    const labels = input.labels;
    if (!labels) throw new StrategyError('gbm: no labels were prepared');
    const min = input.config.gbm.target === 'proxy' ? 2 : input.config.supervised.minLabels;
    requireLabels('gbm', `${input.config.gbm.target} labels`, labelledRows(input.train, labels.y), labels.y, min);
    const fitted = await fitGbmRows(input, labels.y, labels.w, 'gbm', hooks);
    return gbmFittedModel(fitted.model, input, [fitted.summary], [gbmNote(fitted.model, fitted.summary)]);
  },
};

/** The config block as the booster's parameters. */
export function gbmParams(config: TrainingConfig): GbmParams {
  const g = config.gbm;
  return {
    learningRate: g.learningRate,
    maxIter: g.maxIter,
    maxLeafNodes: g.maxLeafNodes,
    maxDepth: g.maxDepth,
    l2: g.l2,
    minSamplesLeaf: g.minSamplesLeaf,
    minHessian: g.minHessian,
    maxBins: g.maxBins,
    patience: g.earlyStopping.patience,
    tol: g.earlyStopping.tol,
    validationMetric: g.validationMetric,
    subsample: g.subsample,
    threads: g.threads,
  };
}

/**
 * Boost on the labelled train/validation rows of (y, w). Trees read `input.x` raw (Strategy.input)
 * when it comes from an experiment; a standardised matrix works too (scaling is monotone), with
 * NULLs then already turned into the mean.
 */
export async function fitGbmRows(
  input: FitInput,
  y: Float32Array,
  w: Float32Array | undefined,
  stage: string,
  hooks: FitHooks,
): Promise<{ model: GbmModel; summary: TrainingSummary }> {
  const train = labelledRows(input.train, y);
  const validation = labelledRows(input.validation, y);
  const { model, result, threads } = await fitGbm(
    { x: input.x, columns: input.columns, train, validation, y, w },
    gbmParams(input.config),
    input.seed,
    { ...hooks, stage },
  );
  return { model, summary: { ...summary(stage, result, train, y), threads } };
}

/** Features by total split gain, most first; features no split used are left out. */
export function importanceOf(model: GbmModel, names: readonly string[]): FeatureImportance[] {
  return Array.from(model.importance, (gain, j) => ({ feature: names[j]!, gain }))
    .filter((f) => f.gain > 0)
    .sort((a, b) => b.gain - a.gain || a.feature.localeCompare(b.feature));
}

export function gbmNote(model: GbmModel, s: TrainingSummary): string {
  const leaves = model.trees.reduce((n, t) => n + t.leafValue.length, 0);
  const why =
    s.stopped === 'early-stopping'
      ? `early stopping kept the best of ${s.epochs} iterations on the validation rows`
      : `all ${s.epochs} iterations`;
  const threads = (s.threads ?? 1) > 1 ? `, histograms on ${s.threads} threads` : '';
  return `${model.trees.length} trees (${why}), ${(leaves / Math.max(1, model.trees.length)).toFixed(1)} leaves per tree, init log-odds ${model.init.toFixed(3)} (${countPositivesNote(s)})${threads}`;
}

function countPositivesNote(s: TrainingSummary): string {
  return `${s.positives ?? 0} of ${s.rows} training labels positive`;
}

/** A FittedModel scoring with the booster's probability, exporting the LightGBM file. */
export function gbmFittedModel(
  model: GbmModel,
  input: FitInput,
  training: TrainingSummary[],
  notes: string[],
): FittedModel {
  const importance = importanceOf(model, input.names);
  const top = importance
    .slice(0, 5)
    .map((f) => `${f.feature} ${f.gain.toPrecision(3)}`)
    .join(', ');
  return {
    score: (x, rows) => model.predictProbability(x, rows),
    training,
    notes: [...notes, ...(top ? [`feature importance (total split gain): ${top}`] : [])],
    importance,
    artefacts: async () => [
      {
        name: LIGHTGBM_MODEL,
        bytes: new TextEncoder().encode(lightgbmModelText(model, input.names, input.config.gbm.learningRate)),
      },
    ],
    dispose: () => {},
  };
}
