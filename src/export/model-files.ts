/**
 * A trained model's files: the strategy's own artefacts (TF.js model.json + weights.bin for the
 * networks, JSON for the forest and the rule) plus preprocessing.json, which says how to turn an
 * alert into the model's input row: the feature names in input order, and the training rows'
 * mean and standard deviation of each (inputs are (x - mean) / std, clipped, NULL as 0), and
 * calibration.json, the mapping from the model's score to the exported probability
 * (src/calibration/mapping.ts: platt a and b, isotonic knots, or none).
 */
import type { Experiment } from '../training/experiment.ts';
import type { StrategyRun } from '../training/compare.ts';
import type { ArtefactFile } from '../ml/artefacts.ts';

export const PREPROCESSING_JSON = 'preprocessing.json';
export const CALIBRATION_JSON = 'calibration.json';

export function modelFiles(run: StrategyRun, experiment: Experiment): ArtefactFile[] {
  if (!run.result) return [];
  const { matrix, standardiser } = experiment;
  const preprocessing = {
    format: 'label-lab-preprocessing/1',
    strategy: run.name,
    modelVersion: run.entry.modelVersion,
    clip: standardiser.clip,
    missing: 'NULL inputs become 0 (the training mean) after scaling; [missing] columns flag them',
    inputs: run.keep.map((j) => {
      const f = matrix.features[j]!;
      return {
        name: f.name,
        column: f.column,
        transform: f.transform,
        mean: standardiser.mean[j]!,
        std: standardiser.std[j]!,
      };
    }),
  };
  return [
    ...run.result.artefacts,
    { name: PREPROCESSING_JSON, bytes: new TextEncoder().encode(JSON.stringify(preprocessing, null, 2)) },
    ...(run.entry.calibration
      ? [
          {
            name: CALIBRATION_JSON,
            bytes: new TextEncoder().encode(JSON.stringify(run.entry.calibration.mapping, null, 2)),
          },
        ]
      : []),
  ];
}
