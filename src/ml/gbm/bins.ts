/**
 * Binning: each feature's values become at most 255 ordered bins 0..nBins-1, and a missing value
 * (NaN) the bin after them (nBins), so the whole training matrix fits one byte per cell and a
 * feature's histogram has nBins + 1 slots: a one-hot column costs 3, not 256.
 *
 * Edges are fitted on the training rows (a seeded subsample of at most `sampleRows` when there are
 * more), as scikit-learn's HistGradientBoosting fits them: with at most `maxBins` distinct values,
 * one edge halfway between each pair of neighbours; otherwise the quantiles at 1/maxBins, 2/maxBins,
 * ... (midpoint interpolation), duplicates dropped.
 *
 * A value's bin is the number of edges below it: bin b holds the values with
 * edge[b-1] < x <= edge[b]. So "bin <= b" is exactly "x <= edge[b]" for every double x, which is
 * the comparison a tree exported with `edge[b]` as its threshold makes (LightGBM's `x <= threshold`).
 */
import { Random } from '../random.ts';

export const MAX_BINS = 255;

export interface BinMapper {
  /** Per feature, the ascending edges (bins = edges.length + 1). */
  edges: Float64Array[];
  /** Per feature, the smallest and largest non-missing training value (NaN when none). */
  min: Float64Array;
  max: Float64Array;
}

export interface BinOptions {
  maxBins: number;
  /** Rows the edges are fitted on, at most (scikit-learn: 200,000). */
  sampleRows?: number;
  seed: number;
}

/** Fit edges on `rows` of `x` (row-major, `columns` wide). */
export function fitBins(x: Float32Array, columns: number, rows: Int32Array, opts: BinOptions): BinMapper {
  const maxBins = Math.min(MAX_BINS, Math.max(2, opts.maxBins));
  const limit = opts.sampleRows ?? 200_000;
  let sample = rows;
  if (rows.length > limit) {
    sample = new Random(opts.seed).shuffle(rows.slice()).subarray(0, limit).sort();
  }
  const values = new Float64Array(sample.length);
  const edges: Float64Array[] = [];
  const min = new Float64Array(columns).fill(NaN);
  const max = new Float64Array(columns).fill(NaN);
  for (let j = 0; j < columns; j++) {
    let n = 0;
    for (let i = 0; i < sample.length; i++) {
      const v = x[sample[i]! * columns + j]!;
      if (v === v) values[n++] = v;
    }
    const sorted = values.subarray(0, n).sort();
    edges.push(featureEdges(sorted, maxBins));
    if (n > 0) {
      min[j] = sorted[0]!;
      max[j] = sorted[n - 1]!;
    }
  }
  // The extremes come from every training row, not the sample: they are reported, not binned.
  if (sample !== rows) {
    for (let i = 0; i < rows.length; i++) {
      const base = rows[i]! * columns;
      for (let j = 0; j < columns; j++) {
        const v = x[base + j]!;
        if (v < min[j]! || min[j]! !== min[j]!) min[j] = v;
        if (v > max[j]! || max[j]! !== max[j]!) max[j] = v;
      }
    }
  }
  return { edges, min, max };
}

/** Edges of one feature from its sorted non-missing values. */
export function featureEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  if (n === 0) return new Float64Array(0);
  const distinct: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  if (distinct.length <= maxBins) {
    const out = new Float64Array(distinct.length - 1);
    for (let i = 0; i < out.length; i++) out[i] = midpoint(distinct[i]!, distinct[i + 1]!);
    return out;
  }
  const out: number[] = [];
  for (let q = 1; q < maxBins; q++) {
    const pos = (q / maxBins) * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const edge = midpoint(sorted[lo]!, sorted[hi]!);
    if (out.length === 0 || edge > out[out.length - 1]!) out.push(edge);
  }
  // An edge at or above the largest value would leave its bin empty: every value is <= it.
  while (out.length > 0 && out[out.length - 1]! >= sorted[n - 1]!) out.pop();
  return Float64Array.from(out);
}

/** Halfway between two doubles, without overflowing for huge ones. */
function midpoint(a: number, b: number): number {
  return a === b ? a : a + (b - a) / 2;
}

/** A feature's bin for missing values: one past its last value bin. */
export function missingBin(edges: Float64Array): number {
  return edges.length + 1;
}

/** The bin of `v` for a feature with these edges (the number of edges below v). */
export function binOf(edges: Float64Array, v: number): number {
  if (v !== v) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The bins of `rows` of `x`, column-major: feature j of the i-th listed row at j * rows.length + i.
 * A histogram is built one feature at a time, so each feature's bins are read as one run. `out`
 * (columns x rows.length bytes) is where they go: the fit's arena for the training rows.
 */
export function binRows(
  mapper: BinMapper,
  x: Float32Array,
  columns: number,
  rows: Int32Array,
  out: Uint8Array = new Uint8Array(columns * rows.length),
): Uint8Array {
  const n = rows.length;
  for (let j = 0; j < columns; j++) {
    const edges = mapper.edges[j]!;
    const col = out.subarray(j * n, (j + 1) * n);
    for (let i = 0; i < n; i++) col[i] = binOf(edges, x[rows[i]! * columns + j]!);
  }
  return out;
}
