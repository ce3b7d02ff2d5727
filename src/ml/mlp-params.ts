/**
 * Where an Mlp's parameters live and how a step updates them, in two stores with one interface:
 *
 * - BackendParams: one flat tf.Variable, layers as slice + reshape views of it, updated by a
 *   10-op Adam on the backend (adam.ts FlatAdam). Nothing is read back per step, which a GPU
 *   backend (webgl) needs: a read waits for every queued kernel.
 * - HostParams: a Float32Array in JavaScript, each layer's kernel, bias and transposed kernel
 *   uploaded once per step, the gradients read back and Adam run in JavaScript (HostAdam). For
 *   the backends whose tensors are this thread's memory (wasm, cpu), a read is a copy and no
 *   wait, and the step loses the ~20 small ops of the views, the update and the transposes:
 *   each costs 10-20 us of TF.js bookkeeping, and on the threaded wasm build each of XNNPACK's
 *   also wakes its thread pool. bench/train.ts measures the difference.
 *
 * Both lay parameters out alike: per layer, the kernel row-major [fanIn, fanOut], then the bias.
 */
import * as tf from '@tensorflow/tfjs';
import { FlatAdam, HostAdam } from './adam.ts';

/** Where layer l's kernel and bias sit in the flat parameter vector. */
export interface LayerSlot {
  fanIn: number;
  fanOut: number;
  kernel: number;
  bias: number;
}

export interface LayerTensors {
  kernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  /** The kernel transposed, [fanOut, fanIn], which backpropagation multiplies by. */
  kernelT(): tf.Tensor2D;
}

/**
 * One layer's gradient, in one of two shapes (mlp.ts says which it computes where, and why):
 * - combined: [fanIn + 1, fanOut], the kernel's rows then the bias, as the parameters lie;
 * - transposed: the kernel's gradient transposed, [fanOut, fanIn], and the bias's, [fanOut, 1].
 */
export type LayerGradient = { combined: tf.Tensor2D } | { kernelT: tf.Tensor2D; bias: tf.Tensor2D };

export interface ParamStore {
  /** host: the parameters are a Float32Array here, and the step reads its gradients back. */
  readonly kind: ParamStoreKind;
  /** Layer l's tensors for the current parameters (call inside tidy; the store may keep them). */
  layer(l: number): LayerTensors;
  /** One Adam step from each layer's gradient. Call inside tidy. */
  step(grads: LayerGradient[]): void;
  /** A copy of every parameter. */
  values(): Float32Array;
  assign(values: Float32Array): void;
  dispose(): void;
}

export type ParamStoreKind = 'backend' | 'host';

/** HostParams where the current backend keeps tensors in this thread's memory, else BackendParams. */
export function defaultStoreKind(backend: string = tf.getBackend()): ParamStoreKind {
  return backend === 'wasm' || backend === 'cpu' ? 'host' : 'backend';
}

export function createParamStore(
  kind: ParamStoreKind,
  slots: readonly LayerSlot[],
  initial: Float32Array,
  opts: { learningRate: number; l2: number; name: string },
): ParamStore {
  return kind === 'host' ? new HostParams(slots, initial, opts) : new BackendParams(slots, initial, opts);
}

class BackendParams implements ParamStore {
  private readonly params: tf.Variable;
  /** 1 at kernel entries, 0 at biases: the L2 penalty's reach. */
  private readonly kernelMask: tf.Tensor1D | undefined;
  private readonly optimizer: FlatAdam;
  readonly kind = 'backend';

  constructor(
    private readonly slots: readonly LayerSlot[],
    initial: Float32Array,
    private readonly opts: { learningRate: number; l2: number; name: string },
  ) {
    // tf.variable keeps its own copy: the initial tensor is freed.
    const start = tf.tensor1d(initial);
    this.params = tf.variable(start, true, opts.name);
    start.dispose();
    if (opts.l2 > 0) {
      const mask = new Float32Array(initial.length);
      for (const s of slots) mask.fill(1, s.kernel, s.kernel + s.fanIn * s.fanOut);
      this.kernelMask = tf.tensor1d(mask);
    }
    this.optimizer = new FlatAdam(initial.length, opts.learningRate);
  }

  layer(l: number): LayerTensors {
    const s = this.slots[l]!;
    const kernel = tf.reshape(tf.slice(this.params, [s.kernel], [s.fanIn * s.fanOut]), [s.fanIn, s.fanOut]);
    return {
      kernel: kernel as tf.Tensor2D,
      bias: tf.slice(this.params as tf.Tensor1D, [s.bias], [s.fanOut]),
      kernelT: () => tf.transpose(kernel) as tf.Tensor2D,
    };
  }

  step(grads: LayerGradient[]): void {
    const laidOut = grads.map((g) =>
      'combined' in g ? g.combined : tf.concat([tf.transpose(g.kernelT), tf.reshape(g.bias, [1, -1])], 0),
    );
    let grad: tf.Tensor = tf.concat(laidOut.map((g) => tf.reshape(g, [-1])));
    if (this.kernelMask) grad = tf.add(grad, tf.mul(tf.mul(this.params, this.kernelMask), this.opts.l2));
    this.optimizer.step(this.params, grad);
  }

  values(): Float32Array {
    return this.params.dataSync().slice() as Float32Array;
  }

  assign(values: Float32Array): void {
    tf.tidy(() => this.params.assign(tf.tensor1d(values)));
  }

  dispose(): void {
    this.params.dispose();
    this.kernelMask?.dispose();
    this.optimizer.dispose();
  }
}

class HostParams implements ParamStore {
  private readonly params: Float32Array;
  private readonly optimizer: HostAdam;
  /** The current parameters' tensors per layer, uploaded on first use after each change. */
  private uploaded: ({ kernel: tf.Tensor2D; bias: tf.Tensor1D; transposed: tf.Tensor2D } | undefined)[] = [];
  readonly kind = 'host';

  constructor(
    private readonly slots: readonly LayerSlot[],
    initial: Float32Array,
    private readonly opts: { learningRate: number; l2: number },
  ) {
    this.params = initial.slice();
    this.optimizer = new HostAdam(initial.length, opts.learningRate);
  }

  layer(l: number): LayerTensors {
    let t = this.uploaded[l];
    if (!t) {
      const s = this.slots[l]!;
      const kernel = this.params.subarray(s.kernel, s.kernel + s.fanIn * s.fanOut);
      const kernelT = new Float32Array(kernel.length);
      for (let i = 0; i < s.fanIn; i++)
        for (let j = 0; j < s.fanOut; j++) kernelT[j * s.fanIn + i] = kernel[i * s.fanOut + j]!;
      // Kept out of the caller's tidy: they serve every call until the parameters change.
      t = {
        kernel: tf.keep(tf.tensor2d(kernel, [s.fanIn, s.fanOut])),
        bias: tf.keep(tf.tensor1d(this.params.subarray(s.bias, s.bias + s.fanOut))),
        transposed: tf.keep(tf.tensor2d(kernelT, [s.fanOut, s.fanIn])),
      };
      this.uploaded[l] = t;
    }
    const { kernel, bias, transposed } = t;
    return { kernel, bias, kernelT: () => transposed };
  }

  step(grads: LayerGradient[]): void {
    this.optimizer.begin();
    grads.forEach((g, l) => {
      const s = this.slots[l]!;
      const laidOut = 'combined' in g ? (g.combined.dataSync() as Float32Array) : this.layOut(s, g);
      this.optimizer.update(this.params, s.kernel, laidOut, this.opts.l2, s.fanIn * s.fanOut);
    });
    this.release();
  }

  /** A transposed gradient in the parameters' order: the kernel's rows, then the bias. */
  private layOut(s: LayerSlot, g: { kernelT: tf.Tensor2D; bias: tf.Tensor2D }): Float32Array {
    const kT = g.kernelT.dataSync() as Float32Array;
    const out = new Float32Array((s.fanIn + 1) * s.fanOut);
    for (let j = 0; j < s.fanOut; j++) for (let i = 0; i < s.fanIn; i++) out[i * s.fanOut + j] = kT[j * s.fanIn + i]!;
    out.set(g.bias.dataSync() as Float32Array, s.fanIn * s.fanOut);
    return out;
  }

  values(): Float32Array {
    return this.params.slice();
  }

  assign(values: Float32Array): void {
    this.params.set(values);
    this.release();
  }

  private release(): void {
    for (const t of this.uploaded) if (t) tf.dispose([t.kernel, t.bias, t.transposed]);
    this.uploaded = [];
  }

  dispose(): void {
    this.release();
  }
}
