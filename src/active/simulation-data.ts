/**
 * The simulation's input from the loaded data: the feature matrix (standardised on the
 * training rows), the time split (pool = training and validation rows, test = the latest date)
 * and the ground truth as the oracle. Features are those a model of explicit alert labels sees
 * (the leakage guard's 'alert-labels' target): a labeller's label is not made of the SOT's
 * severity or confidence, so those stay in, as they would when training on real labels.
 */
import type { Database } from '../db/database.ts';
import { guardFeatures } from '../features/leakage.ts';
import { selectColumns } from '../features/matrix.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import { prepareExperiment } from '../training/experiment.ts';
import { hasRows, truthRowLabels } from '../experiment/row-labels.ts';
import type { SimulationData } from './simulate.ts';

export interface PreparedSimulation {
  data: SimulationData;
  /** The split, in words ("time: test = 2025-10-27 ..."). */
  split: string;
  features: string[];
}

export async function prepareSimulation(
  db: Database,
  config: TrainingConfig,
  onStage: (message: string) => void = () => {},
): Promise<PreparedSimulation> {
  if (!(await hasRows(db, 'ground_truth')))
    throw new Error('the learning-curve simulation needs a ground_truth file: its labels play the labeller');
  const experiment = await prepareExperiment(db, config, onStage);
  const { matrix, split } = experiment;
  const { keep } = guardFeatures(matrix.features, 'alert-labels', config.leakage);
  const truth = await truthRowLabels(db, matrix.rows);
  return {
    data: {
      x: selectColumns(matrix.x, matrix.rows, matrix.columns, keep),
      columns: keep.length,
      info: matrix.rowInfo,
      pool: Int32Array.from([...split.train, ...split.validation]).sort(),
      test: split.test,
      truth: truth.y,
    },
    split: split.description,
    features: keep.map((j) => matrix.features[j]!.name),
  };
}
