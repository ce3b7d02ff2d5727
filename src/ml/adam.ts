/**
 * Adam (Kingma and Ba) for one flat parameter vector, as TF.js's tf.train.adam computes it
 * (bias correction folded into the step size, epsilon 1e-7), in about 10 ops a step. TF.js's own
 * optimizer takes 4x as long on the wasm backend for the same vector (bench/train.ts measures
 * the whole loop): the difference is per-op bookkeeping, which is most of a small network's step.
 */
import * as tf from '@tensorflow/tfjs';

export class FlatAdam {
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private t = 0;

  constructor(
    size: number,
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    const zeros = tf.zeros([size]);
    this.m = tf.variable(zeros, false);
    this.v = tf.variable(zeros, false);
    zeros.dispose(); // each variable keeps its own copy
  }

  /** params <- params - lr_t * m / (sqrt(v) + eps), with m and v the running moments of `grad`. */
  step(params: tf.Variable, grad: tf.Tensor): void {
    this.t++;
    const lrT = (this.learningRate * Math.sqrt(1 - this.beta2 ** this.t)) / (1 - this.beta1 ** this.t);
    tf.tidy(() => {
      const m = tf.add(tf.mul(this.m, this.beta1), tf.mul(grad, 1 - this.beta1));
      const v = tf.add(tf.mul(this.v, this.beta2), tf.mul(tf.square(grad), 1 - this.beta2));
      this.m.assign(m);
      this.v.assign(v);
      params.assign(tf.sub(params, tf.mul(tf.div(m, tf.add(tf.sqrt(v), this.epsilon)), lrT)));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
