/**
 * Isolation forest (Liu, Ting and Zhou, 2008), in plain TypeScript on typed arrays: the SOT's own
 * unsupervised baseline.
 *
 * Each tree is grown on its own random subsample of `sampleSize` training rows (256 by default,
 * drawn without replacement), and only down to the height limit ceil(log2(sampleSize)): the
 * method's point is that anomalies are isolated in few random splits, so deep structure is never
 * needed and small subsamples avoid the swamping and masking a full-data tree suffers. (The npm
 * packages we looked at grow every tree on all rows, which is both slower and a different
 * estimator.) A node splits on a random feature that is not constant within it, at a uniform
 * random value between that feature's minimum and maximum there; rows below the value go left.
 *
 * A row's path length in a tree is the depth of the leaf it reaches plus c(size of that leaf),
 * the expected depth still needed to isolate one of that many rows. Its score is
 *   s(x) = 2^(-E[h(x)] / c(psi)),   psi = the subsample size,
 * in (0, 1): near 1 for rows isolated quickly (anomalies), about 0.5 or below for the rest.
 */
import { Random } from './random.ts';

export interface IsolationForestParams {
  trees: number;
  sampleSize: number;
}

/** One tree as parallel arrays indexed by node; leaves have feature -1. */
export interface IsolationTree {
  feature: Int32Array;
  split: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** Rows of the subsample that reached the node. */
  size: Int32Array;
}

const EULER_GAMMA = 0.5772156649015329;

/**
 * c(n): the average path length of an unsuccessful search in a binary search tree of n nodes,
 * 2 H(n-1) - 2 (n-1) / n with H(i) ~ ln(i) + Euler's constant; c(2) = 1, and 0 for n <= 1.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

export class IsolationForest {
  private constructor(
    readonly trees: IsolationTree[],
    /** The subsample size actually used (smaller than asked when there were fewer rows). */
    readonly sampleSize: number,
    readonly columns: number,
  ) {}

  /** Grow a forest on `rows` of the row-major matrix `x`. */
  static fit(
    x: Float32Array,
    columns: number,
    rows: Int32Array,
    params: IsolationForestParams,
    seed: number,
  ): IsolationForest {
    if (rows.length < 2) throw new Error(`an isolation forest needs at least 2 training rows, got ${rows.length}`);
    if (params.trees < 1) throw new Error('an isolation forest needs at least one tree');
    const rng = new Random(seed);
    const psi = Math.min(params.sampleSize, rows.length);
    const heightLimit = Math.ceil(Math.log2(psi));
    const trees: IsolationTree[] = [];
    for (let t = 0; t < params.trees; t++) {
      const picked = rng.sample(rows.length, psi);
      const sample = Int32Array.from(picked, (i) => rows[i]!);
      trees.push(growTree(x, columns, sample, heightLimit, rng));
    }
    return new IsolationForest(trees, psi, columns);
  }

  static fromJSON(json: IsolationForestJSON): IsolationForest {
    const trees = json.trees.map((t) => ({
      feature: Int32Array.from(t.feature),
      split: Float32Array.from(t.split),
      left: Int32Array.from(t.left),
      right: Int32Array.from(t.right),
      size: Int32Array.from(t.size),
    }));
    return new IsolationForest(trees, json.sampleSize, json.columns);
  }

  /** Mean path length of row `row` of `x` over the trees. */
  pathLength(x: Float32Array, row: number): number {
    let total = 0;
    const base = row * this.columns;
    for (const tree of this.trees) {
      let node = 0;
      let depth = 0;
      while (tree.feature[node]! >= 0) {
        node = x[base + tree.feature[node]!]! < tree.split[node]! ? tree.left[node]! : tree.right[node]!;
        depth++;
      }
      total += depth + averagePathLength(tree.size[node]!);
    }
    return total / this.trees.length;
  }

  /** Anomaly scores in (0, 1) of the first `rows` rows of `x`. */
  score(x: Float32Array, rows: number): Float64Array {
    const c = averagePathLength(this.sampleSize);
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) out[r] = Math.pow(2, -this.pathLength(x, r) / c);
    return out;
  }

  /** Depth of the deepest leaf of each tree. */
  depths(): number[] {
    return this.trees.map((t) => {
      const depth = new Int32Array(t.feature.length);
      let max = 0;
      for (let n = 0; n < t.feature.length; n++) {
        if (t.feature[n]! < 0) {
          max = Math.max(max, depth[n]!);
          continue;
        }
        depth[t.left[n]!] = depth[n]! + 1;
        depth[t.right[n]!] = depth[n]! + 1;
      }
      return max;
    });
  }

  toJSON(): IsolationForestJSON {
    return {
      format: 'label-lab-isolation-forest/1',
      sampleSize: this.sampleSize,
      columns: this.columns,
      trees: this.trees.map((t) => ({
        feature: Array.from(t.feature),
        split: Array.from(t.split),
        left: Array.from(t.left),
        right: Array.from(t.right),
        size: Array.from(t.size),
      })),
    };
  }
}

export interface IsolationForestJSON {
  format: 'label-lab-isolation-forest/1';
  sampleSize: number;
  columns: number;
  trees: { feature: number[]; split: number[]; left: number[]; right: number[]; size: number[] }[];
}

/** Grow one tree over `sample` (matrix row numbers), partitioning it in place. Nodes are numbered in pre-order. */
function growTree(
  x: Float32Array,
  columns: number,
  sample: Int32Array,
  heightLimit: number,
  rng: Random,
): IsolationTree {
  const feature: number[] = [];
  const split: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const size: number[] = [];
  const features = Int32Array.from({ length: columns }, (_, i) => i);

  const grow = (lo: number, hi: number, depth: number): number => {
    const id = feature.length;
    feature.push(-1);
    split.push(0);
    left.push(-1);
    right.push(-1);
    size.push(hi - lo);
    if (depth >= heightLimit || hi - lo <= 1) return id;
    const chosen = pickSplit(x, columns, sample, lo, hi, features, rng);
    if (!chosen) return id; // every feature is constant here: the rows cannot be told apart
    let mid = lo;
    for (let i = lo; i < hi; i++) {
      const row = sample[i]!;
      if (x[row * columns + chosen.feature]! < chosen.value) {
        sample[i] = sample[mid]!;
        sample[mid] = row;
        mid++;
      }
    }
    feature[id] = chosen.feature;
    split[id] = chosen.value;
    left[id] = grow(lo, mid, depth + 1);
    right[id] = grow(mid, hi, depth + 1);
    return id;
  };
  grow(0, sample.length, 0);
  return {
    feature: Int32Array.from(feature),
    split: Float32Array.from(split),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    size: Int32Array.from(size),
  };
}

/**
 * A random feature that varies among sample[lo..hi), and a split value strictly inside its range.
 * Features are tried in a fresh random order (a partial shuffle of `features`), so a constant
 * feature costs one scan and is then skipped, and the draw stays uniform over varying features.
 */
function pickSplit(
  x: Float32Array,
  columns: number,
  sample: Int32Array,
  lo: number,
  hi: number,
  features: Int32Array,
  rng: Random,
): { feature: number; value: number } | undefined {
  for (let k = 0; k < columns; k++) {
    const j = k + rng.int(columns - k);
    const f = features[j]!;
    features[j] = features[k]!;
    features[k] = f;
    let min = Infinity;
    let max = -Infinity;
    for (let i = lo; i < hi; i++) {
      const v = x[sample[i]! * columns + f]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!(max > min)) continue;
    // In Float32 a draw can round to the minimum, which would send every row right; redraw.
    let value = rng.uniform(min, max);
    for (let tries = 0; Math.fround(value) <= min && tries < 8; tries++) value = rng.uniform(min, max);
    if (Math.fround(value) <= min) value = max;
    // The tree stores Float32 splits; partition with that same value so scoring agrees.
    return { feature: f, value: Math.fround(value) };
  }
  return undefined;
}
