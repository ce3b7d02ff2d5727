import { describe, expect, it } from 'vitest';
import { fitLogistic, predictLogistic } from '../src/ml/logistic.ts';
import { Random } from '../src/ml/random.ts';
import { normal } from './active-fixtures.ts';

/** y ~ Bernoulli(sigmoid(2 x0 - x1 + 0.5)), x2 is noise. */
function data(n: number, seed: number) {
  const rng = new Random(seed);
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < 3; j++) x[r * 3 + j] = normal(rng);
    const z = 2 * x[r * 3]! - x[r * 3 + 1]! + 0.5;
    y[r] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { x, y, rows: Int32Array.from({ length: n }, (_, i) => i) };
}

describe('logistic regression', () => {
  it('recovers the generating weights on plenty of data', () => {
    const d = data(4000, 1);
    const m = fitLogistic(d.x, 3, d.rows, d.y, { l2: 1e-4, iterations: 2000, tolerance: 1e-9 });
    expect(m.weights[0]).toBeCloseTo(2, 0);
    expect(m.weights[1]).toBeCloseTo(-1, 0);
    expect(Math.abs(m.weights[2]!)).toBeLessThan(0.15);
    expect(m.bias).toBeCloseTo(0.5, 0);
    const p = predictLogistic(m, d.x, 4000);
    const z = m.weights[0]! * d.x[0]! + m.weights[1]! * d.x[1]! + m.weights[2]! * d.x[2]! + m.bias;
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-z)), 12);
  });

  it('reads only the given rows, shrinks with l2, and stays finite on separable data', () => {
    const d = data(400, 2);
    // Separable: y is the sign of x0 exactly. Without a penalty the weights would grow forever.
    const y = Float32Array.from(d.rows, (r) => (d.x[r * 3]! > 0 ? 1 : 0));
    const strong = fitLogistic(d.x, 3, d.rows, y, { l2: 1 });
    const weak = fitLogistic(d.x, 3, d.rows, y, { l2: 1e-3 });
    expect(Math.abs(strong.weights[0]!)).toBeLessThan(Math.abs(weak.weights[0]!));
    expect(weak.weights.every(Number.isFinite)).toBe(true);
    // Rows 0..199 only: labels of the others may be garbage.
    const garbage = y.slice();
    for (let r = 200; r < 400; r++) garbage[r] = 1 - garbage[r]!;
    const firstHalf = fitLogistic(d.x, 3, d.rows.subarray(0, 200), garbage, { l2: 1e-2 });
    expect(firstHalf.weights[0]).toBeGreaterThan(1);
  });

  it('refuses an empty training set', () => {
    expect(() => fitLogistic(new Float32Array(3), 3, new Int32Array(0), new Float32Array(1))).toThrow(/no rows/);
  });
});
