/**
 * The training configuration: which strategy, its hyperparameters, the split, the leakage
 * overrides and the evaluation settings, as one zod schema whose defaults are a sensible run.
 * Text in (YAML or JSON), so it works in the browser too; the CLI reads the file.
 *
 * It composes with the proxy-label configuration rather than repeating it: `labels` is exactly
 * src/labels' schema (the rule the proxy and self-training strategies learn from and the board
 * evaluates against). The design's YAML shape also loads:
 *   training: {label_strategy: <strategy>, proxy_label_config: {...}}
 * where label_strategy selects the strategy by name.
 */
import { parseYaml } from '../util/yaml.ts';
import { z } from 'zod';
import { CALIBRATION_CHOICES } from '../calibration/registry.ts';
import { parseConfig as parseLabelConfig, ProxyLabelConfigSchema } from '../labels/config.ts';
import { DEFAULT_HORIZON_DAYS } from '../labels/evolution.ts';
import { configIssues } from '../util/config-issues.ts';

const count = (min = 1) => z.number().int().min(min);
const rate = () => z.number().positive();

/** The dense network shared by proxy, supervised and self-training. */
export const DenseSchema = z
  .object({
    hidden: z.array(count()).min(1).default([64, 32]),
    epochs: count().default(60),
    batchSize: count().default(512),
    learningRate: rate().default(0.003),
    l2: z.number().min(0).default(1e-4),
    patience: count().default(6),
    minDelta: z.number().min(0).default(1e-4),
  })
  .strict();

export const AutoencoderSchema = z
  .object({
    hidden: z.array(count()).min(1).default([32, 8]),
    epochs: count().default(60),
    batchSize: count().default(512),
    learningRate: rate().default(0.003),
    l2: z.number().min(0).default(0),
    patience: count().default(6),
    minDelta: z.number().min(0).default(1e-3),
  })
  .strict();

export const IsolationForestSchema = z
  .object({
    trees: count().default(100),
    sampleSize: count(2).default(256),
  })
  .strict();

/** Histogram gradient-boosted trees (ml/gbm/): scikit-learn HistGradientBoostingClassifier's defaults. */
export const GbmSchema = z
  .object({
    /** The labels it learns: the proxy rule's (explicit labels win), explicit alert labels, or address labels. */
    target: z.enum(['proxy', 'alert-labels', 'address-labels']).default('proxy'),
    learningRate: rate().default(0.1),
    /** Trees at most (one per iteration). */
    maxIter: count().default(100),
    maxLeafNodes: count(2).default(31),
    /** Edges from the root to the deepest leaf; absent for no limit (leaves alone cap the size). */
    maxDepth: count().optional(),
    l2: z.number().min(0).default(0),
    minSamplesLeaf: count().default(20),
    /** Least hessian (sum of w p (1 - p)) a child may hold. */
    minHessian: z.number().min(0).default(1e-3),
    /** Bins per feature besides the missing-value bin. */
    maxBins: z.number().int().min(2).max(255).default(255),
    /** Stop after `patience` iterations without the validation metric improving by more than `tol`; patience 0 never stops early. */
    earlyStopping: z
      .object({ patience: count(0).default(10), tol: z.number().min(0).default(1e-7) })
      .strict()
      .prefault({}),
    validationMetric: z.enum(['log-loss', 'roc-auc']).default('log-loss'),
    /** Share of the training rows each tree is grown on; 1 (the default) uses all and involves no randomness. */
    subsample: z.number().gt(0).max(1).default(1),
    /** Threads building histograms, the fitting one included; 0 (the default) is one per core. The trees are the same whatever the count. */
    threads: count(0).default(0),
  })
  .strict();

export const SelfTrainingSchema = z
  .object({
    /** The learner every round trains: gradient-boosted trees (the gbm block) or the dense network. */
    learner: z.enum(['gbm', 'dense']).default('gbm'),
    rounds: count(0).default(3),
    /**
     * Share of each class's proxy labels that seeds the first round: the most confident ones by
     * label_confidence (explicit labels always seed). Per class, because the rule's confidences
     * are skewed: on SOT data almost no negative has a confidence near 0.
     */
    seedShare: z.number().gt(0).max(1).default(0.5),
    /**
     * Share of the unlabelled training rows pseudo-labelled per round, split between the classes in
     * the seed's proportion: each class takes its quota of the rows the model ranks most surely in
     * it (highest probability for positives, lowest for negatives), not the rows past one threshold.
     */
    addShare: z.number().gt(0).max(1).default(0.2),
    /** Weight of a pseudo-label relative to a seed label. */
    pseudoWeight: z.number().min(0).max(1).default(0.5),
    /** Add the isolation forest's anomaly score (fitted on the training rows) as an input. */
    useAnomalyScores: z.boolean().default(false),
    /**
     * What the learner reads: `behaviour` leaves out the alert's own detector output (the alerts
     * table's columns but window_days: typology, pattern, inferred address type, amount, risk
     * indicators), from which the rule's labels can be re-learnt per detector; `all` keeps them.
     * See docs/training.md, "Self-training".
     */
    view: z.enum(['behaviour', 'all']).default('behaviour'),
  })
  .strict();

export const SupervisedSchema = z
  .object({
    /** alert-labels: explicit labels of alerts; address-labels: risk high/critical is positive. */
    target: z.enum(['alert-labels', 'address-labels']).default('alert-labels'),
    /** Fewer labelled training rows than this (or one class only) is an error, not a model. */
    minLabels: count().default(30),
  })
  .strict();

/** sot-anomaly: which of the SOT's IsolationForest scores it ranks by (strategies/sot-anomaly.ts). */
export const SotAnomalySchema = z
  .object({
    score: z
      .enum([
        'auto',
        'mean',
        'behavioral_anomaly_score',
        'graph_anomaly_score',
        'neighborhood_anomaly_score',
        'global_anomaly_score',
      ])
      .default('auto'),
  })
  .strict();

export const SplitSchema = z
  .object({
    method: z.enum(['time', 'stratified']).default('time'),
    testFraction: z.number().gt(0).lt(1).default(0.2),
    validationFraction: z.number().min(0).lt(1).default(0.15),
    /** 'address' keeps whole addresses out of training when they are tested (see features/split.ts). */
    groupBy: z.enum(['alert', 'address']).default('alert'),
  })
  .strict();

export const LeakageSchema = z
  .object({
    allow: z.array(z.string()).default([]),
    exclude: z.array(z.string()).default([]),
    separationAuc: z.number().gt(0.5).max(1).default(0.99),
    dropSeparating: z.boolean().default(false),
  })
  .strict();

export const FeaturesSchema = z
  .object({
    maxCategories: count().default(30),
    clip: z.number().positive().default(10),
  })
  .strict();

export const EvaluationSchema = z
  .object({
    /** Absolute k values; k = share of the evaluated alerts is added. */
    k: z.array(count()).default([50, 100]),
    kShare: z.number().gt(0).max(1).default(0.01),
    /** Alerts a team reviews per day, for the capacity threshold. */
    capacityPerDay: count().default(100),
  })
  .strict();

/**
 * Evolution labels (src/labels/evolution.ts): how each alerted address grew over the next
 * `horizonDays`, classified as the validator's Tier 3B does. The board evaluates against them when
 * the later snapshots are loaded; with `target: evolution` every strategy trains on them.
 */
export const EvolutionSchema = z
  .object({
    horizonDays: count().default(DEFAULT_HORIZON_DAYS),
  })
  .strict();

export const TrainingConfigSchema = z
  .object({
    /**
     * The one strategy of the single-model path (trainConfigured in training/compare.ts; the
     * design's `label_strategy`). `lab compare` and compare cells run `strategies` instead
     * (default: every registered one).
     */
    strategy: z.string().min(1).default('proxy'),
    strategies: z.array(z.string().min(1)).optional(),
    /**
     * What every strategy learns: `strategy`, the labels its own block names (proxy, explicit,
     * address labels); `evolution`, the evolution labels, only where the later snapshot is not
     * after the first test date, as a miner on that date would know them (training/experiment.ts).
     */
    target: z.enum(['strategy', 'evolution']).default('strategy'),
    evolution: EvolutionSchema.prefault({}),
    seed: z.number().int().min(0).default(42),
    backend: z.enum(['auto', 'wasm', 'cpu', 'webgl']).default('auto'),
    labels: ProxyLabelConfigSchema.prefault({}),
    split: SplitSchema.prefault({}),
    leakage: LeakageSchema.prefault({}),
    features: FeaturesSchema.prefault({}),
    dense: DenseSchema.prefault({}),
    autoencoder: AutoencoderSchema.prefault({}),
    isolationForest: IsolationForestSchema.prefault({}),
    gbm: GbmSchema.prefault({}),
    selfTraining: SelfTrainingSchema.prefault({}),
    supervised: SupervisedSchema.prefault({}),
    evaluation: EvaluationSchema.prefault({}),
    sotAnomaly: SotAnomalySchema.prefault({}),
    /** Scores to probabilities fitted on the validation rows (src/calibration/); auto: the lower validation log-loss. */
    calibration: z.enum(CALIBRATION_CHOICES).default('auto'),
  })
  .strict();

export type TrainingConfig = z.infer<typeof TrainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof TrainingConfigSchema>;

export const DEFAULT_TRAINING_CONFIG: TrainingConfig = TrainingConfigSchema.parse({});

export class TrainingConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(
      `${source}: invalid training configuration:\n${issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}`,
    );
    this.name = 'TrainingConfigError';
  }
}

/** Validate a parsed object (local or design shape), filling defaults. */
export function parseTrainingConfig(value: unknown, source = 'config'): TrainingConfig {
  const result = TrainingConfigSchema.safeParse(fromDesignShape(value ?? {}, source));
  if (result.success) return result.data;
  throw new TrainingConfigError(source, configIssues(result.error));
}

/** Parse YAML or JSON text (JSON is YAML, so one parser reads both). */
export function loadTrainingConfig(text: string, source: string): TrainingConfig {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new TrainingConfigError(source, [{ path: '', message: `not valid YAML or JSON: ${(e as Error).message}` }]);
  }
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    throw new TrainingConfigError(source, [
      { path: '', message: 'expected a mapping of fields (strategy, labels, dense, ...)' },
    ]);
  }
  return parseTrainingConfig(value, source);
}

/**
 * `training: {label_strategy, proxy_label_config, ...rest}` becomes `{strategy, labels, ...rest}`;
 * the proxy-label part goes through src/labels' own parser, which knows that shape.
 */
function fromDesignShape(value: unknown, source: string): unknown {
  if (!isRecord(value) || !isRecord(value.training)) return value;
  const { training, ...others } = value;
  const { label_strategy, proxy_label_config, ...rest } = training;
  const out: Record<string, unknown> = { ...others, ...rest };
  if (label_strategy !== undefined) out.strategy = label_strategy;
  if (proxy_label_config !== undefined) out.labels = parseLabelConfig({ proxy_label_config }, source);
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
