/**
 * One regression tree of the booster, as flat arrays (LightGBM's own layout, so export is a copy):
 * internal node i splits on `feature[i]`: a row goes left when its value is <= `threshold[i]`
 * (bin <= `bin[i]` on binned rows), and a missing value goes left when `missingLeft[i]`. A child
 * index c >= 0 is an internal node, c < 0 is leaf ~c.
 */

export interface Tree {
  feature: Int32Array;
  bin: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  gain: Float64Array;
  /** Rows and hessian sum that reached each internal node (LightGBM's internal_count/weight). */
  internalCount: Float64Array;
  internalHessian: Float64Array;
  /** Leaf outputs, learning rate applied. */
  leafValue: Float64Array;
  leafCount: Float64Array;
  leafHessian: Float64Array;
}

export function leaves(tree: Tree): number {
  return tree.leafValue.length;
}

/**
 * The leaf a binned row (bins read column-major, row i of n) falls in; `missing[j]` is feature j's
 * missing bin, above every split bin of j.
 */
export function leafOfBinned(tree: Tree, bins: Uint8Array, n: number, i: number, missing: Int32Array): number {
  if (tree.feature.length === 0) return 0;
  let node = 0;
  for (;;) {
    const f = tree.feature[node]!;
    const b = bins[f * n + i]!;
    const goLeft = b <= tree.bin[node]! || (b === missing[f] && tree.missingLeft[node] === 1);
    const next = goLeft ? tree.left[node]! : tree.right[node]!;
    if (next < 0) return ~next;
    node = next;
  }
}

/** The leaf value for row r of a row-major matrix of raw (unbinned) values, NaN as missing. */
export function predictRow(tree: Tree, x: Float32Array, base: number): number {
  if (tree.feature.length === 0) return tree.leafValue[0]!;
  let node = 0;
  for (;;) {
    const v = x[base + tree.feature[node]!]!;
    const goLeft = v !== v ? tree.missingLeft[node] === 1 : v <= tree.threshold[node]!;
    const next = goLeft ? tree.left[node]! : tree.right[node]!;
    if (next < 0) return tree.leafValue[~next]!;
    node = next;
  }
}
