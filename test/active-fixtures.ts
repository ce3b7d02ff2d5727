/**
 * Synthetic data for the active-learning and mislabel tests: Gaussian features, a label that is
 * a linear rule of two of them (so logistic regression can learn it), and alert groups of two
 * rows (an alert's 7- and 30-day windows: near-identical features, one label).
 */
import { Random } from '../src/ml/random.ts';

export interface Synthetic {
  x: Float32Array;
  rows: number;
  columns: number;
  truth: Float32Array;
  group: Int32Array;
  groups: number;
}

export function normal(rng: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * `groups` alerts of two rows each; positives where x0 + x1 > 0.6 (about a third). With `gap`,
 * no alert lies within `gap` of that boundary (x0 + x1 is redrawn): separable with a margin.
 */
export function separable(groups: number, seed = 1, columns = 6, gap = 0): Synthetic {
  const rng = new Random(seed);
  const rows = groups * 2;
  const x = new Float32Array(rows * columns);
  const truth = new Float32Array(rows);
  const group = new Int32Array(rows);
  for (let g = 0; g < groups; g++) {
    let base = Array.from({ length: columns }, () => normal(rng));
    while (Math.abs(base[0]! + base[1]! - 0.6) < gap) base = Array.from({ length: columns }, () => normal(rng));
    const label = base[0]! + base[1]! > 0.6 ? 1 : 0;
    for (let w = 0; w < 2; w++) {
      const r = 2 * g + w;
      group[r] = g;
      truth[r] = label;
      for (let j = 0; j < columns; j++) x[r * columns + j] = base[j]! + 0.05 * normal(rng);
    }
  }
  return { x, rows, columns, truth, group, groups };
}
