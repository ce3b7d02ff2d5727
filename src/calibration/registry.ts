/**
 * The calibration methods by name, and the one way to fit a mapping: the configured method, or
 * with `auto` the method with the lower log-loss on the validation rows.
 *
 * `auto` compares by k-fold cross-validation within the validation rows (each method fitted on
 * k - 1 folds, its log-loss measured on the fold it did not see): measured on the rows it was
 * fitted on, isotonic regression would always win, since it is the best monotone fit of those
 * very rows. The chosen method is then fitted on all of them. Probabilities are clipped to
 * [1e-15, 1 - 1e-15] for the log-loss, so an isotonic 0 for a positive costs about 34.5 rather
 * than infinity: overconfidence loses, as it should, without hiding the other folds.
 */
import { Random } from '../ml/random.ts';
import { applyIsotonic, fitIsotonic } from './isotonic.ts';
import type { CalibrationMapping, CalibrationMethod, LabelledScores } from './mapping.ts';
import { applyPlatt, fitPlatt } from './platt.ts';

export const CALIBRATION_CHOICES = ['auto', 'platt', 'isotonic', 'none'] as const;
export type CalibrationChoice = (typeof CALIBRATION_CHOICES)[number];

const METHODS: Record<CalibrationMethod, (points: LabelledScores) => CalibrationMapping> = {
  platt: fitPlatt,
  isotonic: fitIsotonic,
};
export const CALIBRATION_METHODS = Object.keys(METHODS) as CalibrationMethod[];

/** Folds of the `auto` comparison; with fewer labels of a class than this, Platt is taken. */
export const CALIBRATION_FOLDS = 5;
const EPS = 1e-15;

export function applyCalibration(m: CalibrationMapping, score: number): number {
  switch (m.method) {
    case 'platt':
      return applyPlatt(m, score);
    case 'isotonic':
      return applyIsotonic(m, score);
    case 'none':
      return score;
  }
}

export function calibrateScores(m: CalibrationMapping, scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = applyCalibration(m, scores[i]!);
  return out;
}

/** Mean log-loss of probabilities against 0/1 labels. */
export function logLoss(p: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]!));
    sum -= labels[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return sum / labels.length;
}

export interface CalibrationFit {
  mapping: CalibrationMapping;
  requested: CalibrationChoice;
  /** Labelled rows it was fitted on, and how many were positive. */
  rows: number;
  positives: number;
  /** With `auto`: each method's cross-validated log-loss. */
  crossValidated?: Partial<Record<CalibrationMethod, number>>;
  /** One line for the board: what was fitted on what, or why the scores were left as they are. */
  note: string;
}

/**
 * Fit the mapping `choice` asks for on labelled points (`what` names them in the note). Points
 * of one class only (or none) cannot say what a score means: the identity, with a note saying so.
 */
export function fitCalibration(
  points: LabelledScores,
  choice: CalibrationChoice,
  seed: number,
  what = 'validation rows',
): CalibrationFit {
  const rows = points.labels.length;
  let positives = 0;
  for (const y of points.labels) positives += y;
  const base = { requested: choice, rows, positives };
  if (choice === 'none') return { ...base, mapping: { method: 'none' }, note: 'calibration off (calibration: none)' };
  if (positives === 0 || positives === rows) {
    const why =
      rows === 0
        ? `no labelled ${what}`
        : `the ${rows} labelled ${what} are all ${positives === 0 ? 'negative' : 'positive'}`;
    return { ...base, mapping: { method: 'none' }, note: `not calibrated: ${why}; scores left as they are` };
  }
  const counts = `${rows} labelled ${what}, ${positives} positive`;
  if (choice !== 'auto') return { ...base, mapping: METHODS[choice](points), note: `${choice} fitted on ${counts}` };
  if (Math.min(positives, rows - positives) < CALIBRATION_FOLDS) {
    return {
      ...base,
      mapping: fitPlatt(points),
      note: `platt fitted on ${counts} (too few of a class to compare methods by ${CALIBRATION_FOLDS}-fold cross-validation; Platt has 2 parameters)`,
    };
  }
  const crossValidated = Object.fromEntries(
    CALIBRATION_METHODS.map((m) => [m, crossValidatedLogLoss(points, m, seed)]),
  ) as Record<CalibrationMethod, number>;
  const best = CALIBRATION_METHODS.reduce((a, b) => (crossValidated[b] < crossValidated[a] ? b : a));
  const losses = CALIBRATION_METHODS.map((m) => `${m} ${crossValidated[m].toFixed(4)}`).join(', ');
  return {
    ...base,
    mapping: METHODS[best](points),
    crossValidated,
    note: `${best} fitted on ${counts} (auto: log-loss by ${CALIBRATION_FOLDS}-fold cross-validation ${losses})`,
  };
}

/** Stratified folds: each class shuffled (seeded) and dealt round the folds. */
export function crossValidatedLogLoss(points: LabelledScores, method: CalibrationMethod, seed: number): number {
  const n = points.labels.length;
  const fold = new Int32Array(n);
  const random = new Random(seed);
  for (const cls of [0, 1]) {
    const members = Array.from(points.labels.keys()).filter((i) => points.labels[i] === cls);
    for (let i = members.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    members.forEach((i, k) => (fold[i] = k % CALIBRATION_FOLDS));
  }
  const p = new Float64Array(n);
  const all = Array.from(fold.keys());
  for (let f = 0; f < CALIBRATION_FOLDS; f++) {
    const train = all.filter((i) => fold[i] !== f);
    const mapping = METHODS[method]({
      scores: Float64Array.from(train, (i) => points.scores[i]!),
      labels: Float64Array.from(train, (i) => points.labels[i]!),
    });
    for (const i of all.filter((i) => fold[i] === f)) p[i] = applyCalibration(mapping, points.scores[i]!);
  }
  return logLoss(p, points.labels);
}
