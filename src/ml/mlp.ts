/**
 * A fully connected network (ReLU hidden layers, sigmoid or linear output) trained with
 * hand-written backpropagation over TF.js kernels.
 *
 * Why not model.fit or autodiff: measured on the wasm backend (bench/train.ts), model.fit trains
 * the 40-64-32-1 classifier at about 100k samples/s, a custom loop with tf.variableGrads at about
 * 120k, and this file at 300-400k. The difference is in kernels, not in JS overhead: the
 * gradients autodiff builds multiply by transposed operands (matMul with transposeA/B), which
 * the wasm backend runs about 5x slower than a plain matMul, and it gathers batch rows with a
 * slow kernel. Here every matMul is plain: the batch arrives with its transpose (built in JS
 * while gathering the rows), weight matrices are transposed explicitly (they are tiny), and the
 * forward pass uses fused matMul+bias+ReLU.
 *
 * The parameters are plain tf.Variables updated by tf.train.adam, so the model can still be
 * exported as a TF.js Layers model (artefacts.ts) with the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import { Random } from './random.ts';

export type OutputKind = 'sigmoid' | 'linear';

export interface MlpSpec {
  /** Layer widths from input to output, e.g. [40, 64, 32, 1]. */
  sizes: readonly number[];
  /** sigmoid: weighted binary cross-entropy on 0/1 targets; linear: mean squared error. */
  output: OutputKind;
  learningRate: number;
  /** L2 penalty added to the weight gradients (not the biases), as sklearn's `alpha`. */
  l2: number;
  seed: number;
}

/** One batch, row-major, with its transpose (columns x rows) for the first layer's gradient. */
export interface MlpBatch {
  x: Float32Array;
  xT: Float32Array;
  /** sigmoid: one 0/1 value per row; linear: `outputs` values per row. */
  target: Float32Array;
  /** Per-row weights (sigmoid only); absent means all 1. */
  weight?: Float32Array;
  size: number;
}

/** A variable holding `initial`'s values; the initial tensor is freed (tf.variable keeps its own reference). */
function ownedVariable(initial: tf.Tensor, name: string): tf.Variable {
  // Names must be unique per TF.js engine: several models live side by side (self-training).
  const v = tf.variable(initial, true, `${name}_${++variableCounter}`);
  initial.dispose();
  return v;
}
let variableCounter = 0;

/** Rows scored per forward call: large, because each call has a fixed cost (stack-notes.md). */
const PREDICT_CHUNK = 8192;

export class Mlp {
  readonly spec: MlpSpec;
  readonly weights: tf.Variable[] = [];
  readonly biases: tf.Variable[] = [];
  private readonly optimizer: tf.AdamOptimizer;

  constructor(spec: MlpSpec) {
    if (spec.sizes.length < 2) throw new Error('an MLP needs at least an input and an output width');
    this.spec = spec;
    const rng = new Random(spec.seed);
    for (let l = 0; l + 1 < spec.sizes.length; l++) {
      const fanIn = spec.sizes[l]!;
      const fanOut = spec.sizes[l + 1]!;
      // Glorot uniform, drawn from the seeded generator so a seed fixes the start on any backend.
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const w = Float32Array.from({ length: fanIn * fanOut }, () => rng.uniform(-limit, limit));
      this.weights.push(ownedVariable(tf.tensor2d(w, [fanIn, fanOut]), `dense_${l}/kernel`));
      this.biases.push(ownedVariable(tf.zeros([fanOut]), `dense_${l}/bias`));
    }
    this.optimizer = tf.train.adam(spec.learningRate);
  }

  get inputs(): number {
    return this.spec.sizes[0]!;
  }

  get outputs(): number {
    return this.spec.sizes[this.spec.sizes.length - 1]!;
  }

  /** Pre-activation outputs (logits for sigmoid) of a [rows, inputs] tensor, plus each layer's activations. */
  private forward(x: tf.Tensor2D): { logits: tf.Tensor2D; activations: tf.Tensor2D[] } {
    const activations: tf.Tensor2D[] = [x];
    const last = this.weights.length - 1;
    for (let l = 0; l <= last; l++) {
      activations.push(
        tf.fused.matMul({
          a: activations[l]!,
          b: this.weights[l] as unknown as tf.Tensor2D,
          bias: this.biases[l],
          activation: l < last ? 'relu' : 'linear',
        }) as tf.Tensor2D,
      );
    }
    return { logits: activations.pop()!, activations };
  }

  /** One optimiser step on a batch; returns the batch's mean loss as a scalar tensor (not read). */
  trainBatch(batch: MlpBatch): tf.Scalar {
    return tf.tidy(() => {
      const { size } = batch;
      const xb = tf.tensor2d(batch.x.subarray(0, size * this.inputs), [size, this.inputs]);
      const xbT = tf.tensor2d(batch.xT.subarray(0, size * this.inputs), [this.inputs, size]);
      const target = tf.tensor2d(batch.target.subarray(0, size * this.outputs), [size, this.outputs]);
      const { logits, activations } = this.forward(xb);
      const { loss, dLogits } = this.lossAndGradient(logits, target, batch.weight?.subarray(0, size));

      const grads: Record<string, tf.Tensor> = {};
      let dz: tf.Tensor2D = dLogits;
      for (let l = this.weights.length - 1; l >= 0; l--) {
        const aT: tf.Tensor2D = l === 0 ? xbT : tf.transpose(activations[l]!);
        let gW: tf.Tensor = tf.matMul(aT, dz);
        if (this.spec.l2 > 0) gW = tf.add(gW, tf.mul(this.weights[l]!, this.spec.l2));
        grads[this.weights[l]!.name] = gW;
        grads[this.biases[l]!.name] = tf.sum(dz, 0);
        if (l > 0) {
          // ReLU's derivative: 1 where the activation is positive.
          dz = tf.mul(tf.matMul(dz, tf.transpose(this.weights[l]!)), tf.step(activations[l]!)) as tf.Tensor2D;
        }
      }
      this.optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      return loss;
    });
  }

  /**
   * The loss and its gradient with respect to the logits.
   * sigmoid: L = sum_i w_i bce(z_i, y_i) / sum_i w_i, with bce written on logits for stability
   *          (softplus(z) - z y, TF.js's softplus being the stable form); dL/dz_i = w_i (sigmoid(z_i) - y_i) / sum w.
   * linear:  L = mean over all cells of (z - t)^2; dL/dz = 2 (z - t) / cells.
   */
  private lossAndGradient(z: tf.Tensor2D, t: tf.Tensor2D, weight?: Float32Array): { loss: tf.Scalar; dLogits: tf.Tensor2D } {
    if (this.spec.output === 'linear') {
      const diff = tf.sub(z, t);
      return { loss: tf.mean(tf.square(diff)), dLogits: tf.mul(diff, 2 / z.size) as tf.Tensor2D };
    }
    const rows = z.shape[0];
    const bce = tf.sub(tf.softplus(z), tf.mul(z, t));
    const residual = tf.sub(tf.sigmoid(z), t);
    if (!weight) return { loss: tf.mean(bce), dLogits: tf.div(residual, rows) as tf.Tensor2D };
    let total = 0;
    for (let i = 0; i < weight.length; i++) total += weight[i]!;
    const w = tf.tensor2d(weight, [rows, 1]);
    const scale = total > 0 ? 1 / total : 0;
    return { loss: tf.mul(tf.sum(tf.mul(bce, w)), scale), dLogits: tf.mul(tf.mul(residual, w), scale) as tf.Tensor2D };
  }

  /** Outputs for `rows` rows of `x` (row-major): probabilities for sigmoid, values for linear. */
  predict(x: Float32Array, rows: number): Float32Array {
    const out = new Float32Array(rows * this.outputs);
    for (let start = 0; start < rows; start += PREDICT_CHUNK) {
      const size = Math.min(PREDICT_CHUNK, rows - start);
      // The values are copied out inside tidy, not returned from it: tidy walks its return value
      // looking for tensors, element by element, which takes a second for a million floats.
      tf.tidy(() => {
        const xb = tf.tensor2d(x.subarray(start * this.inputs, (start + size) * this.inputs), [size, this.inputs]);
        const { logits } = this.forward(xb);
        out.set((this.spec.output === 'sigmoid' ? tf.sigmoid(logits) : logits).dataSync() as Float32Array, start * this.outputs);
      });
    }
    return out;
  }

  /**
   * P(positive) of each row for a sigmoid output, computed in double precision from the logits
   * (see FittedModel.score on why not Float32).
   */
  predictProbability(x: Float32Array, rows: number): Float64Array {
    if (this.spec.output !== 'sigmoid' || this.outputs !== 1) throw new Error('predictProbability needs a single sigmoid output');
    const logits = new Float32Array(rows);
    for (let start = 0; start < rows; start += PREDICT_CHUNK) {
      const size = Math.min(PREDICT_CHUNK, rows - start);
      tf.tidy(() => {
        const xb = tf.tensor2d(x.subarray(start * this.inputs, (start + size) * this.inputs), [size, this.inputs]);
        logits.set(this.forward(xb).logits.dataSync() as Float32Array, start);
      });
    }
    return Float64Array.from(logits, (z) => 1 / (1 + Math.exp(-z)));
  }

  /** Mean loss over `rows` rows (the validation loss), computed in chunks. */
  loss(x: Float32Array, target: Float32Array, rows: number, weight?: Float32Array): number {
    let sum = 0;
    let denom = 0;
    const outputs = this.outputs;
    const pred = this.predict(x, rows);
    for (let i = 0; i < rows; i++) {
      if (this.spec.output === 'linear') {
        for (let j = 0; j < outputs; j++) {
          const d = pred[i * outputs + j]! - target[i * outputs + j]!;
          sum += d * d;
        }
        denom += outputs;
      } else {
        // Clamped like Keras's binary cross-entropy on probabilities.
        const p = Math.min(1 - 1e-7, Math.max(1e-7, pred[i]!));
        const y = target[i]!;
        const w = weight ? weight[i]! : 1;
        sum += -w * (y * Math.log(p) + (1 - y) * Math.log(1 - p));
        denom += w;
      }
    }
    return denom > 0 ? sum / denom : NaN;
  }

  /** A copy of every parameter, to come back to the best epoch after early stopping. */
  snapshot(): Float32Array[] {
    return [...this.weights, ...this.biases].map((v) => v.dataSync().slice() as Float32Array);
  }

  restore(snapshot: Float32Array[]): void {
    const vars = [...this.weights, ...this.biases];
    vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(snapshot[i]!, v.shape))));
  }

  /** Weights in Keras order (kernel, bias per layer), for export. */
  layerWeights(): { kernel: Float32Array; bias: Float32Array; shape: [number, number] }[] {
    return this.weights.map((w, l) => ({
      kernel: w.dataSync().slice() as Float32Array,
      bias: this.biases[l]!.dataSync().slice() as Float32Array,
      shape: [w.shape[0]!, w.shape[1]!],
    }));
  }

  dispose(): void {
    for (const v of [...this.weights, ...this.biases]) v.dispose();
    this.optimizer.dispose();
  }
}
