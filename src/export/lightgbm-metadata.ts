/**
 * The JSON the miner template keeps beside a LightGBM model file: the feature names in input
 * order (as the file spells them, with Label Lab's own names and how each is computed), the
 * held-out metrics per label source, the training window, and the training rows' positive rate.
 * Written for every run whose artefacts hold a LightGBM model (gbm, and self-training with trees).
 */
import { dayText as day } from '../features/split.ts';
import { lightgbmFeatureNames, LIGHTGBM_MODEL } from '../ml/gbm/lightgbm-model.ts';
import type { StrategyRun } from '../training/compare.ts';
import type { Experiment } from '../training/experiment.ts';

export const LIGHTGBM_METADATA = 'model_metadata.json';

/** The metadata object, or undefined when the run has no LightGBM model. */
export function lightgbmMetadata(run: StrategyRun, experiment: Experiment): Record<string, unknown> | undefined {
  const result = run.result;
  if (!result?.artefacts.some((a) => a.name === LIGHTGBM_MODEL)) return undefined;
  const { matrix, split } = experiment;
  const features = run.keep.map((j) => matrix.features[j]!);
  const names = features.map((f) => f.name);
  // The last stage trained the model that was kept (self-training: its final round).
  const last = result.training[result.training.length - 1];
  // A forest among the artefacts (self-training's useAnomalyScores) means its score is one more input.
  const extra = result.artefacts.some((a) => a.name === 'isolation-forest.json');
  const inputNames = extra ? [...names, 'isolation-forest score'] : names;
  const fileNames = lightgbmFeatureNames(inputNames);
  const metrics = Object.fromEntries(
    Object.entries(run.entry.metrics).map(([source, m]) => [
      source,
      {
        roc_auc: m.rocAuc,
        pr_auc: m.prAuc,
        brier: m.brier,
        alerts: m.alerts,
        positives: m.positives,
        ...Object.fromEntries(
          m.atK.flatMap((a) => [
            [`precision_at_${a.k}`, a.precision],
            [`recall_at_${a.k}`, a.recall],
          ]),
        ),
      },
    ]),
  );
  return {
    format: 'label-lab-lightgbm/1',
    model_file: LIGHTGBM_MODEL,
    model_type: 'lightgbm',
    objective: 'binary',
    model_version: run.entry.modelVersion,
    strategy: run.name,
    feature_names: fileNames,
    features: inputNames.map((name, i) => ({
      name: fileNames[i],
      label_lab_name: name,
      column: features[i]?.column ?? null,
      transform: features[i]?.transform ?? 'isolation-forest score, standardised on the training rows',
    })),
    inputs:
      'raw feature values as Label Lab computes them (features/encode.ts: the transform named per feature), not standardised; NULL as NaN, which the trees route themselves',
    metrics,
    metrics_on: `held-out alerts: ${split.description}`,
    training_window: {
      start: split.trainDays.length ? day(Math.min(...split.trainDays)) : null,
      end: split.trainDays.length ? day(Math.max(...split.trainDays)) : null,
      dates: split.trainDays.map(day),
      test_dates: split.testDays.map(day),
    },
    training_rows: last?.rows ?? null,
    positive_rate: last && last.positives !== undefined ? last.positives / Math.max(1, last.rows) : null,
    trees: last?.bestEpoch ?? null,
    learning_rate: experiment.config.gbm.learningRate,
  };
}
