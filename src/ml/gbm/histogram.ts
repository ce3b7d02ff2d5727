/**
 * Gradient histograms: per feature and bin, the sums of the gradients and hessians of a node's
 * rows, and their count, interleaved (slot s at s * 3) so one update touches one cache line.
 * Feature j owns slots offsets[j] .. offsets[j + 1] - 1: its value bins, then its missing bin
 * (bins.ts), so a histogram is as long as the features' bins add up to. Sums are doubles; the
 * per-row gradients are floats (as scikit-learn keeps them), which halves what a pass reads.
 *
 * Only the smaller child of a split is built from its rows; the larger one is its parent's
 * histogram minus the smaller one's, so each level costs at most half its rows.
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
 * Fill `hist` from the rows `order[start..end)` (indices into the binned rows), or from rows
 * start..end-1 themselves when `order` is null. `g[k]` and `h[k]` belong to the k-th of those
 * rows (gathered by the caller). Features in `skip` (nothing to split) are left at zero.
 */
export function buildHistogram(
  hist: Histogram,
  bins: Uint8Array,
  rows: number,
  offsets: Int32Array,
  order: Int32Array | null,
  start: number,
  end: number,
  g: Float32Array,
  h: Float32Array,
  skip: Uint8Array,
): void {
  hist.fill(0);
  const n = end - start;
  const rowsOf = order?.subarray(start, end);
  const features = offsets.length - 1;
  // Locals over subarrays, not offsets into the whole arrays: V8 keeps them in registers.
  for (let j = 0; j < features; j++) {
    if (skip[j]) continue;
    const col = bins.subarray(j * rows, (j + 1) * rows);
    const slots = hist.subarray(offsets[j]! * STRIDE, offsets[j + 1]! * STRIDE);
    if (rowsOf === undefined) {
      for (let k = 0; k < n; k++) {
        const s = col[start + k]! * STRIDE;
        slots[s]! += g[k]!;
        slots[s + 1]! += h[k]!;
        slots[s + 2]! += 1;
      }
    } else {
      for (let k = 0; k < n; k++) {
        const s = col[rowsOf[k]!]! * STRIDE;
        slots[s]! += g[k]!;
        slots[s + 1]! += h[k]!;
        slots[s + 2]! += 1;
      }
    }
  }
}
