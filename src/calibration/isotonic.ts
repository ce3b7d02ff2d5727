/**
 * Isotonic regression by pool-adjacent-violators: the non-decreasing step function of the score
 * closest to the labels in squared error (and so the best monotone fit for log-loss and Brier
 * too). Tied scores are pooled first, so every score has one value. Between the fitted points the
 * mapping is linear, and outside the fitted range it holds the end values (as scikit-learn's
 * IsotonicRegression with out_of_bounds='clip', which CalibratedClassifierCV uses).
 */
import type { IsotonicMapping, LabelledScores } from './mapping.ts';

interface Block {
  weight: number;
  sum: number;
  lo: number;
  hi: number;
}

export function fitIsotonic(points: LabelledScores): IsotonicMapping {
  const order = Array.from(points.scores.keys()).sort((i, j) => points.scores[i]! - points.scores[j]!);
  const blocks: Block[] = [];
  for (let k = 0; k < order.length;) {
    // One block per distinct score: ties share a value.
    const x = points.scores[order[k]!]!;
    const block: Block = { weight: 0, sum: 0, lo: x, hi: x };
    while (k < order.length && points.scores[order[k]!] === x) {
      block.weight++;
      block.sum += points.labels[order[k]!]!;
      k++;
    }
    blocks.push(block);
    // Pool while the block before has a higher mean: the violators.
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const prev = blocks[blocks.length - 2]!;
      if (prev.sum / prev.weight <= last.sum / last.weight) break;
      blocks.pop();
      prev.weight += last.weight;
      prev.sum += last.sum;
      prev.hi = last.hi;
    }
  }
  const x: number[] = [];
  const y: number[] = [];
  for (const b of blocks) {
    const v = b.sum / b.weight;
    x.push(b.lo);
    y.push(v);
    if (b.hi > b.lo) {
      x.push(b.hi);
      y.push(v);
    }
  }
  return { method: 'isotonic', x, y };
}

export function applyIsotonic(m: IsotonicMapping, score: number): number {
  const { x, y } = m;
  const last = x.length - 1;
  if (last < 0) return score;
  if (!(score > x[0]!)) return score === score ? y[0]! : NaN;
  if (score >= x[last]!) return y[last]!;
  // The first knot above the score.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! > score) hi = mid;
    else lo = mid;
  }
  const share = (score - x[lo]!) / (x[hi]! - x[lo]!);
  return y[lo]! + share * (y[hi]! - y[lo]!);
}
