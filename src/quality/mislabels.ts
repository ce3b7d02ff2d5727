/**
 * Suspected mislabels, in the manner of confident learning (Northcutt et al., 2021), on typed
 * arrays:
 *
 * 1. Out-of-fold probabilities: the labelled rows are split into k folds by alert group (the
 *    7- and 30-day rows of an alert share its label and nearly all its features; split apart,
 *    the model would have seen the row's twin and simply agree with the given label), stratified
 *    by label; each fold is scored by a model fitted on the other folds.
 * 2. Per-class thresholds: t1 = mean out-of-fold p over rows labelled 1, t0 = mean (1 - p) over
 *    rows labelled 0, i.e. how confident the model is, on average, about each class when the
 *    label is that class. Using the class's own average, not 0.5, keeps the minority class from
 *    being flagged wholesale by a model that is never very sure of it.
 * 3. A row is suspect when the probability of the other class reaches that class's threshold;
 *    suspects are ranked by the margin p(other) - p(given), largest first.
 */
import type { Learner } from '../ml/learner.ts';
import { Random } from '../ml/random.ts';

export interface OutOfFoldInput {
  /** Row-major features (standardised), `columns` wide. */
  x: Float32Array;
  columns: number;
  /** Labelled matrix rows. */
  rows: Int32Array;
  /** 0/1 label per matrix row (read at `rows`). */
  y: Float32Array;
  /** Alert group per matrix row: a group's rows always share a fold. */
  group: Int32Array;
  folds: number;
  seed: number;
  learner: Learner;
  /** Called after each fold is scored (a front's progress: one fit per fold). */
  onFold?: (done: number, total: number) => void;
}

/** Out-of-fold P(positive) per matrix row; NaN outside `rows`. */
export async function outOfFoldProbabilities(input: OutOfFoldInput): Promise<Float64Array> {
  const { x, columns, rows, y, learner } = input;
  const foldOfRow = assignFolds(rows, y, input.group, input.folds, input.seed);
  const out = new Float64Array(input.group.length).fill(NaN);
  for (let k = 0; k < input.folds; k++) {
    const held = rows.filter((_, i) => foldOfRow[i] === k);
    if (held.length === 0) continue;
    const train = rows.filter((_, i) => foldOfRow[i] !== k);
    if (train.length === 0) throw new Error('out-of-fold probabilities need at least two alert groups with labels');
    const model = await learner.fit(x, columns, train, y, input.seed + k);
    try {
      const p = model.predict(gather(x, columns, held), held.length);
      held.forEach((r, i) => (out[r] = p[i]!));
    } finally {
      model.dispose();
    }
    input.onFold?.(k + 1, input.folds);
  }
  return out;
}

export interface Suspect {
  row: number;
  given: 0 | 1;
  /** Out-of-fold P(positive). */
  p: number;
  /** p(other class) - p(given class), in [-1, 1]; suspects have it above the threshold's. */
  margin: number;
  /** 1 = most confidently disputed. */
  rank: number;
}

export interface ConfidentLearningResult {
  /** Mean self-confidence per class: t0 over rows labelled 0 (of 1 - p), t1 over rows labelled 1 (of p). */
  thresholds: { negative: number; positive: number };
  suspects: Suspect[];
}

/** Confident-learning suspects among `rows`, given their labels `y` and out-of-fold `p`. */
export function confidentLearningSuspects(rows: Int32Array, y: Float32Array, p: Float64Array): ConfidentLearningResult {
  let sum0 = 0;
  let n0 = 0;
  let sum1 = 0;
  let n1 = 0;
  for (const r of rows) {
    if (y[r] === 1) {
      sum1 += p[r]!;
      n1++;
    } else {
      sum0 += 1 - p[r]!;
      n0++;
    }
  }
  // With one class absent its threshold is undefined; nothing can be flagged as belonging to it.
  const thresholds = { negative: n0 > 0 ? sum0 / n0 : Infinity, positive: n1 > 0 ? sum1 / n1 : Infinity };
  const suspects: Suspect[] = [];
  for (const r of rows) {
    const given = y[r] === 1 ? 1 : 0;
    const other = given === 1 ? 1 - p[r]! : p[r]!;
    const threshold = given === 1 ? thresholds.negative : thresholds.positive;
    if (other >= threshold) suspects.push({ row: r, given, p: p[r]!, margin: other - (1 - other), rank: 0 });
  }
  suspects.sort((a, b) => b.margin - a.margin || a.row - b.row);
  suspects.forEach((s, i) => (s.rank = i + 1));
  return { thresholds, suspects };
}

/**
 * A fold per labelled row (index into `rows`): groups are shuffled within their label (a group's
 * label is the highest of its rows') and dealt round-robin, so every fold gets both classes.
 */
function assignFolds(rows: Int32Array, y: Float32Array, group: Int32Array, folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`folds must be an integer of at least 2, not ${folds}`);
  const label = new Map<number, number>();
  for (const r of rows) label.set(group[r]!, Math.max(label.get(group[r]!) ?? 0, y[r] === 1 ? 1 : 0));
  const rng = new Random(seed);
  const foldOfGroup = new Map<number, number>();
  for (const cls of [0, 1]) {
    const groups = rng.shuffle([...label.keys()].filter((g) => label.get(g) === cls).sort((a, b) => a - b));
    groups.forEach((g, i) => foldOfGroup.set(g, i % folds));
  }
  return Int32Array.from(rows, (r) => foldOfGroup.get(group[r]!)!);
}

/** The rows `rows` of `x` as one contiguous matrix (the learner scores the first n rows). */
export function gather(x: Float32Array, columns: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * columns);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i]! * columns, (rows[i]! + 1) * columns), i * columns);
  return out;
}
