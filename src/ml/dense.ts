/**
 * The dense classifier shared by the label-learning strategies (proxy, supervised,
 * self-training): an MLP with a sigmoid output, trained on weighted 0/1 labels.
 */
import { Mlp } from './mlp.ts';
import { trainLoop, type LoopHooks, type LoopResult, type NetworkTrainingParams } from './train-loop.ts';

export interface DenseParams extends NetworkTrainingParams {
  /** Hidden layer widths; the default [64, 32] is the network the benchmark compares. */
  hidden: number[];
}

export interface ClassifierData {
  /** Row-major matrix of every row (standardised); only `train` and `validation` rows are read. */
  x: Float32Array;
  columns: number;
  train: Int32Array;
  validation: Int32Array;
  /** 0/1 label per matrix row (rows outside train/validation are ignored). */
  y: Float32Array;
  /** Weight per matrix row; absent means 1. */
  w?: Float32Array;
}

export async function trainDenseClassifier(
  data: ClassifierData,
  params: DenseParams,
  seed: number,
  hooks: LoopHooks = {},
): Promise<{ model: Mlp; result: LoopResult }> {
  const model = new Mlp({
    sizes: [data.columns, ...params.hidden, 1],
    output: 'sigmoid',
    learningRate: params.learningRate,
    l2: params.l2,
    seed,
  });
  try {
    const result = await trainLoop(
      model,
      { x: data.x, columns: data.columns, rows: data.train, target: data.y, weight: data.w },
      { x: data.x, columns: data.columns, rows: data.validation, target: data.y, weight: data.w },
      {
        epochs: params.epochs,
        batchSize: params.batchSize,
        patience: params.patience,
        minDelta: params.minDelta,
        seed: seed ^ 0x5bd1e995,
      },
      hooks,
    );
    return { model, result };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
