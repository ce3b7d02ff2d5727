/**
 * Threshold-free ranking metrics: ROC-AUC and PR-AUC, and the curves behind them.
 *
 * ROC-AUC is the probability that a random positive scores above a random negative, a tie
 * counting one half (the Mann-Whitney statistic). Computed as the trapezoidal area under the ROC
 * curve with one point per tie group, which equals exactly that pair count.
 *
 * PR-AUC is average precision, step-wise as in scikit-learn's average_precision_score:
 *   AP = sum over thresholds t of (R_t - R_{t-1}) * P_t,
 * thresholds being the distinct scores from the highest down, with no interpolation. A tie group
 * is one threshold, so tied rows enter together.
 *
 * Both are undefined (null) without both classes, except AP, which needs only positives.
 */
import { rank } from './ranked.ts';

export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const { groups, positives, negatives } = rank(scores, labels);
  if (positives === 0 || negatives === 0) return null;
  // Each negative in a group is beaten by every positive above the group and ties with the
  // positives inside it.
  let above = 0;
  let pairs = 0;
  for (const g of groups) {
    pairs += g.negatives * (above + g.positives / 2);
    above += g.positives;
  }
  return pairs / (positives * negatives);
}

export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const { groups, positives } = rank(scores, labels);
  if (positives === 0) return null;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  for (const g of groups) {
    tp += g.positives;
    fp += g.negatives;
    ap += (g.positives / positives) * (tp / (tp + fp));
  }
  return ap;
}

export interface CurvePoint {
  threshold: number;
  x: number;
  y: number;
}

/** ROC points (x = false-positive rate, y = true-positive rate) from (0,0) to (1,1). */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): CurvePoint[] {
  const { groups, positives, negatives } = rank(scores, labels);
  if (positives === 0 || negatives === 0) return [];
  const points: CurvePoint[] = [{ threshold: Infinity, x: 0, y: 0 }];
  let tp = 0;
  let fp = 0;
  for (const g of groups) {
    tp += g.positives;
    fp += g.negatives;
    points.push({ threshold: g.score, x: fp / negatives, y: tp / positives });
  }
  return points;
}

/** Precision-recall points (x = recall, y = precision), one per threshold, highest threshold first. */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): CurvePoint[] {
  const { groups, positives } = rank(scores, labels);
  if (positives === 0) return [];
  const points: CurvePoint[] = [];
  let tp = 0;
  let fp = 0;
  for (const g of groups) {
    tp += g.positives;
    fp += g.negatives;
    points.push({ threshold: g.score, x: tp / positives, y: tp / (tp + fp) });
  }
  return points;
}
