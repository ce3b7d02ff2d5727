/**
 * Cohen's kappa: agreement between two raters beyond what chance alone would give.
 *
 *   observed p_o = share of items on which the raters agree (the diagonal)
 *   expected p_e = sum over classes of (share rater A gives it) x (share rater B gives it)
 *   kappa        = (p_o - p_e) / (1 - p_e)
 *
 * 1 is perfect agreement, 0 is chance level, negative is worse than chance. Kappa is undefined
 * when p_e = 1 (both raters gave every item the same single class): then there is nothing to
 * agree on beyond chance, and null is returned rather than a misleading 0 or 1.
 */

export interface KappaResult {
  /** Items both raters labelled. */
  n: number;
  /** p_o, or null when n = 0. */
  observed: number | null;
  /** p_e, or null when n = 0. */
  expected: number | null;
  /** Cohen's kappa, or null when n = 0 or p_e = 1. */
  kappa: number | null;
}

/**
 * Kappa from a square confusion matrix: `matrix[i][j]` counts items rater A put in class i and
 * rater B in class j.
 */
export function cohensKappa(matrix: readonly (readonly number[])[]): KappaResult {
  const k = matrix.length;
  for (const row of matrix) {
    if (row.length !== k)
      throw new Error(`the confusion matrix must be square, got a row of ${row.length} in a ${k}-row matrix`);
    for (const x of row)
      if (!(x >= 0) || !Number.isFinite(x))
        throw new Error(`confusion matrix counts must be finite and >= 0, got ${x}`);
  }
  let n = 0;
  let agree = 0;
  const rowSums = new Array<number>(k).fill(0);
  const colSums = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const x = matrix[i]![j]!;
      n += x;
      rowSums[i]! += x;
      colSums[j]! += x;
      if (i === j) agree += x;
    }
  }
  if (n === 0) return { n, observed: null, expected: null, kappa: null };
  const observed = agree / n;
  let expected = 0;
  for (let i = 0; i < k; i++) expected += (rowSums[i]! / n) * (colSums[i]! / n);
  // Guard the 0/0 case with a tolerance: p_e is a sum of products and can miss 1 by an ulp.
  const kappa = Math.abs(1 - expected) < 1e-12 ? null : (observed - expected) / (1 - expected);
  return { n, observed, expected, kappa };
}

/** Kappa for two binary raters from the four counts (A's label first, then B's). */
export function binaryKappa(c: { n00: number; n01: number; n10: number; n11: number }): KappaResult {
  return cohensKappa([
    [c.n00, c.n01],
    [c.n10, c.n11],
  ]);
}
