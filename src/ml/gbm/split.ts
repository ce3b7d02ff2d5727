/**
 * The best split of a node from its histogram: for every feature and every bin boundary, the
 * gain of sending bins 0..b left and the rest right, with the node's missing values tried on
 * each side (LightGBM and scikit-learn do the same), under L2 on the leaf values and a minimum of
 * rows and of hessian per child.
 *
 * gain = G_L^2 / (H_L + l2) + G_R^2 / (H_R + l2) - G^2 / (H + l2), the loss reduction of the
 * second-order approximation (up to a factor 1/2 that does not change which split wins).
 *
 * A node without missing values sends future missing values to its larger child (scikit-learn's
 * rule): that is where a row the model knows nothing about most likely belongs.
 */
import { STRIDE, type Histogram } from './histogram.ts';

export interface SplitParams {
  l2: number;
  minSamplesLeaf: number;
  minHessian: number;
}

export interface NodeTotals {
  g: number;
  h: number;
  count: number;
}

export interface Split {
  feature: number;
  /** Bins 0..bin go left (with the missing bin when missingLeft). */
  bin: number;
  missingLeft: boolean;
  gain: number;
  left: NodeTotals;
  right: NodeTotals;
}

/**
 * The best split with a positive gain, or null. `bins[j]` is feature j's number of value bins, its
 * slots start at `offsets[j]` (histogram.ts), the missing bin last.
 */
export function bestSplit(
  hist: Histogram,
  offsets: Int32Array,
  bins: Int32Array,
  totals: NodeTotals,
  params: SplitParams,
): Split | null {
  const { l2, minSamplesLeaf, minHessian } = params;
  const parent = (totals.g * totals.g) / (totals.h + l2);
  let best: Split | null = null;
  let bestGain = 0;
  const consider = (feature: number, bin: number, missingLeft: boolean, lg: number, lh: number, lc: number): void => {
    const rc = totals.count - lc;
    if (lc < minSamplesLeaf || rc < minSamplesLeaf) return;
    const rh = totals.h - lh;
    if (lh < minHessian || rh < minHessian) return;
    const rg = totals.g - lg;
    const gain = (lg * lg) / (lh + l2) + (rg * rg) / (rh + l2) - parent;
    if (gain > bestGain) {
      bestGain = gain;
      best = {
        feature,
        bin,
        missingLeft,
        gain,
        left: { g: lg, h: lh, count: lc },
        right: { g: rg, h: rh, count: rc },
      };
    }
  };
  const features = bins.length;
  for (let j = 0; j < features; j++) {
    const nb = bins[j]!;
    const base = offsets[j]! * STRIDE;
    const m = base + nb * STRIDE;
    if (nb < 2 && !(nb === 1 && hist[m + 2]! > 0)) continue;
    const mg = hist[m]!;
    const mh = hist[m + 1]!;
    const mc = hist[m + 2]!;
    let lg = 0;
    let lh = 0;
    let lc = 0;
    // With missing values, the last boundary (every value left, missing right) is a split too.
    const last = mc > 0 ? nb - 1 : nb - 2;
    for (let b = 0; b <= last; b++) {
      const s = base + b * STRIDE;
      lg += hist[s]!;
      lh += hist[s + 1]!;
      lc += hist[s + 2]!;
      if (lc === 0) continue;
      if (mc > 0) {
        consider(j, b, false, lg, lh, lc);
        if (b < nb - 1) consider(j, b, true, lg + mg, lh + mh, lc + mc);
      } else {
        if (lc === totals.count) break;
        consider(j, b, false, lg, lh, lc);
      }
    }
  }
  const found = best as Split | null;
  // No missing value reached this node: future ones follow the larger child.
  if (found && !found.missingLeft && hist[(offsets[found.feature]! + bins[found.feature]!) * STRIDE + 2]! === 0)
    found.missingLeft = found.left.count >= found.right.count;
  return found;
}
