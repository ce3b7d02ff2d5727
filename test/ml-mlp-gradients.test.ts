/**
 * Mlp.trainBatch's hand-written backpropagation against a plain reference in double precision:
 * the same forward pass, loss gradient, backward pass and Adam step, written out loop by loop.
 * The bias gradients come from a matMul with a row of ones in mlp.ts; here they are column sums.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../src/ml/backend-node.ts';
import { Mlp } from '../src/ml/mlp.ts';
import type { ParamStoreKind } from '../src/ml/mlp-params.ts';
import { Random } from '../src/ml/random.ts';

interface Layer {
  fanIn: number;
  fanOut: number;
  kernel: number;
  bias: number;
}

function layout(sizes: number[]): Layer[] {
  const out: Layer[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    out.push({ fanIn, fanOut, kernel: offset, bias: offset + fanIn * fanOut });
    offset += fanIn * fanOut + fanOut;
  }
  return out;
}

/** The gradient of the weighted mean binary cross-entropy (sigmoid output) at `p`. */
function referenceGradient(
  p: Float64Array,
  layers: Layer[],
  x: Float32Array,
  y: Float32Array,
  w: Float32Array,
  rows: number,
): Float64Array {
  const acts: Float64Array[] = [Float64Array.from(x)];
  for (let l = 0; l < layers.length; l++) {
    const { fanIn, fanOut, kernel, bias } = layers[l]!;
    const a = acts[l]!;
    const z = new Float64Array(rows * fanOut);
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < fanOut; j++) {
        let s = p[bias + j]!;
        for (let i = 0; i < fanIn; i++) s += a[r * fanIn + i]! * p[kernel + i * fanOut + j]!;
        z[r * fanOut + j] = l < layers.length - 1 ? Math.max(0, s) : s;
      }
    acts.push(z);
  }
  const total = w.reduce((s, v) => s + v, 0);
  let dz = Float64Array.from(
    { length: rows },
    (_, r) => (w[r]! * (1 / (1 + Math.exp(-acts.at(-1)![r]!)) - y[r]!)) / total,
  );
  const g = new Float64Array(p.length);
  for (let l = layers.length - 1; l >= 0; l--) {
    const { fanIn, fanOut, kernel, bias } = layers[l]!;
    const a = acts[l]!;
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < fanOut; j++) {
        const d = dz[r * fanOut + j]!;
        g[bias + j] = g[bias + j]! + d;
        for (let i = 0; i < fanIn; i++) {
          const k = kernel + i * fanOut + j;
          g[k] = g[k]! + a[r * fanIn + i]! * d;
        }
      }
    if (l === 0) break;
    const prev = new Float64Array(rows * fanIn);
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < fanIn; i++) {
        if (a[r * fanIn + i]! <= 0) continue; // ReLU's derivative
        let s = 0;
        for (let j = 0; j < fanOut; j++) s += dz[r * fanOut + j]! * p[kernel + i * fanOut + j]!;
        prev[r * fanIn + i] = s;
      }
    dz = prev;
  }
  return g;
}

describe.each([
  ['host', 0],
  ['host', 0.01],
  ['backend', 0],
  ['backend', 0.01],
] as [ParamStoreKind, number][])('Mlp.trainBatch, parameters on the %s, L2 %s', (store, l2) => {
  beforeAll(async () => {
    await initNodeBackend();
  });

  it('takes the same Adam steps as a double-precision reference (kernels and biases)', () => {
    const sizes = [5, 7, 4, 1];
    const rows = 37;
    const rng = new Random(3);
    const x = Float32Array.from({ length: rows * sizes[0]! }, () => rng.uniform(-1, 1));
    const xT = new Float32Array(x.length);
    for (let r = 0; r < rows; r++) for (let c = 0; c < sizes[0]!; c++) xT[c * rows + r] = x[r * sizes[0]! + c]!;
    const y = Float32Array.from({ length: rows }, () => (rng.next() < 0.4 ? 1 : 0));
    const w = Float32Array.from({ length: rows }, () => rng.uniform(0.5, 2));
    const lr = 0.01;
    const mlp = new Mlp({ sizes, output: 'sigmoid', learningRate: lr, l2, seed: 5, store });
    const layers = layout(sizes);
    const isKernel = new Uint8Array(Math.max(...layers.map((l) => l.bias + l.fanOut)));
    for (const { kernel, fanIn, fanOut } of layers) isKernel.fill(1, kernel, kernel + fanIn * fanOut);
    const p = Float64Array.from(mlp.snapshot());
    const m = new Float64Array(p.length);
    const v = new Float64Array(p.length);
    try {
      for (let t = 1; t <= 5; t++) {
        tf.dispose(mlp.trainBatch({ x, xT, target: y, weight: w, size: rows }));
        const g = referenceGradient(p, layers, x, y, w, rows);
        for (let i = 0; i < p.length; i++) if (isKernel[i]) g[i] = g[i]! + l2 * p[i]!;
        const lrT = (lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
        for (let i = 0; i < p.length; i++) {
          m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
          v[i] = 0.999 * v[i]! + 0.001 * g[i]! ** 2;
          p[i] = p[i]! - (lrT * m[i]!) / (Math.sqrt(v[i]!) + 1e-7);
        }
        const got = mlp.snapshot();
        for (let i = 0; i < p.length; i++) expect(got[i]!, `parameter ${i} after step ${t}`).toBeCloseTo(p[i]!, 5);
      }
      // The biases moved: their gradients are not silently zero.
      const start = new Mlp({ sizes, output: 'sigmoid', learningRate: lr, l2, seed: 5, store });
      const initial = start.snapshot();
      start.dispose();
      const after = mlp.snapshot();
      for (const { bias, fanOut } of layers)
        expect(after.slice(bias, bias + fanOut).some((b, j) => b !== initial[bias + j])).toBe(true);
    } finally {
      mlp.dispose();
    }
  });

  it('predicts from the current parameters: after a step, and after restoring a snapshot', () => {
    const sizes = [3, 4, 1];
    const rows = 8;
    const rng = new Random(9);
    const x = Float32Array.from({ length: rows * 3 }, () => rng.uniform(-1, 1));
    const xT = new Float32Array(x.length);
    for (let r = 0; r < rows; r++) for (let c = 0; c < 3; c++) xT[c * rows + r] = x[r * 3 + c]!;
    const y = Float32Array.from({ length: rows }, (_, r) => r % 2);
    const mlp = new Mlp({ sizes, output: 'sigmoid', learningRate: 0.1, l2, seed: 2, store });
    try {
      const saved = mlp.snapshot();
      const before = mlp.predict(x, rows);
      tf.dispose(mlp.trainBatch({ x, xT, target: y, size: rows }));
      const after = mlp.predict(x, rows);
      expect(Array.from(after)).not.toEqual(Array.from(before));
      mlp.restore(saved);
      expect(Array.from(mlp.predict(x, rows))).toEqual(Array.from(before));
    } finally {
      mlp.dispose();
    }
  });
});

describe('the host and backend parameter stores', () => {
  beforeAll(async () => {
    await initNodeBackend();
  });

  it('take the same steps and report the same losses, linear output (the autoencoder) with L2', async () => {
    const sizes = [4, 3, 4];
    const rows = 11;
    const rng = new Random(4);
    const x = Float32Array.from({ length: rows * 4 }, () => rng.uniform(-1, 1));
    const xT = new Float32Array(x.length);
    for (let r = 0; r < rows; r++) for (let c = 0; c < 4; c++) xT[c * rows + r] = x[r * 4 + c]!;
    const make = (store: ParamStoreKind) =>
      new Mlp({ sizes, output: 'linear', learningRate: 0.05, l2: 0.01, seed: 8, store });
    const host = make('host');
    const backend = make('backend');
    try {
      for (let step = 0; step < 4; step++) {
        const a = host.trainBatch({ x, xT, target: x, size: rows });
        const b = backend.trainBatch({ x, xT, target: x, size: rows });
        expect(typeof a).toBe('number');
        const bLoss = typeof b === 'number' ? b : (await b.data())[0]!;
        tf.dispose(b);
        expect(a as number).toBeCloseTo(bLoss, 5);
        expect(a as number).toBeGreaterThan(0);
      }
      const h = host.snapshot();
      const k = backend.snapshot();
      for (let i = 0; i < h.length; i++) expect(h[i]!, `parameter ${i}`).toBeCloseTo(k[i]!, 5);
    } finally {
      host.dispose();
      backend.dispose();
    }
  });
});
