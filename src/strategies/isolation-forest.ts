/**
 * isolation-forest: the SOT's own unsupervised baseline (ml/isolation-forest.ts), grown on the
 * training rows with the configured number of trees and subsample size, seeded.
 */
import { IsolationForest } from '../ml/isolation-forest.ts';
import type { Strategy } from './strategy.ts';

export const isolationForestStrategy: Strategy = {
  name: 'isolation-forest',
  summary: 'unsupervised: isolation forest (subsampled trees, standard path-length score)',
  kind: 'unsupervised',
  scoreKind: 'anomaly',
  target: () => 'none',
  prepareLabels: async () => undefined,
  async fit(input) {
    const t0 = performance.now();
    const forest = IsolationForest.fit(input.x, input.columns, input.train, input.config.isolationForest, input.seed);
    const seconds = (performance.now() - t0) / 1000;
    return {
      score: (x, rows) => forest.score(x, rows),
      training: [
        {
          stage: 'isolation-forest',
          epochs: 0,
          bestEpoch: 0,
          stopped: 'not-iterative',
          history: [
            {
              epoch: 0,
              loss: NaN,
              valLoss: NaN,
              seconds,
              samplesPerSecond: input.train.length / Math.max(seconds, 1e-6),
            },
          ],
          rows: input.train.length,
        },
      ],
      notes: [
        `${forest.trees.length} trees of ${forest.sampleSize} rows each (height limit ${Math.ceil(Math.log2(forest.sampleSize))})`,
      ],
      artefacts: async () => [
        { name: 'isolation-forest.json', bytes: new TextEncoder().encode(JSON.stringify(forest.toJSON())) },
      ],
      dispose: () => {},
    };
  },
};
