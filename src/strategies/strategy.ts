/**
 * The strategy interface: how a way of scoring alerts plugs into Label Lab. A strategy has two
 * halves, so the browser can run them in different places:
 *
 * - `prepareLabels` runs next to the database (SQL): the labels it learns from, per matrix row;
 * - `fit` runs anywhere, on typed arrays only (Node, or a training Web Worker that received them
 *   as transferables), and returns a fitted model that scores rows.
 *
 * Adding a strategy is one new file implementing this and one line in registry.ts.
 */
import type { Database } from '../db/database.ts';
import type { LabelTarget } from '../features/leakage.ts';
import type { ArtefactFile } from '../ml/artefacts.ts';
import type { EpochLog, TrainProgress } from '../ml/train-loop.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import type { RowLabels } from '../experiment/row-labels.ts';

/** Per-row values that are not model features (see features/feature-sql.ts). */
export interface SideColumns {
  /** The alert's own confidence (NaN when NULL). */
  confidence: Float32Array;
}

export interface LabelContext {
  db: Database;
  config: TrainingConfig;
  /** Matrix rows (labels are per row). */
  rows: number;
}

/** Everything `fit` needs; plain data and typed arrays, so it can be posted to a worker. */
export interface FitInput {
  /** Standardised features of every row (train, validation and test), row-major. */
  x: Float32Array;
  rows: number;
  columns: number;
  names: string[];
  /** Rows to learn from and rows for early stopping; test rows are never read while fitting. */
  train: Int32Array;
  validation: Int32Array;
  labels?: RowLabels;
  side: SideColumns;
  config: TrainingConfig;
  seed: number;
  /** What `x` holds (Strategy.input): standardised by default, or the raw values with NaN for NULL. */
  input?: InputSpace;
}

/**
 * standardised: (x - mean) / std on the training rows, clipped, NULL as 0, what networks want.
 * raw: the matrix before that, NULL as NaN: trees split on the features' own values and route
 * missing values themselves, and an exported tree then reads the features in their own units.
 */
export type InputSpace = 'standardised' | 'raw';

/** A feature's share in a model's decisions: for trees, the total split gain on it. */
export interface FeatureImportance {
  feature: string;
  gain: number;
}

export interface FitHooks {
  onEpoch?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

/** One trained network (or round) of a strategy, for the run bundle and the progress view. */
export interface TrainingSummary {
  stage: string;
  epochs: number;
  bestEpoch: number;
  stopped: 'epochs' | 'early-stopping' | 'not-iterative';
  history: EpochLog[];
  /** Training rows used, and how many were positive (for classifiers). */
  rows: number;
  positives?: number;
  /** Threads the fit ran on, where a learner uses more than one (gbm's histograms). */
  threads?: number;
}

export interface FittedModel {
  /**
   * Scores of the first `rows` rows of `x` (same columns as the fit); higher = more suspicious.
   * Float64: a confident classifier's probabilities round to exactly 1 in Float32 (any logit
   * above about 17), which would tie the very alerts a reviewer looks at first.
   */
  score(x: Float32Array, rows: number, side: SideColumns): Float64Array;
  training: TrainingSummary[];
  notes: string[];
  /** Per feature, most important first (models that measure it: gbm). */
  importance?: FeatureImportance[];
  /** Files that hold the model: TF.js Layers format for networks, JSON otherwise. */
  artefacts(): Promise<ArtefactFile[]>;
  dispose(): void;
}

export type StrategyKind = 'supervised' | 'semi-supervised' | 'unsupervised' | 'rule';

export interface Strategy {
  readonly name: string;
  /** One line for the CLI's list and the board. */
  readonly summary: string;
  readonly kind: StrategyKind;
  /** probability: a calibrated-ish P(positive) (gets a Brier score); anomaly: a ranking only. */
  readonly scoreKind: 'probability' | 'anomaly';
  /** What the labels it learns are defined by: picks the leakage guard's default exclusions. */
  target(config: TrainingConfig): LabelTarget;
  /** The input space `fit` and `score` get (default standardised). */
  input?(config: TrainingConfig): InputSpace;
  prepareLabels(ctx: LabelContext): Promise<RowLabels | undefined>;
  fit(input: FitInput, hooks: FitHooks): Promise<FittedModel>;
}

/** A strategy that cannot run on this data (too few labels, one class): a message for the user. */
export class StrategyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StrategyError';
  }
}

/**
 * A strategy whose inputs this data lacks (no explicit labels, no later snapshot, none of the
 * columns it reads): it stands on the board as skipped with this reason, and a run of the default
 * strategies still succeeds. Recognised by name (`isSkipped`): an error from the training worker
 * arrives as a plain Error that keeps the original's name.
 */
export class StrategySkipped extends StrategyError {
  constructor(message: string) {
    super(message);
    this.name = 'StrategySkipped';
  }
}

export function isSkipped(e: unknown): e is Error {
  return e instanceof Error && e.name === 'StrategySkipped';
}
