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
  const tg = totals.g;
  const th = totals.h;
  const tc = totals.count;
  const parent = (tg * tg) / (th + l2);
  // The best so far as numbers (no object per improvement, no closure call per boundary).
  let bestGain = 0;
  let bestFeature = -1;
  let bestBin = 0;
  let bestMissingLeft = false;
  let bestG = 0;
  let bestH = 0;
  let bestC = 0;
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
      if (mc === 0 && lc === tc) break;
      // Missing right (always tried), then missing left (when there are missing values and a
      // value bin stays right), in that order: a tie keeps the first.
      let rc = tc - lc;
      let rh = th - lh;
      if (!(lc < minSamplesLeaf || rc < minSamplesLeaf || lh < minHessian || rh < minHessian)) {
        const rg = tg - lg;
        const gain = (lg * lg) / (lh + l2) + (rg * rg) / (rh + l2) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = j;
          bestBin = b;
          bestMissingLeft = false;
          bestG = lg;
          bestH = lh;
          bestC = lc;
        }
      }
      if (mc > 0 && b < nb - 1) {
        const cg = lg + mg;
        const ch = lh + mh;
        const cc = lc + mc;
        rc = tc - cc;
        rh = th - ch;
        if (!(cc < minSamplesLeaf || rc < minSamplesLeaf || ch < minHessian || rh < minHessian)) {
          const rg = tg - cg;
          const gain = (cg * cg) / (ch + l2) + (rg * rg) / (rh + l2) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = j;
            bestBin = b;
            bestMissingLeft = true;
            bestG = cg;
            bestH = ch;
            bestC = cc;
          }
        }
      }
    }
  }
  const found: Split | null =
    bestFeature < 0
      ? null
      : {
          feature: bestFeature,
          bin: bestBin,
          missingLeft: bestMissingLeft,
          gain: bestGain,
          left: { g: bestG, h: bestH, count: bestC },
          right: { g: tg - bestG, h: th - bestH, count: tc - bestC },
        };
  // No missing value reached this node: future ones follow the larger child.
  if (found && !found.missingLeft && hist[(offsets[found.feature]! + bins[found.feature]!) * STRIDE + 2]! === 0)
    found.missingLeft = found.left.count >= found.right.count;
  return found;
}
