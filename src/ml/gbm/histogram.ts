/**
 * Gradient histograms: per feature and bin, the sums of the gradients and hessians of a node's
 * rows, and their count, interleaved (slot s at s * 3) so one update touches one cache line.
 * Feature j owns slots offsets[j] .. offsets[j + 1] - 1: its value bins, then its missing bin
 * (bins.ts), so a histogram is as long as the features' bins add up to. Sums are doubles; the
 * per-row gradients are floats (as scikit-learn keeps them), which halves what a pass reads.
 *
 * Only the smaller child of a split is built from its rows; the larger one is its parent's
 * histogram minus the smaller one's, so each level costs at most half its rows.
 *
 * A pass takes the features four at a time: each row's gradient pair is read once for the four,
 * and the four adds go to four histograms, so they do not wait on each other. One feature at a
 * time, a column with few distinct values (a one-hot column, a small count) sends run after run
 * of rows to the same slot, each add waiting for the one before; four histograms (4 x 256 slots
 * x 24 bytes) still fit the core's first-level cache. Every slot sums its rows in the same
 * (ascending) order as one feature at a time would, so the sums, and the trees, are the same to
 * the last bit.
 */
export const STRIDE = 3;

export type Histogram = Float64Array;

/** Slot offsets per feature (length features + 1) for these numbers of value bins. */
export function histogramOffsets(nBins: Int32Array): Int32Array {
  const offsets = new Int32Array(nBins.length + 1);
  for (let j = 0; j < nBins.length; j++) offsets[j + 1] = offsets[j]! + nBins[j]! + 1;
  return offsets;
}

/**
 * The features a pass visits (those that can split: GrowData.skip), each with its first slot
 * (offsets[j] * STRIDE), so the inner loops do no lookups.
 */
export interface HistogramLayout {
  active: Int32Array;
  start: Int32Array;
  /** Doubles per histogram. */
  length: number;
}

export function histogramLayout(offsets: Int32Array, skip: Uint8Array): HistogramLayout {
  const active: number[] = [];
  for (let j = 0; j < offsets.length - 1; j++) if (!skip[j]) active.push(j);
  return {
    active: Int32Array.from(active),
    start: Int32Array.from(active, (j) => offsets[j]! * STRIDE),
    length: offsets[offsets.length - 1]! * STRIDE,
  };
}

/**
 * Fill `hist` from the rows `order[start..end)` (indices into the binned rows, column-major,
 * `rows` a column). `g[k]` and `h[k]` belong to the k-th of those rows (gathered by the caller).
 * Features the layout leaves out are left at zero.
 */
export function buildHistogram(
  hist: Histogram,
  bins: Uint8Array,
  rows: number,
  layout: HistogramLayout,
  order: Int32Array,
  start: number,
  end: number,
  g: Float32Array,
  h: Float32Array,
): void {
  hist.fill(0);
  const { active, start: slot } = layout;
  const n = end - start;
  let a = 0;
  for (; a + 4 <= active.length; a += 4) {
    const c0 = active[a]! * rows;
    const c1 = active[a + 1]! * rows;
    const c2 = active[a + 2]! * rows;
    const c3 = active[a + 3]! * rows;
    const s0 = slot[a]!;
    const s1 = slot[a + 1]!;
    const s2 = slot[a + 2]!;
    const s3 = slot[a + 3]!;
    for (let k = 0; k < n; k++) {
      const r = order[start + k]!;
      const gk = g[k]!;
      const hk = h[k]!;
      let s = s0 + bins[c0 + r]! * STRIDE;
      hist[s]! += gk;
      hist[s + 1]! += hk;
      hist[s + 2]! += 1;
      s = s1 + bins[c1 + r]! * STRIDE;
      hist[s]! += gk;
      hist[s + 1]! += hk;
      hist[s + 2]! += 1;
      s = s2 + bins[c2 + r]! * STRIDE;
      hist[s]! += gk;
      hist[s + 1]! += hk;
      hist[s + 2]! += 1;
      s = s3 + bins[c3 + r]! * STRIDE;
      hist[s]! += gk;
      hist[s + 1]! += hk;
      hist[s + 2]! += 1;
    }
  }
  for (; a < active.length; a++) {
    const c = active[a]! * rows;
    const s0 = slot[a]!;
    for (let k = 0; k < n; k++) {
      const s = s0 + bins[c + order[start + k]!]! * STRIDE;
      hist[s]! += g[k]!;
      hist[s + 1]! += h[k]!;
      hist[s + 2]! += 1;
    }
  }
}
