/**
 * A fully connected network (ReLU hidden layers, sigmoid or linear output) trained with
 * hand-written backpropagation over TF.js kernels.
 *
 * Why not model.fit or autodiff (measured on the wasm backend, bench/train.ts): model.fit trains
 * the 40-64-32-1 classifier at 50-100k samples/s, a custom loop with optimizer.minimize at about
 * the same, and this file at 2.5-5x that. Two costs dominate, and both are avoided here:
 * - Kernels. The gradients autodiff builds multiply by transposed operands (matMul with
 *   transposeA/B), which the wasm backend runs about 5x slower than a plain matMul, and batches
 *   are sliced or gathered from big tensors with slow kernels. Here every matMul is plain: the
 *   batch arrives with its transpose (built in JS while gathering the rows), weight matrices are
 *   transposed explicitly (they are tiny), and the forward pass uses fused matMul+bias+ReLU.
 * - Per-op overhead, 15 us and more per TF.js op. tf.train.adam updating six variables costs
 *   about 70 ops (1.3 ms a step); all parameters live in one flat vector instead, updated by one
 *   Adam, on the backend or in JavaScript (mlp-params.ts says which and why).
 *
 * The weights can still be exported as a TF.js Layers model (artefacts.ts).
 */
import * as tf from '@tensorflow/tfjs';
import {
  createParamStore,
  defaultStoreKind,
  type LayerSlot,
  type LayerGradient,
  type LayerTensors,
  type ParamStore,
  type ParamStoreKind,
} from './mlp-params.ts';
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
  /** Where the parameters live and Adam runs; default: by the current backend (defaultStoreKind). */
  store?: ParamStoreKind;
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

/** Rows scored per forward call: large, because each call has a fixed cost (stack-notes.md). */
const PREDICT_CHUNK = 8192;

// Variable names must be unique per TF.js engine, and several models live side by side.
let variableCounter = 0;

export class Mlp {
  readonly spec: MlpSpec;
  /** Every kernel and bias, layer by layer (kernel row-major, then bias). */
  private readonly params: ParamStore;
  private readonly slots: LayerSlot[] = [];
  /** Rows and columns of ones per batch size seen (trainBatch's bias gradients). */
  private readonly ones = new Map<number, tf.Tensor2D>();
  private readonly onesColumns = new Map<number, tf.Tensor2D>();

  constructor(spec: MlpSpec) {
    if (spec.sizes.length < 2) throw new Error('an MLP needs at least an input and an output width');
    this.spec = spec;
    let offset = 0;
    for (let l = 0; l + 1 < spec.sizes.length; l++) {
      const fanIn = spec.sizes[l]!;
      const fanOut = spec.sizes[l + 1]!;
      this.slots.push({ fanIn, fanOut, kernel: offset, bias: offset + fanIn * fanOut });
      offset += fanIn * fanOut + fanOut;
    }
    const rng = new Random(spec.seed);
    const initial = new Float32Array(offset);
    for (const s of this.slots) {
      // Glorot uniform, drawn from the seeded generator so a seed fixes the start on any backend; biases 0.
      const limit = Math.sqrt(6 / (s.fanIn + s.fanOut));
      for (let i = 0; i < s.fanIn * s.fanOut; i++) initial[s.kernel + i] = rng.uniform(-limit, limit);
    }
    this.params = createParamStore(spec.store ?? defaultStoreKind(), this.slots, initial, {
      learningRate: spec.learningRate,
      l2: spec.l2,
      name: `mlp_${++variableCounter}/params`,
    });
  }

  get inputs(): number {
    return this.spec.sizes[0]!;
  }

  get outputs(): number {
    return this.spec.sizes[this.spec.sizes.length - 1]!;
  }

  /** Pre-activation outputs (logits for sigmoid) of a [rows, inputs] tensor, each layer's input, and the layers. */
  private forward(x: tf.Tensor2D): { logits: tf.Tensor2D; activations: tf.Tensor2D[]; layers: LayerTensors[] } {
    const activations: tf.Tensor2D[] = [x];
    const layers: LayerTensors[] = [];
    const last = this.slots.length - 1;
    for (let l = 0; l <= last; l++) {
      const layer = this.params.layer(l);
      const { kernel, bias } = layer;
      layers.push(layer);
      activations.push(
        tf.fused.matMul({
          a: activations[l]!,
          b: kernel,
          bias,
          activation: l < last ? 'relu' : 'linear',
        }) as tf.Tensor2D,
      );
    }
    return { logits: activations.pop()!, activations, layers };
  }

  /** A [1, rows] row of ones, kept per batch size. */
  private onesRow(rows: number): tf.Tensor2D {
    return this.keptOnes(this.ones, rows, [1, rows]);
  }

  /** A [rows, 1] column of ones, kept per batch size. */
  private onesColumn(rows: number): tf.Tensor2D {
    return this.keptOnes(this.onesColumns, rows, [rows, 1]);
  }

  private keptOnes(kept: Map<number, tf.Tensor2D>, rows: number, shape: [number, number]): tf.Tensor2D {
    let ones = kept.get(rows);
    if (!ones) {
      ones = tf.keep(tf.ones(shape));
      kept.set(rows, ones);
    }
    return ones;
  }

  /**
   * One optimiser step on a batch; returns the batch's mean loss: a number where it was computed
   * in JavaScript (host parameter store), else a scalar tensor, not read (reading waits for the
   * backend; the caller sums and reads them once an epoch).
   */
  trainBatch(batch: MlpBatch): tf.Scalar | number {
    return tf.tidy(() => {
      const { size } = batch;
      const xb = tf.tensor2d(batch.x.subarray(0, size * this.inputs), [size, this.inputs]);
      const xbT = tf.tensor2d(batch.xT.subarray(0, size * this.inputs), [this.inputs, size]);
      const { logits, activations, layers } = this.forward(xb);
      const target = batch.target.subarray(0, size * this.outputs);
      const weight = batch.weight?.subarray(0, size);
      const { loss, dLogits } =
        this.params.kind === 'host'
          ? this.lossAndGradientOnHost(logits, target, weight)
          : this.lossAndGradient(logits, tf.tensor2d(target, [size, this.outputs]), weight);

      // Gradients layer by layer from the top, in whichever of two forms costs less on the wasm
      // backend, where transposing a [rows, width] matrix costs about as much as a matMul (it
      // runs on one thread) and a matMul packs its second operand afresh each call:
      // - combined: the layer's input transposed (the first layer's comes with the batch), with
      //   a row of ones below whose product with dz is the bias gradient (the column sums of
      //   dz), times dz gives [fanIn + 1, fanOut], the kernel's rows then the bias, as the
      //   parameters lie (the wasm backend's Sum over rows cost as much as the matMul it replaced);
      // - transposed, for a layer above the first that is no wider than its input: dz
      //   transposed (narrower than the input; for a one-unit output a reshape) times the input
      //   gives the kernel's gradient transposed, and dz transposed times a column of ones the
      //   bias's. For the 40-64-32-1 classifier at batch 2048 this took 25% less.
      const grads: LayerGradient[] = [];
      let dz: tf.Tensor2D = dLogits;
      for (let l = this.slots.length - 1; l >= 0; l--) {
        const { fanIn, fanOut } = this.slots[l]!;
        if (l > 0 && fanOut <= fanIn) {
          const dzT = fanOut === 1 ? tf.reshape(dz, [1, size]) : tf.transpose(dz);
          grads[l] = { kernelT: tf.matMul(dzT, activations[l]!), bias: tf.matMul(dzT, this.onesColumn(size)) };
        } else {
          const aT: tf.Tensor2D = l === 0 ? xbT : tf.transpose(activations[l]!);
          grads[l] = { combined: tf.matMul(tf.concat([aT, this.onesRow(size)], 0), dz) };
        }
        if (l > 0) {
          // ReLU's derivative: 1 where the activation is positive.
          dz = tf.mul(tf.matMul(dz, layers[l]!.kernelT()), tf.step(activations[l]!)) as tf.Tensor2D;
        }
      }
      this.params.step(grads);
      return loss;
    });
  }

  /**
   * The loss and its gradient with respect to the logits, in two forms: on the backend, and (for
   * a host parameter store, mlp-params.ts) in JavaScript on the logits read back, which saves
   * the step's 5-10 small loss ops for one read and one upload.
   * sigmoid: L = sum_i w_i bce(z_i, y_i) / sum_i w_i, with bce written on logits for stability
   *          (softplus(z) - z y, softplus in its stable form); dL/dz_i = w_i (sigmoid(z_i) - y_i) / sum w.
   * linear:  L = mean over all cells of (z - t)^2; dL/dz = 2 (z - t) / cells.
   */
  private lossAndGradientOnHost(
    z: tf.Tensor2D,
    t: Float32Array,
    weight?: Float32Array,
  ): { loss: number; dLogits: tf.Tensor2D } {
    const logits = z.dataSync() as Float32Array;
    const d = new Float32Array(logits.length);
    let sum = 0;
    if (this.spec.output === 'linear') {
      for (let i = 0; i < logits.length; i++) {
        const diff = logits[i]! - t[i]!;
        sum += diff * diff;
        d[i] = (2 * diff) / logits.length;
      }
      return { loss: sum / logits.length, dLogits: tf.tensor2d(d, z.shape) };
    }
    let total = 0;
    for (let i = 0; i < logits.length; i++) {
      const zi = logits[i]!;
      const w = weight ? weight[i]! : 1;
      const softplus = Math.max(zi, 0) + Math.log1p(Math.exp(-Math.abs(zi)));
      sum += w * (softplus - zi * t[i]!);
      d[i] = w * (1 / (1 + Math.exp(-zi)) - t[i]!);
      total += w;
    }
    const scale = total > 0 ? 1 / total : 0;
    for (let i = 0; i < d.length; i++) d[i]! *= scale;
    return { loss: sum * scale, dLogits: tf.tensor2d(d, z.shape) };
  }

  private lossAndGradient(
    z: tf.Tensor2D,
    t: tf.Tensor2D,
    weight?: Float32Array,
  ): { loss: tf.Scalar; dLogits: tf.Tensor2D } {
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

  /** The network's last layer for `rows` rows of `x`, in chunks: sigmoid applied when `probabilities`. */
  private run(x: Float32Array, rows: number, probabilities: boolean): Float32Array {
    const out = new Float32Array(rows * this.outputs);
    for (let start = 0; start < rows; start += PREDICT_CHUNK) {
      const size = Math.min(PREDICT_CHUNK, rows - start);
      // The values are copied out inside tidy, not returned from it: tidy walks its return value
      // looking for tensors, element by element, which takes a second for a million floats.
      tf.tidy(() => {
        const xb = tf.tensor2d(x.subarray(start * this.inputs, (start + size) * this.inputs), [size, this.inputs]);
        const { logits } = this.forward(xb);
        out.set((probabilities ? tf.sigmoid(logits) : logits).dataSync() as Float32Array, start * this.outputs);
      });
    }
    return out;
  }

  /** Outputs for `rows` rows of `x` (row-major): probabilities for sigmoid, values for linear. */
  predict(x: Float32Array, rows: number): Float32Array {
    return this.run(x, rows, this.spec.output === 'sigmoid');
  }

  /**
   * P(positive) of each row for a sigmoid output, computed in double precision from the logits
   * (see FittedModel.score on why not Float32).
   */
  predictProbability(x: Float32Array, rows: number): Float64Array {
    if (this.spec.output !== 'sigmoid' || this.outputs !== 1)
      throw new Error('predictProbability needs a single sigmoid output');
    return Float64Array.from(this.run(x, rows, false), (z) => 1 / (1 + Math.exp(-z)));
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
  snapshot(): Float32Array {
    return this.params.values();
  }

  restore(snapshot: Float32Array): void {
    this.params.assign(snapshot);
  }

  /** Weights in Keras order (kernel, bias per layer), for export. */
  layerWeights(): { kernel: Float32Array; bias: Float32Array; shape: [number, number] }[] {
    const all = this.params.values();
    return this.slots.map((s) => ({
      kernel: all.slice(s.kernel, s.kernel + s.fanIn * s.fanOut),
      bias: all.slice(s.bias, s.bias + s.fanOut),
      shape: [s.fanIn, s.fanOut],
    }));
  }

  dispose(): void {
    for (const ones of [...this.ones.values(), ...this.onesColumns.values()]) ones.dispose();
    this.ones.clear();
    this.onesColumns.clear();
    this.params.dispose();
  }
}
