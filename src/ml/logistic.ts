/**
 * L2-regularised logistic regression on row-major typed arrays, fitted by Nesterov-accelerated
 * full-batch gradient descent with a step of 1/L (L bounds the gradient's Lipschitz constant,
 * estimated by power iteration on XᵀX).
 *
 * Why it exists beside the dense classifier: active learning and the mislabel finder retrain
 * many times on a few hundred labels (a learning curve is hundreds of fits). This model needs
 * no TF.js backend, has no per-op overhead, is deterministic given its inputs (no initial
 * weights to draw, no batches to shuffle) and fits 600 rows x 100 features in milliseconds.
 */

export interface LogisticOptions {
  /** L2 penalty on the weights (not the bias), per row: loss = mean BCE + l2/2 |w|^2. */
  l2: number;
  iterations: number;
  /** Stop when the largest step of any parameter is below this. */
  tolerance: number;
}

export const DEFAULT_LOGISTIC: LogisticOptions = { l2: 1e-2, iterations: 300, tolerance: 1e-6 };

export interface LogisticModel {
  weights: Float64Array;
  bias: number;
  iterations: number;
}

/** Fit on the rows `rows` of `x` (rows x columns) with 0/1 targets `y[row]` and optional weights. */
export function fitLogistic(
  x: Float32Array,
  columns: number,
  rows: ArrayLike<number>,
  y: ArrayLike<number>,
  opts: Partial<LogisticOptions> = {},
  weight?: ArrayLike<number>,
): LogisticModel {
  const { l2, iterations, tolerance } = { ...DEFAULT_LOGISTIC, ...opts };
  const n = rows.length;
  if (n === 0) throw new Error('logistic regression: no rows to fit');
  const w = (i: number) => (weight ? weight[rows[i]!]! : 1);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += w(i);
  // Sigmoid's curvature is at most 1/4, so the loss gradient is L-Lipschitz with
  // L = lambda_max(Xw^T Xw) / 4 / total + l2 (the bias adds a column of ones).
  const lipschitz = largestEigenvalue(x, columns, rows, w) / 4 / totalWeight + l2;
  const step = 1 / lipschitz;

  const dims = columns + 1; // the bias is the last parameter
  let theta = new Float64Array(dims);
  let previous = new Float64Array(dims);
  const look = new Float64Array(dims);
  const grad = new Float64Array(dims);
  let done = 0;
  for (let t = 1; t <= iterations; t++) {
    const momentum = (t - 1) / (t + 2);
    for (let j = 0; j < dims; j++) look[j] = theta[j]! + momentum * (theta[j]! - previous[j]!);
    gradient(x, columns, rows, y, w, look, l2, totalWeight, grad);
    previous = theta;
    theta = new Float64Array(dims);
    let largest = 0;
    for (let j = 0; j < dims; j++) {
      theta[j] = look[j]! - step * grad[j]!;
      largest = Math.max(largest, Math.abs(theta[j]! - previous[j]!));
    }
    done = t;
    if (largest < tolerance) break;
  }
  return { weights: theta.slice(0, columns), bias: theta[columns]!, iterations: done };
}

/** P(positive) of the first `rows` rows of `x`. Float64: see strategies/strategy.ts on ties. */
export function predictLogistic(model: LogisticModel, x: Float32Array, rows: number): Float64Array {
  const columns = model.weights.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = sigmoid(dot(model.weights, x, r * columns, columns) + model.bias);
  return out;
}

function gradient(
  x: Float32Array,
  columns: number,
  rows: ArrayLike<number>,
  y: ArrayLike<number>,
  w: (i: number) => number,
  theta: Float64Array,
  l2: number,
  totalWeight: number,
  out: Float64Array,
): void {
  out.fill(0);
  const bias = theta[columns]!;
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i]! * columns;
    const err = (w(i) * (sigmoid(dot(theta, x, base, columns) + bias) - y[rows[i]!]!)) / totalWeight;
    for (let j = 0; j < columns; j++) out[j]! += err * x[base + j]!;
    out[columns]! += err;
  }
  for (let j = 0; j < columns; j++) out[j]! += l2 * theta[j]!;
}

/** lambda_max of the weighted Gram matrix of [x, 1] over `rows`, by 30 power iterations (an upper estimate is safe). */
function largestEigenvalue(
  x: Float32Array,
  columns: number,
  rows: ArrayLike<number>,
  w: (i: number) => number,
): number {
  const dims = columns + 1;
  let v = new Float64Array(dims).fill(1 / Math.sqrt(dims));
  let lambda = 1;
  for (let it = 0; it < 30; it++) {
    const next = new Float64Array(dims);
    for (let i = 0; i < rows.length; i++) {
      const base = rows[i]! * columns;
      const s = w(i) * (dot(v, x, base, columns) + v[columns]!);
      for (let j = 0; j < columns; j++) next[j]! += s * x[base + j]!;
      next[columns]! += s;
    }
    let norm = 0;
    for (let j = 0; j < dims; j++) norm += next[j]! * next[j]!;
    norm = Math.sqrt(norm);
    if (norm === 0) return 1;
    lambda = norm;
    for (let j = 0; j < dims; j++) next[j]! /= norm;
    v = next;
  }
  // Power iteration approaches lambda_max from below; a margin keeps the step stable.
  return lambda * 1.05;
}

function dot(weights: Float64Array, x: Float32Array, base: number, columns: number): number {
  let s = 0;
  for (let j = 0; j < columns; j++) s += weights[j]! * x[base + j]!;
  return s;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
