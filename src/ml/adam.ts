/**
 * Adam (Kingma and Ba) for one flat parameter vector, as TF.js's tf.train.adam computes it (bias
 * correction folded into the step size, epsilon 1e-7), in two forms:
 * - FlatAdam: on the backend, about 10 ops a step. TF.js's own optimizer takes 4x as long on the
 *   wasm backend for the same vector (bench/train.ts measures the whole loop): the difference is
 *   per-op bookkeeping, which is most of a small network's step.
 * - HostAdam: in JavaScript, on a Float32Array, for backends whose tensors live in this thread's
 *   memory (wasm, cpu), where reading a gradient back costs a copy and no wait. A network of a few
 *   thousand parameters is updated in microseconds, and the ops it saves each wake XNNPACK's
 *   thread pool on the threaded wasm build (mlp-params.ts).
 */
import * as tf from '@tensorflow/tfjs';

export interface AdamRates {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

const DEFAULTS = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** The step size at step t (from 1) with both moments' bias correction folded in. */
export function adamStepSize(r: AdamRates, t: number): number {
  return (r.learningRate * Math.sqrt(1 - r.beta2 ** t)) / (1 - r.beta1 ** t);
}

export class FlatAdam {
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private readonly rates: AdamRates;
  private t = 0;

  constructor(size: number, learningRate: number) {
    this.rates = { learningRate, ...DEFAULTS };
    const zeros = tf.zeros([size]);
    this.m = tf.variable(zeros, false);
    this.v = tf.variable(zeros, false);
    zeros.dispose(); // each variable keeps its own copy
  }

  /** params <- params - lr_t * m / (sqrt(v) + eps), with m and v the running moments of `grad`. */
  step(params: tf.Variable, grad: tf.Tensor): void {
    const { beta1, beta2, epsilon } = this.rates;
    const lrT = adamStepSize(this.rates, ++this.t);
    tf.tidy(() => {
      const m = tf.add(tf.mul(this.m, beta1), tf.mul(grad, 1 - beta1));
      const v = tf.add(tf.mul(this.v, beta2), tf.mul(tf.square(grad), 1 - beta2));
      this.m.assign(m);
      this.v.assign(v);
      params.assign(tf.sub(params, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon)), lrT)));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}

export class HostAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly rates: AdamRates;
  private t = 0;
  private lrT = 0;

  constructor(size: number, learningRate: number) {
    this.rates = { learningRate, ...DEFAULTS };
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** Start a step: every `update` until the next `begin` uses this step's size. */
  begin(): void {
    this.lrT = adamStepSize(this.rates, ++this.t);
  }

  /**
   * Update params[offset, offset + grad.length) from `grad`, adding `l2` * param to the gradient
   * of the first `l2Count` entries (the kernel's; biases get no penalty).
   */
  update(params: Float32Array, offset: number, grad: Float32Array, l2: number, l2Count: number): void {
    const { beta1, beta2, epsilon } = this.rates;
    const { m, v, lrT } = this;
    for (let i = 0; i < grad.length; i++) {
      const k = offset + i;
      const g = i < l2Count ? grad[i]! + l2 * params[k]! : grad[i]!;
      const mk = beta1 * m[k]! + (1 - beta1) * g;
      const vk = beta2 * v[k]! + (1 - beta2) * g * g;
      m[k] = mk;
      v[k] = vk;
      params[k] = params[k]! - (lrT * mk) / (Math.sqrt(vk) + epsilon);
    }
  }
}
