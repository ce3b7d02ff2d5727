/**
 * Platt scaling (Platt 1999): a logistic regression on the raw score, p = sigmoid(a s + b), fitted
 * by Newton's method with a backtracking line search as in Lin, Lin and Weng, "A note on Platt's
 * probabilistic outputs for support vector machines" (2007).
 *
 * Targets are Platt's smoothed labels, (N+ + 1) / (N+ + 2) for positives and 1 / (N- + 2) for
 * negatives, not 1 and 0: they keep the fit finite on separable data (where plain maximum
 * likelihood drives a to infinity) and are the prior a Laplace correction puts on each class.
 * The score is standardised inside the fit (Newton on raw anomaly scores of very different
 * scales converges the same), and (a, b) are given back on the raw scale.
 */
import { sigmoid, type LabelledScores, type PlattMapping } from './mapping.ts';

const MAX_ITERATIONS = 100;
const MIN_STEP = 1e-10;
/** Added to the Hessian's diagonal: keeps it invertible when every p is near 0 or 1. */
const RIDGE = 1e-12;
const TOLERANCE = 1e-10;

/** log(1 + e^u), without overflow. */
const softplus = (u: number) => (u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u)));

export function plattTargets(labels: Float64Array): Float64Array {
  let positives = 0;
  for (const y of labels) positives += y;
  const negatives = labels.length - positives;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  return labels.map((y) => (y === 1 ? hi : lo));
}

export function fitPlatt(points: LabelledScores): PlattMapping {
  const { scores, labels } = points;
  const n = scores.length;
  const t = plattTargets(labels);
  let mean = 0;
  for (const s of scores) mean += s / n;
  let variance = 0;
  for (const s of scores) variance += (s - mean) ** 2 / n;
  const sd = Math.sqrt(variance);
  let positives = 0;
  for (const y of labels) positives += y;
  // Platt's start: a = 0, b = the smoothed log-odds of the classes.
  let a = 0;
  let b = Math.log((positives + 1) / (n - positives + 1));
  if (!(sd > 0)) {
    // One distinct score: only b can be fitted, and its optimum is the mean target's log-odds.
    let tm = 0;
    for (const v of t) tm += v / n;
    return { method: 'platt', a: 0, b: Math.log(tm / (1 - tm)) };
  }
  const z = scores.map((s) => (s - mean) / sd);
  const loss = (pa: number, pb: number) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const u = pa * z[i]! + pb;
      f += softplus(u) - t[i]! * u;
    }
    return f;
  };
  let f = loss(a, b);
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    let ga = 0;
    let gb = 0;
    let haa = RIDGE;
    let hab = 0;
    let hbb = RIDGE;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * z[i]! + b);
      const d = p - t[i]!;
      const w = p * (1 - p);
      ga += d * z[i]!;
      gb += d;
      haa += w * z[i]! * z[i]!;
      hab += w * z[i]!;
      hbb += w;
    }
    if (Math.abs(ga) < TOLERANCE * n && Math.abs(gb) < TOLERANCE * n) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    const slope = ga * da + gb * db;
    let step = 1;
    let moved = false;
    while (step >= MIN_STEP) {
      const na = a + step * da;
      const nb = b + step * db;
      const nf = loss(na, nb);
      if (nf < f + 1e-4 * step * slope) {
        a = na;
        b = nb;
        f = nf;
        moved = true;
        break;
      }
      step /= 2;
    }
    if (!moved) break;
  }
  return { method: 'platt', a: a / sd, b: b - (a * mean) / sd };
}

export function applyPlatt(m: PlattMapping, score: number): number {
  return sigmoid(m.a * score + m.b);
}
