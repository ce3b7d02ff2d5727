/**
 * autoencoder: unsupervised. A network learns to reproduce the training rows' features through a
 * narrow layer; the score is the reconstruction error, high for alerts unlike the bulk. Labels
 * play no part, so it cannot inherit the proxy rule's blind spots (nor its knowledge).
 */
import { mlpArtefacts } from '../ml/artefacts.ts';
import { reconstructionErrors, trainAutoencoder } from '../ml/autoencoder.ts';
import type { Strategy } from './strategy.ts';

export const autoencoderStrategy: Strategy = {
  name: 'autoencoder',
  summary: 'unsupervised: reconstruction error of an autoencoder trained on the features',
  kind: 'unsupervised',
  scoreKind: 'anomaly',
  target: () => 'none',
  prepareLabels: async () => undefined,
  async fit(input, hooks) {
    const { model, result } = await trainAutoencoder(
      { x: input.x, columns: input.columns, train: input.train, validation: input.validation },
      input.config.autoencoder,
      input.seed,
      { ...hooks, stage: 'autoencoder' },
    );
    return {
      score: (x, rows) => reconstructionErrors(model, x, rows),
      training: [
        {
          stage: 'autoencoder',
          epochs: result.history.length,
          bestEpoch: result.bestEpoch,
          stopped: result.stopped,
          history: result.history,
          rows: input.train.length,
        },
      ],
      notes: [],
      artefacts: () => mlpArtefacts(model, 'autoencoder'),
      dispose: () => model.dispose(),
    };
  },
};
