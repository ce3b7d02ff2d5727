/**
 * One submission's scorecard: every tier (tier1.ts ... final.ts) run as the validator's coordinator
 * runs them, flattened under the validator's own key names so a miner recognises each figure, plus
 * the pattern counts, each tier's status and the notes that explain a missing or default figure.
 *
 * Tiers 2 and 3 are computed only when Tier 1 passes or is not a gate (the coordinator returns at
 * the gate); when it is not a gate, rows whose score is not in 0..1 are left out of them.
 */
import type { ValidatorConfig } from './config.ts';
import { finalScore, type ValidationStatus } from './final.ts';
import type { SubmissionRow } from './submission.ts';
import { tier1, type Tier1Failure } from './tier1.ts';
import { tier2, type Tier2Input } from './tier2.ts';
import { tier3a, type AddressLabelRow } from './tier3a.ts';
import { emptyPatternCounts, tier3b, type EvolutionPatternRow, type PatternCounts } from './tier3b.ts';

export interface ScorecardInput {
  processing_date: string;
  window_days: number;
  rows: readonly SubmissionRow[];
  /** The data's alerts of this date and window: alert_id to address. */
  alerts: ReadonlyMap<string, string>;
  addressLabels: readonly AddressLabelRow[];
  /** Evolution rows of this date and window; null when the later snapshot is not loaded. */
  evolution: readonly EvolutionPatternRow[] | null;
  others: Tier2Input['others'];
  previous: Tier2Input['previous'];
  ageDays: number;
}

export type TierStatus =
  | 'passed'
  | 'failed'
  | 'scored'
  | 'undefined'
  | 'disabled'
  | 'not_run'
  | 'no_labels'
  | 'one_class'
  | 'no_evolution_data'
  | 'too_recent';

export interface Scorecard {
  processing_date: string;
  window_days: number;
  days_since_submission: number;
  status: 'accepted' | 'rejected';
  reason: 'tier1_failed' | 'tier2_below_minimum' | null;
  validation_status: ValidationStatus;
  tier1_passed: boolean;
  tier1_has_all_alerts: 0 | 1;
  tier1_alerts_known: 0 | 1;
  tier1_score_range_valid: 0 | 1;
  tier1_no_duplicates: 0 | 1;
  tier1_metadata_valid: 0 | 1;
  tier1_integrity_score: number;
  tier1_failures: Tier1Failure[];
  tier2_distribution_entropy: number | null;
  tier2_rank_correlation: number | null;
  tier2_consistency_score: number | null;
  tier2_behavior_score: number | null;
  tier3_gt_auc: number | null;
  tier3_gt_brier: number | null;
  tier3_gt_coverage: number | null;
  tier3_gt_score: number | null;
  tier3_auc_score: number | null;
  tier3_brier_score: number | null;
  tier3_pattern_accuracy: number | null;
  tier3_evolution_score: number | null;
  tier3_evolution_coverage: number | null;
  tier3b_address_consistency: number | null;
  tier3_score: number | null;
  final_score: number | null;
  pattern_counts: PatternCounts;
  tier_status: { tier1: TierStatus; tier2: TierStatus; tier3a: TierStatus; tier3b: TierStatus };
  /** Alerts scored, labelled by address labels (3A) and with an evolution row (3B). */
  counts: { alerts: number; scored: number; labelled: number; labelled_positive: number; evolved: number };
  consensus_submissions: number | null;
  consistency_date: string | null;
  notes: string[];
}

export function scorecard(input: ScorecardInput, config: ValidatorConfig): Scorecard {
  const where = `${input.processing_date}, ${input.window_days}-day window`;
  const t1 = tier1(input.rows, [...input.alerts.keys()], where);
  const { failures, tier1_passed, tier1_integrity_score, ...flags } = t1;
  const gated = config.tier1_integrity.enabled && config.tier1_integrity.is_gate && !tier1_passed;
  const notes: string[] = [];
  const card: Scorecard = {
    processing_date: input.processing_date,
    window_days: input.window_days,
    days_since_submission: input.ageDays,
    status: 'rejected',
    reason: 'tier1_failed',
    validation_status: 'rejected',
    tier1_passed,
    ...flags,
    tier1_integrity_score,
    tier1_failures: failures,
    tier2_distribution_entropy: null,
    tier2_rank_correlation: null,
    tier2_consistency_score: null,
    tier2_behavior_score: null,
    tier3_gt_auc: null,
    tier3_gt_brier: null,
    tier3_gt_coverage: null,
    tier3_gt_score: null,
    tier3_auc_score: null,
    tier3_brier_score: null,
    tier3_pattern_accuracy: null,
    tier3_evolution_score: null,
    tier3_evolution_coverage: null,
    tier3b_address_consistency: null,
    tier3_score: null,
    final_score: 0,
    pattern_counts: emptyPatternCounts(),
    tier_status: {
      tier1: tier1_passed ? 'passed' : 'failed',
      tier2: 'not_run',
      tier3a: 'not_run',
      tier3b: 'not_run',
    },
    counts: {
      alerts: input.alerts.size,
      scored: new Set(input.rows.map((r) => r.alert_id)).size,
      labelled: 0,
      labelled_positive: 0,
      evolved: 0,
    },
    consensus_submissions: null,
    consistency_date: null,
    notes,
  };
  if (gated) {
    notes.push('Tier 1 failed: the validator rejects the submission (final score 0) and computes no other tier');
    return card;
  }
  let rows = input.rows;
  if (!tier1_passed) {
    rows = rows.filter((r) => r.score >= 0 && r.score <= 1);
    notes.push('Tier 1 failed but is not a gate: later tiers use only the rows whose score is in 0..1');
  }

  if (config.tier2_behavioral.enabled) {
    const t2 = tier2({ rows, others: input.others, previous: input.previous }, config);
    card.tier2_distribution_entropy = t2.tier2_distribution_entropy;
    card.tier2_rank_correlation = t2.tier2_rank_correlation;
    card.tier2_consistency_score = t2.tier2_consistency_score;
    card.tier2_behavior_score = t2.tier2_behavior_score;
    card.consensus_submissions = t2.consensus_submissions;
    card.consistency_date = t2.consistency_date;
    card.tier_status.tier2 = t2.tier2_behavior_score === null ? 'undefined' : 'scored';
    notes.push(...t2.notes.map((n) => `Tier 2: ${n}`));
  } else card.tier_status.tier2 = 'disabled';

  const a = tier3a(rows, input.alerts, input.addressLabels, config);
  card.tier3_gt_auc = a.tier3_gt_auc;
  card.tier3_gt_brier = a.tier3_gt_brier;
  card.tier3_gt_coverage = a.tier3_gt_coverage;
  card.tier3_gt_score = a.tier3_gt_score;
  card.counts.labelled = a.labelled;
  card.counts.labelled_positive = a.positives;
  card.tier_status.tier3a = a.tier3_gt_score !== null ? 'scored' : a.labelled === 0 ? 'no_labels' : 'one_class';
  notes.push(...a.notes.map((n) => `Tier 3A: ${n}`));

  const b3 = config.tier3_accuracy.tier3b_evolution;
  const b = input.evolution ? tier3b(rows, input.alerts, input.evolution, config) : null;
  if (b) {
    card.tier3_auc_score = b.tier3_auc_score;
    card.tier3_brier_score = b.tier3_brier_score;
    card.tier3_pattern_accuracy = b.tier3_pattern_accuracy;
    card.tier3_evolution_score = b.tier3_evolution_score;
    card.tier3_evolution_coverage = b.tier3_evolution_coverage;
    card.tier3b_address_consistency = b.tier3b_address_consistency;
    card.pattern_counts = b.pattern_counts;
    card.counts.evolved = b.evaluated;
    notes.push(...b.notes.map((n) => `Tier 3B: ${n}`));
  } else notes.push(`Tier 3B: the snapshot ${b3.horizon_days} days after ${input.processing_date} is not loaded`);
  card.tier_status.tier3b =
    input.ageDays < b3.required_days
      ? 'too_recent'
      : b && b.tier3_evolution_score !== null
        ? 'scored'
        : 'no_evolution_data';
  if (input.ageDays < b3.required_days)
    notes.push(
      `Tier 3B: the submission is ${input.ageDays} days old; the validator computes 3B from ${b3.required_days} days`,
    );

  const f = finalScore(
    {
      tier1Passed: tier1_passed,
      tier2: card.tier2_behavior_score,
      tier3a: { score: a.tier3_gt_score, coverage: a.tier3_gt_coverage },
      tier3b: { score: b?.tier3_evolution_score ?? null, coverage: b?.tier3_evolution_coverage ?? 0 },
      ageDays: input.ageDays,
    },
    config,
  );
  card.status = f.status;
  card.reason = f.reason;
  card.validation_status = f.validation_status;
  card.tier3_score = f.tier3_score;
  card.final_score = f.final_score;
  if (f.validation_status === 'flat_period')
    notes.push(
      `the submission is ${input.ageDays} days old, under the flat period of ${config.reward_schedule.flat_period_days} days: the final score is the flat reward`,
    );
  return card;
}
