/**
 * The autoencoder: an MLP that squeezes the standardised features through a narrow layer and
 * back; rows it reconstructs badly are unlike the bulk of the training rows. The anomaly score
 * is the per-row mean squared reconstruction error.
 */
import { Mlp } from './mlp.ts';
import { trainLoop, type LoopHooks, type LoopResult, type NetworkTrainingParams } from './train-loop.ts';

export interface AutoencoderParams extends NetworkTrainingParams {
  /** Encoder widths down to the bottleneck; the decoder mirrors them. */
  hidden: number[];
}

export interface AutoencoderData {
  x: Float32Array;
  columns: number;
  train: Int32Array;
  validation: Int32Array;
}

/** Layer widths input → encoder → bottleneck → mirrored decoder → input. */
export function autoencoderSizes(columns: number, hidden: readonly number[]): number[] {
  const mirror = hidden.slice(0, -1).reverse();
  return [columns, ...hidden, ...mirror, columns];
}

export async function trainAutoencoder(
  data: AutoencoderData,
  params: AutoencoderParams,
  seed: number,
  hooks: LoopHooks = {},
): Promise<{ model: Mlp; result: LoopResult }> {
  const model = new Mlp({
    sizes: autoencoderSizes(data.columns, params.hidden),
    output: 'linear',
    learningRate: params.learningRate,
    l2: params.l2,
    seed,
  });
  try {
    const result = await trainLoop(
      model,
      { x: data.x, columns: data.columns, rows: data.train },
      { x: data.x, columns: data.columns, rows: data.validation },
      {
        epochs: params.epochs,
        batchSize: params.batchSize,
        patience: params.patience,
        minDelta: params.minDelta,
        seed: seed ^ 0x27d4eb2f,
      },
      hooks,
    );
    return { model, result };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Mean squared reconstruction error of each of `rows` rows of `x`. */
export function reconstructionErrors(model: Mlp, x: Float32Array, rows: number): Float64Array {
  const columns = model.inputs;
  const out = model.predict(x, rows);
  const errors = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < columns; c++) {
      const d = out[r * columns + c]! - x[r * columns + c]!;
      sum += d * d;
    }
    errors[r] = sum / columns;
  }
  return errors;
}
