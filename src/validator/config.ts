/**
 * The network validator's configuration: every weight, threshold and rule constant its code
 * applies (chainswarm/risk-assesment packages/validation/*.py and config/validation_config.json,
 * see /work/shared/validator-scoring.md), as one zod schema whose defaults are the shipped values.
 *
 * The top-level keys are the validator's own (tier1_integrity, tier2_behavioral, tier3_accuracy,
 * reward_schedule), so its validation_config.json loads as it is: a miner follows the validator
 * when it changes by pointing --config at the new file. Fields the validator keeps in its Python
 * code rather than its JSON (the tier 2 weights, the pattern thresholds, the penalty steps) are
 * added inside those blocks with the code's values as defaults.
 *
 * Fields the validator's JSON carries but its coordinator does not apply (tier1 weight, the tier3a
 * and tier3b `weight`s, tier3_accuracy.is_gate) are accepted and documented as unused, so the file
 * still parses; nothing here reads them.
 *
 * The pattern thresholds are the one definition of the evolution patterns: classifyPattern() below
 * in TS, and the evolution-label SQL (src/labels/evolution.ts), which binds patternParams() as
 * parameters. The rule, in this order (the first match wins):
 *   expanding_illicit  degree > d AND volume > v AND (mixer OR anomaly > a OR velocity > s)
 *   benign_indicators  degree < d AND volume < v AND anomaly < a AND NOT mixer
 *   dormant            degree < d AND volume < v AND velocity < s
 *   ambiguous          otherwise
 * where degree and volume are the growth percentages over the horizon and mixer, anomaly and
 * velocity are read from the later snapshot. A missing (NULL or NaN) number fails every comparison
 * it is in, as NaN does in the validator's Python; a missing mixer flag counts as not a mixer.
 */
import { parseYaml } from '../util/yaml.ts';
import { z } from 'zod';
import { configIssues } from '../util/config-issues.ts';

export const PATTERN_NAMES = ['expanding_illicit', 'benign_indicators', 'dormant', 'ambiguous'] as const;
export type PatternName = (typeof PATTERN_NAMES)[number];

const unit = () =>
  z
    .number({ error: (issue) => `must be a number between 0 and 1 (got ${JSON.stringify(issue.input)})` })
    .refine((x) => x >= 0 && x <= 1, { error: (issue) => `must be between 0 and 1 (got ${String(issue.input)})` });
const finite = () =>
  z.number({ error: (issue) => `must be a number (got ${JSON.stringify(issue.input)})` }).refine(Number.isFinite, {
    error: () => 'must be a finite number',
  });
const days = () =>
  z
    .number({ error: (issue) => `must be a whole number of days (got ${JSON.stringify(issue.input)})` })
    .int('must be a whole number of days')
    .min(0, 'must not be negative');
const flag = () => z.boolean({ error: (issue) => `must be true or false (got ${JSON.stringify(issue.input)})` });

/** An expected score range [min, max] within 0..1. */
const scoreRange = (lo: number, hi: number) =>
  z
    .tuple([unit(), unit()], { error: () => 'must be [min, max] with both in 0..1' })
    .refine(([a, b]) => a <= b, { error: () => 'min must not exceed max' })
    .default([lo, hi]);

export const PatternThresholdsSchema = z
  .object({
    expanding_illicit: z
      .object({
        degree_delta_pct_above: finite().default(200),
        volume_delta_pct_above: finite().default(300),
        behavioral_anomaly_above: finite().default(0.7),
        velocity_above: finite().default(0.8),
        expected_range: scoreRange(0.7, 1.0),
      })
      .strict()
      .prefault({}),
    benign_indicators: z
      .object({
        degree_delta_pct_below: finite().default(50),
        volume_delta_pct_below: finite().default(100),
        behavioral_anomaly_below: finite().default(0.3),
        expected_range: scoreRange(0, 0.3),
      })
      .strict()
      .prefault({}),
    dormant: z
      .object({
        degree_delta_pct_below: finite().default(20),
        volume_delta_pct_below: finite().default(30),
        velocity_below: finite().default(0.3),
        expected_range: scoreRange(0.15, 0.25),
      })
      .strict()
      .prefault({}),
    ambiguous: z
      .object({ expected_range: scoreRange(0.3, 0.7) })
      .strict()
      .prefault({}),
  })
  .strict();
export type PatternThresholds = z.infer<typeof PatternThresholdsSchema>;

/** One step of the address-consistency penalty: a standard deviation below `std_below` costs `penalty`. */
const PenaltyStep = z.object({ std_below: finite(), penalty: finite() }).strict();

export const ValidatorConfigSchema = z
  .object({
    tier1_integrity: z
      .object({
        enabled: flag().default(true),
        /** Failing Tier 1 rejects the submission (final score 0). */
        is_gate: flag().default(true),
        /** In the validator's JSON; its coordinator never applies it. */
        weight: finite().default(0),
      })
      .strict()
      .prefault({}),
    tier2_behavioral: z
      .object({
        enabled: flag().default(true),
        /** When true, a behaviour score below minimum_score rejects the submission. */
        is_gate: flag().default(false),
        weight: finite().default(0.1),
        minimum_score: finite().default(0.5),
        /** The final score during the flat period: the coordinator pays this one (see flatReward). */
        flat_reward: finite().default(0.1),
        /** Code constants (tier2_behavioral.py). */
        entropy_weight: finite().default(0.33),
        rank_correlation_weight: finite().default(0.33),
        consistency_weight: finite().default(0.34),
        entropy_bins: z.number().int().min(2).default(10),
        entropy_epsilon: z.number().min(0).default(1e-10),
        /** Consistency when there is no earlier date, or fewer than min_shared_alerts ids in both. */
        default_consistency: unit().default(0.7),
        min_shared_alerts: z.number().int().min(1).default(2),
      })
      .strict()
      .prefault({}),
    tier3_accuracy: z
      .object({
        enabled: flag().default(true),
        /** In the validator's JSON; its coordinator never applies it. */
        is_gate: flag().default(false),
        weight: finite().default(0.9),
        tier3a_ground_truth: z
          .object({
            /** In the validator's JSON; its coordinator applies coverage_weight instead. */
            weight: finite().default(0.1),
            coverage_weight: finite().default(0.5),
            /** risk_level values that take part, and those that count as illicit (tier3a_ground_truth.py). */
            risk_levels: z.array(z.string().min(1)).min(1).default(['low', 'medium', 'high', 'critical']),
            positive_risk_levels: z.array(z.string().min(1)).min(1).default(['high', 'critical']),
          })
          .strict()
          .prefault({}),
        tier3b_evolution: z
          .object({
            /** In the validator's JSON; its coordinator applies coverage_weight instead. */
            weight: finite().default(0.8),
            coverage_weight: finite().default(0.5),
            /** Days a submission must be old before 3B is computed. */
            required_days: days().default(30),
            /** Days between the scored snapshot and the later one it is judged by (timedelta(days=30) in the code). */
            horizon_days: days().default(30),
            auc_weight: finite().default(0.4),
            brier_weight: finite().default(0.3),
            pattern_accuracy_weight: finite().default(0.3),
            /** Non-decisive patterns are labelled 1 when the submitted score is at least this. */
            label_threshold: unit().default(0.5),
            /** Outside its range a score earns max(0, 1 - distance_factor x distance). */
            distance_factor: finite().default(2),
            patterns: PatternThresholdsSchema.prefault({}),
            /** Address consistency: the first step whose std_below exceeds the std applies, else `otherwise`. */
            consistency_penalty_steps: z.array(PenaltyStep).default([
              { std_below: 0.1, penalty: 0 },
              { std_below: 0.15, penalty: -0.05 },
              { std_below: 0.25, penalty: -0.1 },
            ]),
            consistency_penalty_otherwise: finite().default(-0.15),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    reward_schedule: z
      .object({
        /** Before a submission is this many days old its final score is the flat reward. */
        flat_period_days: days().default(29),
        /** In the validator's JSON; its coordinator pays tier2_behavioral.flat_reward instead. */
        flat_reward: finite().default(0.1),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ValidatorConfig = z.infer<typeof ValidatorConfigSchema>;
export type ValidatorConfigInput = z.input<typeof ValidatorConfigSchema>;

export const DEFAULT_VALIDATOR_CONFIG: ValidatorConfig = ValidatorConfigSchema.parse({});

/**
 * The flat reward paid during the flat period. The coordinator reads tier2_behavioral.flat_reward
 * (config.tier2_flat_reward); reward_schedule.flat_reward is in the JSON too but unread, so this
 * follows the coordinator.
 */
export function flatReward(config: ValidatorConfig): number {
  return config.tier2_behavioral.flat_reward;
}

/** A configuration that does not validate; `issues` name the offending field. */
export class ValidatorConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(
      `${source}: invalid validator configuration:\n${issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}`,
    );
    this.name = 'ValidatorConfigError';
  }
}

export function parseValidatorConfig(value: unknown, source = 'config'): ValidatorConfig {
  const result = ValidatorConfigSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new ValidatorConfigError(source, configIssues(result.error));
}

/** Configuration text (JSON, or YAML for .yaml/.yml names), such as the validator's validation_config.json. */
export function loadValidatorConfig(text: string, source: string): ValidatorConfig {
  const yaml = /\.ya?ml$/i.test(source);
  let value: unknown;
  try {
    value = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ValidatorConfigError(source, [
      { path: '', message: `not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message}` },
    ]);
  }
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value)))
    throw new ValidatorConfigError(source, [
      { path: '', message: 'expected a mapping (tier1_integrity, tier2_behavioral, tier3_accuracy, reward_schedule)' },
    ]);
  return parseValidatorConfig(value, source);
}

/**
 * The pattern thresholds as flat named numbers, for SQL that binds each as a parameter. The names
 * are stable: the evolution-label SQL refers to them.
 */
export interface PatternParams {
  expanding_degree_above: number;
  expanding_volume_above: number;
  expanding_anomaly_above: number;
  expanding_velocity_above: number;
  benign_degree_below: number;
  benign_volume_below: number;
  benign_anomaly_below: number;
  dormant_degree_below: number;
  dormant_volume_below: number;
  dormant_velocity_below: number;
  expanding_illicit_min: number;
  expanding_illicit_max: number;
  benign_indicators_min: number;
  benign_indicators_max: number;
  dormant_min: number;
  dormant_max: number;
  ambiguous_min: number;
  ambiguous_max: number;
}

export function patternParams(
  t: PatternThresholds = DEFAULT_VALIDATOR_CONFIG.tier3_accuracy.tier3b_evolution.patterns,
): PatternParams {
  return {
    expanding_degree_above: t.expanding_illicit.degree_delta_pct_above,
    expanding_volume_above: t.expanding_illicit.volume_delta_pct_above,
    expanding_anomaly_above: t.expanding_illicit.behavioral_anomaly_above,
    expanding_velocity_above: t.expanding_illicit.velocity_above,
    benign_degree_below: t.benign_indicators.degree_delta_pct_below,
    benign_volume_below: t.benign_indicators.volume_delta_pct_below,
    benign_anomaly_below: t.benign_indicators.behavioral_anomaly_below,
    dormant_degree_below: t.dormant.degree_delta_pct_below,
    dormant_volume_below: t.dormant.volume_delta_pct_below,
    dormant_velocity_below: t.dormant.velocity_below,
    expanding_illicit_min: t.expanding_illicit.expected_range[0],
    expanding_illicit_max: t.expanding_illicit.expected_range[1],
    benign_indicators_min: t.benign_indicators.expected_range[0],
    benign_indicators_max: t.benign_indicators.expected_range[1],
    dormant_min: t.dormant.expected_range[0],
    dormant_max: t.dormant.expected_range[1],
    ambiguous_min: t.ambiguous.expected_range[0],
    ambiguous_max: t.ambiguous.expected_range[1],
  };
}

/** What the pattern rule reads of one alert's address: growth over the horizon, and the later snapshot's flags. */
export interface PatternInputs {
  degree_delta_pct: number | null;
  volume_delta_pct: number | null;
  is_mixer_like: boolean | number | null;
  behavioral_anomaly_score: number | null;
  velocity_score: number | null;
}

/**
 * Growth in percent, as the validator computes it: (later - base) / base x 100, and 0 when the base
 * is not positive (a new address has no growth rate).
 */
export function deltaPct(base: number, later: number): number {
  return base > 0 ? ((later - base) / base) * 100 : 0;
}

// NULL and NaN fail every comparison (NaN already does in JS; null would coerce to 0).
const gt = (x: number | null, y: number) => x !== null && x > y;
const lt = (x: number | null, y: number) => x !== null && x < y;

/** The validator's _classify_pattern: the first rule that matches, in PATTERN_NAMES order. */
export function classifyPattern(
  row: PatternInputs,
  t: PatternThresholds = DEFAULT_VALIDATOR_CONFIG.tier3_accuracy.tier3b_evolution.patterns,
): PatternName {
  const mixer = row.is_mixer_like === true || (typeof row.is_mixer_like === 'number' && row.is_mixer_like !== 0);
  const e = t.expanding_illicit;
  if (
    gt(row.degree_delta_pct, e.degree_delta_pct_above) &&
    gt(row.volume_delta_pct, e.volume_delta_pct_above) &&
    (mixer || gt(row.behavioral_anomaly_score, e.behavioral_anomaly_above) || gt(row.velocity_score, e.velocity_above))
  )
    return 'expanding_illicit';
  const b = t.benign_indicators;
  if (
    lt(row.degree_delta_pct, b.degree_delta_pct_below) &&
    lt(row.volume_delta_pct, b.volume_delta_pct_below) &&
    lt(row.behavioral_anomaly_score, b.behavioral_anomaly_below) &&
    !mixer
  )
    return 'benign_indicators';
  const d = t.dormant;
  if (
    lt(row.degree_delta_pct, d.degree_delta_pct_below) &&
    lt(row.volume_delta_pct, d.volume_delta_pct_below) &&
    lt(row.velocity_score, d.velocity_below)
  )
    return 'dormant';
  return 'ambiguous';
}

/** The score range a pattern expects. */
export function expectedRange(
  pattern: PatternName,
  t: PatternThresholds = DEFAULT_VALIDATOR_CONFIG.tier3_accuracy.tier3b_evolution.patterns,
): readonly [number, number] {
  return t[pattern].expected_range;
}
