/** The --learner and --config options shared by `lab active` and `lab labels suspects`. */
import { readFile } from 'node:fs/promises';
import { initNodeBackend } from '../ml/backend-node.ts';
import { denseLearner, logisticLearner, type Learner } from '../ml/learner.ts';
import { loadTrainingConfig, parseTrainingConfig, type TrainingConfig } from '../experiment/config.ts';
import { CliError } from './output.ts';

/** The training configuration of --config FILE, or the defaults. */
export async function readTrainingConfig(path: string | undefined): Promise<TrainingConfig> {
  try {
    return path ? loadTrainingConfig(await readFile(path, 'utf8'), path) : parseTrainingConfig({});
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/**
 * dense (the default: the configuration's network; starts the TF.js backend) or logistic (linear,
 * no backend). See ml/learner.ts for the measured difference.
 */
export async function learnerFromOption(
  name: string | undefined,
  config: TrainingConfig,
  command: string,
): Promise<Learner> {
  if (name === 'logistic') return logisticLearner();
  if (name === undefined || name === 'dense') {
    await initNodeBackend(config.backend === 'webgl' ? 'auto' : config.backend);
    return denseLearner(config.dense);
  }
  throw new CliError(`${command}: --learner must be logistic or dense, not '${name}'`);
}

/** A positive integer option, with its default. */
export function intOption(value: unknown, fallback: number, name: string, command: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${command}: --${name} must be a positive integer, not '${String(value)}'`);
  return n;
}
