/** The --learner option shared by `lab active simulate` and `lab labels suspects`. */
import { initNodeBackend } from '../ml/backend-node.ts';
import { denseLearner, logisticLearner, type Learner } from '../ml/learner.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import { CliError } from './output.ts';

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
