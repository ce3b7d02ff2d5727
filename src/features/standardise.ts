/**
 * Standardisation fitted on the training rows only: each column minus its training mean, over
 * its training standard deviation. Statistics from held-out rows would leak their distribution
 * into the model (and make a time split look better than it is).
 *
 * NULLs (NaN) are skipped when fitting and become 0 after scaling, i.e. the training mean: the
 * `[missing]` indicator columns (encode.ts) carry the fact that a value was missing. Scaled
 * values are clipped to +-clip: a single extreme value (a whale's volume in a later snapshot)
 * would otherwise saturate a network's units for every row that shares its batch.
 */

export interface Standardiser {
  mean: Float64Array;
  std: Float64Array;
  clip: number;
}

export function fitStandardiser(x: Float32Array, columns: number, rows: ArrayLike<number>, clip = 10): Standardiser {
  const sum = new Float64Array(columns);
  const count = new Float64Array(columns);
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i]! * columns;
    for (let j = 0; j < columns; j++) {
      const v = x[base + j]!;
      if (v === v) {
        sum[j]! += v;
        count[j]!++;
      }
    }
  }
  const mean = sum.map((s, j) => (count[j]! > 0 ? s / count[j]! : 0));
  const sq = new Float64Array(columns);
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i]! * columns;
    for (let j = 0; j < columns; j++) {
      const v = x[base + j]!;
      if (v === v) sq[j]! += (v - mean[j]!) ** 2;
    }
  }
  // A column constant on the training rows gets std 1: it becomes 0 there and keeps its
  // (unscaled) differences elsewhere, rather than dividing by zero.
  const std = sq.map((s, j) => {
    const sd = count[j]! > 1 ? Math.sqrt(s / count[j]!) : 0;
    return sd > 1e-12 ? sd : 1;
  });
  return { mean, std, clip };
}

/** Scale `x` (rows x columns, row-major) in place. */
export function applyStandardiser(s: Standardiser, x: Float32Array, columns: number): void {
  const { mean, std, clip } = s;
  for (let base = 0; base < x.length; base += columns) {
    for (let j = 0; j < columns; j++) {
      const v = x[base + j]!;
      if (v !== v) {
        x[base + j] = 0;
        continue;
      }
      const z = (v - mean[j]!) / std[j]!;
      x[base + j] = z > clip ? clip : z < -clip ? -clip : z;
    }
  }
}

/** Plain arrays, for the run bundle (a model's inputs must be scaled the same way to re-score). */
export function standardiserJSON(
  s: Standardiser,
  names: readonly string[],
): { clip: number; columns: { name: string; mean: number; std: number }[] } {
  return { clip: s.clip, columns: names.map((name, j) => ({ name, mean: s.mean[j]!, std: s.std[j]! })) };
}
