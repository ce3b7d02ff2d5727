/**
 * A trained model's files: the strategy's own artefacts (TF.js model.json + weights.bin for the
 * networks, JSON for the forest and the rule) plus preprocessing.json, which says how to turn an
 * alert into the model's input row: the feature names in input order, and the training rows'
 * mean and standard deviation of each (inputs are (x - mean) / std, clipped, NULL as 0), and
 * calibration.json, the mapping from the model's score to the exported probability
 * (src/calibration/mapping.ts: platt a and b, isotonic knots, or none). A tree model also has its
 * LightGBM text model (model.txt) and the template's JSON beside it (lightgbm-metadata.ts).
 */
import type { Experiment } from '../training/experiment.ts';
import type { StrategyRun } from '../training/compare.ts';
import type { ArtefactFile } from '../ml/artefacts.ts';
import { getStrategy } from '../strategies/registry.ts';
import { LIGHTGBM_METADATA, lightgbmMetadata } from './lightgbm-metadata.ts';

export const PREPROCESSING_JSON = 'preprocessing.json';
export const CALIBRATION_JSON = 'calibration.json';

export function modelFiles(run: StrategyRun, experiment: Experiment): ArtefactFile[] {
  if (!run.result) return [];
  const { matrix, standardiser } = experiment;
  const raw = getStrategy(run.name).input?.(experiment.config) === 'raw';
  const preprocessing = {
    format: 'label-lab-preprocessing/1',
    strategy: run.name,
    modelVersion: run.entry.modelVersion,
    // Tree models read the features unscaled: mean and std are listed for reference only.
    space: raw ? 'raw' : 'standardised',
    clip: standardiser.clip,
    missing: raw
      ? 'NULL inputs stay missing (NaN): the trees route them; inputs are not scaled'
      : 'NULL inputs become 0 (the training mean) after scaling; [missing] columns flag them',
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
  const lightgbm = lightgbmMetadata(run, experiment);
  return [
    ...run.result.artefacts,
    ...(lightgbm
      ? [{ name: LIGHTGBM_METADATA, bytes: new TextEncoder().encode(JSON.stringify(lightgbm, null, 2)) }]
      : []),
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
