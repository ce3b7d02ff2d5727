/**
 * The fit job bench:gbm times, the same in Node and in the Chromium training worker: the gbm
 * strategy on bench/gbm-data.ts rows (the last tenth held out), early stopping off so every run
 * grows the same number of trees as scikit-learn does.
 */
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { ORIGIN } from '../src/experiment/row-labels.ts';
import type { FitJob } from '../src/training/job.ts';
import { syntheticGbmData, type GbmBenchData } from './gbm-data.ts';

export interface GbmBenchSettings {
  rows: number;
  iterations: number;
}

/** `threads`: gbm.threads (0: one per core). */
export function gbmBenchConfig(iterations: number, threads = 0) {
  return parseTrainingConfig({ gbm: { maxIter: iterations, earlyStopping: { patience: 0 }, threads } });
}

/** Training rows: the first nine tenths; the rest is held out. */
export function benchTrainRows(rows: number): Int32Array {
  return Int32Array.from({ length: Math.floor(rows * 0.9) }, (_, i) => i);
}

export function gbmBenchData(rows: number): GbmBenchData {
  return syntheticGbmData(rows, 1);
}

export function gbmBenchJob(data: GbmBenchData, iterations: number, threads = 0): FitJob {
  return {
    strategy: 'gbm',
    input: {
      // A copy: a worker takes ownership of the job's buffers.
      x: data.x.slice(),
      input: 'raw',
      rows: data.rows,
      columns: data.columns,
      names: data.names,
      train: benchTrainRows(data.rows),
      validation: new Int32Array(0),
      labels: {
        y: data.y.slice(),
        w: data.w.slice(),
        origin: new Uint8Array(data.rows).fill(ORIGIN.proxy),
        positives: 0,
        negatives: 0,
      },
      side: { confidence: new Float32Array(data.rows).fill(0.5) },
      config: gbmBenchConfig(iterations, threads),
      seed: 1,
    },
  };
}
