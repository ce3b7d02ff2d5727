/**
 * Growing one tree leaf-wise (best-first, as LightGBM and scikit-learn's HistGradientBoosting
 * do): every leaf that may split has its best split computed; the leaf whose split gains most is
 * split next, until `maxLeaves` leaves, or no leaf can split with a positive gain. `maxDepth`
 * (edges from the root) caps the depth on top of that.
 *
 * Rows live in one index array, each leaf owning a contiguous range of it; a split partitions its
 * range stably (left rows first), so every range stays in ascending row order and a histogram pass
 * reads each feature's bin column front to back.
 */
import type { Histogram } from './histogram.ts';
import type { GbmKernel } from './kernel.ts';
import { bestSplit, type NodeTotals, type Split, type SplitParams } from './split.ts';
import type { Tree } from './tree.ts';

export interface GrowParams extends SplitParams {
  maxLeaves: number;
  /** Infinity for no limit. */
  maxDepth: number;
  learningRate: number;
}

/** What stays the same for every tree of a fit: the binned rows and reusable buffers. */
export interface GrowData {
  /** Column-major bins of the training rows (n of them). */
  bins: Uint8Array;
  n: number;
  features: number;
  /** Value bins per feature; a feature's missing bin is its nBins. */
  nBins: Int32Array;
  /** Histogram slots per feature (histogramOffsets). */
  offsets: Int32Array;
  /** Edges per feature: a split at bin b has threshold edges[b] (Infinity past the last edge). */
  edges: Float64Array[];
  /** Features that cannot split on the training rows (one value, no missing): histograms skip them. */
  skip: Uint8Array;
}

interface Leaf {
  start: number;
  end: number;
  depth: number;
  totals: NodeTotals;
  hist: Histogram | null;
  split: Split | null;
  /** The internal node pointing at this leaf (-1 for the root) and on which side. */
  parent: number;
  isLeft: boolean;
}

export class TreeGrower {
  private readonly order: Int32Array;
  private readonly tmp: Int32Array;
  private readonly og: Float32Array;
  private readonly oh: Float32Array;

  /** `kernel`'s arena holds the rows' bins (data.bins), the row order and the gradients. */
  constructor(
    private readonly data: GrowData,
    private readonly kernel: GbmKernel,
  ) {
    const { arena } = kernel;
    this.order = arena.order;
    this.og = arena.og;
    this.oh = arena.oh;
    this.tmp = new Int32Array(data.n);
  }

  /**
   * Grow a tree on the gradients of the training rows (the arena's g and h, which the caller
   * fills), on `sample` of them (ascending)
   * or on all. `onLeaf(start, end, value)` gets each leaf's range of `rows()` and output, so the
   * caller can add it to those rows' predictions without walking the tree. Split gains are added
   * to `importance` per feature.
   */
  grow(
    sample: Int32Array | null,
    params: GrowParams,
    importance: Float64Array,
    onLeaf: (start: number, end: number, value: number) => void,
  ): Tree {
    const { data, order } = this;
    const { g, h } = this.kernel.arena;
    const n = sample ? sample.length : data.n;
    if (sample) order.set(sample);
    else for (let i = 0; i < n; i++) order[i] = i;
    const root = this.take();
    // Without a sample, order is 0..n-1: the k-th row's gradients are g[k] as they are.
    if (sample) {
      this.kernel.gather(0, n);
      this.kernel.histogram(root, 0, n, this.og, this.oh);
    } else this.kernel.histogram(root, 0, n, g, h);
    const totals = totalsOf(g, h, sample, n);
    const leaves: Leaf[] = [{ start: 0, end: n, depth: 0, totals, hist: root, split: null, parent: -1, isLeft: false }];
    this.evaluate(leaves[0]!, params);

    const nodes: {
      feature: number;
      bin: number;
      threshold: number;
      missingLeft: boolean;
      gain: number;
      left: number;
      right: number;
      count: number;
      hessian: number;
    }[] = [];
    const pointAt = (leaf: Leaf, target: number) => {
      if (leaf.parent < 0) return;
      if (leaf.isLeft) nodes[leaf.parent]!.left = target;
      else nodes[leaf.parent]!.right = target;
    };
    while (leaves.length < params.maxLeaves) {
      let pick = -1;
      for (let i = 0; i < leaves.length; i++) {
        const s = leaves[i]!.split;
        if (s && (pick < 0 || s.gain > leaves[pick]!.split!.gain)) pick = i;
      }
      if (pick < 0) break;
      const leaf = leaves[pick]!;
      const split = leaf.split!;
      const id = nodes.length;
      const edges = data.edges[split.feature]!;
      nodes.push({
        feature: split.feature,
        bin: split.bin,
        threshold: split.bin < edges.length ? edges[split.bin]! : Infinity,
        missingLeft: split.missingLeft,
        gain: split.gain,
        left: 0,
        right: 0,
        count: leaf.totals.count,
        hessian: leaf.totals.h,
      });
      pointAt(leaf, id);
      importance[split.feature]! += split.gain;
      const mid = this.partition(leaf.start, leaf.end, split);
      const left: Leaf = {
        start: leaf.start,
        end: mid,
        depth: leaf.depth + 1,
        totals: split.left,
        hist: null,
        split: null,
        parent: id,
        isLeft: true,
      };
      const right: Leaf = { ...left, start: mid, end: leaf.end, totals: split.right, isLeft: false };
      this.childHistograms(leaf.hist!, left, right, params);
      leaves.splice(pick, 1, left, right);
    }
    for (const leaf of leaves) if (leaf.hist) this.give(leaf);

    const L = leaves.length;
    const tree: Tree = {
      feature: new Int32Array(L - 1),
      bin: new Int32Array(L - 1),
      threshold: new Float64Array(L - 1),
      missingLeft: new Uint8Array(L - 1),
      left: new Int32Array(L - 1),
      right: new Int32Array(L - 1),
      gain: new Float64Array(L - 1),
      internalCount: new Float64Array(L - 1),
      internalHessian: new Float64Array(L - 1),
      leafValue: new Float64Array(L),
      leafCount: new Float64Array(L),
      leafHessian: new Float64Array(L),
    };
    leaves.forEach((leaf, i) => {
      pointAt(leaf, ~i);
      const value = (-leaf.totals.g / (leaf.totals.h + params.l2)) * params.learningRate;
      tree.leafValue[i] = value;
      tree.leafCount[i] = leaf.totals.count;
      tree.leafHessian[i] = leaf.totals.h;
      onLeaf(leaf.start, leaf.end, value);
    });
    nodes.forEach((node, i) => {
      tree.feature[i] = node.feature;
      tree.bin[i] = node.bin;
      tree.threshold[i] = node.threshold;
      tree.missingLeft[i] = node.missingLeft ? 1 : 0;
      tree.left[i] = node.left;
      tree.right[i] = node.right;
      tree.gain[i] = node.gain;
      tree.internalCount[i] = node.count;
      tree.internalHessian[i] = node.hessian;
    });
    return tree;
  }

  /** The training-row indices in leaf order: `onLeaf`'s ranges index into this. */
  rows(): Int32Array {
    return this.order;
  }

  /** Histograms of both children: the smaller from its rows, the larger by subtraction in place. */
  private childHistograms(parent: Histogram, left: Leaf, right: Leaf, params: GrowParams): void {
    const splittable = (leaf: Leaf) =>
      leaf.depth < params.maxDepth &&
      leaf.end - leaf.start >= 2 * params.minSamplesLeaf &&
      leaf.totals.h >= 2 * params.minHessian;
    const [small, large] = left.end - left.start <= right.end - right.start ? [left, right] : [right, left];
    if (!splittable(small) && !splittable(large)) {
      this.kernel.arena.giveHistogram(parent);
      return;
    }
    const hist = this.take();
    this.kernel.gather(small.start, small.end);
    this.kernel.histogram(hist, small.start, small.end, this.og, this.oh);
    this.kernel.subtract(parent, hist);
    small.hist = hist;
    large.hist = parent;
    for (const leaf of [small, large]) {
      if (splittable(leaf)) this.evaluate(leaf, params);
      if (!leaf.split) this.give(leaf);
    }
  }

  private evaluate(leaf: Leaf, params: GrowParams): void {
    leaf.split = bestSplit(leaf.hist!, this.data.offsets, this.data.nBins, leaf.totals, params);
  }

  /** Stable partition of order[start..end) by the split; returns where the right rows start. */
  private partition(start: number, end: number, split: Split): number {
    const { order, tmp, data } = this;
    const col = split.feature * data.n;
    const bins = data.bins;
    let l = start;
    let r = 0;
    // Missing values sit in the feature's last bin (at most 255), above every split bin; 256 is
    // no bin at all, for a split that sends them right.
    const missing = split.missingLeft ? data.nBins[split.feature]! : 256;
    const bin = split.bin;
    // Branch-free: a split sends rows either way unpredictably, which a branch would guess wrong
    // half the time (twice as slow, measured). Each row is written to both places; only the side
    // it belongs to moves on. l <= i, so nothing unread is overwritten. left is
    // (b <= bin) | (b === missing) as integer arithmetic: bin - b >= 0, and b ^ missing === 0.
    for (let i = start; i < end; i++) {
      const row = order[i]!;
      const b = bins[col + row]!;
      const left = (1 + ((bin - b) >> 31)) | (((b ^ missing) - 1) >>> 31);
      order[l] = row;
      tmp[r] = row;
      l += left;
      r += left ^ 1;
    }
    order.set(tmp.subarray(0, r), l);
    return l;
  }

  private take(): Histogram {
    return this.kernel.arena.takeHistogram();
  }

  private give(leaf: Leaf): void {
    if (leaf.hist) this.kernel.arena.giveHistogram(leaf.hist);
    leaf.hist = null;
  }
}

function totalsOf(g: Float32Array, h: Float32Array, sample: Int32Array | null, n: number): NodeTotals {
  let sg = 0;
  let sh = 0;
  for (let k = 0; k < n; k++) {
    const r = sample ? sample[k]! : k;
    sg += g[r]!;
    sh += h[r]!;
  }
  return { g: sg, h: sh, count: n };
}
