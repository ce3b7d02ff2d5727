/**
 * The final score and its status words, as the validator's scoring coordinator computes them
 * (scoring_coordinator.py), given each tier's results and the submission's age in days.
 *
 *   Tier 1 failed (and a gate)           -> rejected (tier1_failed), final 0
 *   tier2 < minimum_score (and a gate)   -> rejected (tier2_below_minimum), final 0
 *   age < flat_period_days               -> final = flat reward, status flat_period
 *   tier3 disabled                       -> final = flat reward, status tier3_disabled
 *   otherwise (3B only when age >= required_days)
 *     tier3 = tier3a x coverage_3a x coverage_weight_3a + tier3b x coverage_3b x coverage_weight_3b
 *             (a tier without a score adds nothing; neither gives 0)
 *     final = tier2_weight x tier2 + tier3_weight x tier3
 *     status: complete (both), tier3a_only, tier3b_only, or, with neither,
 *             awaiting_evolution_data (age < required_days) else no_tier3
 *
 * A disabled Tier 2 counts 0. A behaviour score that is undefined (see tier2.ts) leaves the final
 * score undefined (null), as NaN would in the validator.
 */
import { flatReward, type ValidatorConfig } from './config.ts';

export const VALIDATION_STATUSES = [
  'complete',
  'tier3a_only',
  'tier3b_only',
  'awaiting_evolution_data',
  'no_tier3',
  'flat_period',
  'tier3_disabled',
  'rejected',
] as const;
export type ValidationStatus = (typeof VALIDATION_STATUSES)[number];

export interface FinalInput {
  tier1Passed: boolean;
  tier2: number | null;
  tier3a: { score: number | null; coverage: number };
  tier3b: { score: number | null; coverage: number };
  /** Days between the processing date and the day it is scored. */
  ageDays: number;
}

export interface FinalResult {
  status: 'accepted' | 'rejected';
  reason: 'tier1_failed' | 'tier2_below_minimum' | null;
  validation_status: ValidationStatus;
  /** Whether the age let 3B count (age >= required_days). */
  tier3b_counted: boolean;
  tier3_score: number | null;
  final_score: number | null;
  days_since_submission: number;
}

export function finalScore(input: FinalInput, config: ValidatorConfig): FinalResult {
  const age = input.ageDays;
  const base = { days_since_submission: age, tier3b_counted: false };
  const rejected = (reason: FinalResult['reason']): FinalResult => ({
    ...base,
    status: 'rejected',
    reason,
    validation_status: 'rejected',
    tier3_score: null,
    final_score: 0,
  });
  if (config.tier1_integrity.enabled && config.tier1_integrity.is_gate && !input.tier1Passed)
    return rejected('tier1_failed');
  const t2 = config.tier2_behavioral;
  const tier2 = t2.enabled ? input.tier2 : 0;
  if (t2.enabled && t2.is_gate && tier2 !== null && tier2 < t2.minimum_score) return rejected('tier2_below_minimum');
  const flat = (validation_status: ValidationStatus): FinalResult => ({
    ...base,
    status: 'accepted',
    reason: null,
    validation_status,
    tier3_score: null,
    final_score: flatReward(config),
  });
  if (age < config.reward_schedule.flat_period_days) return flat('flat_period');
  const t3 = config.tier3_accuracy;
  if (!t3.enabled) return flat('tier3_disabled');
  const counted = age >= t3.tier3b_evolution.required_days;
  const a = input.tier3a.score;
  const b = counted ? input.tier3b.score : null;
  let tier3 = 0;
  if (a !== null) tier3 += a * input.tier3a.coverage * t3.tier3a_ground_truth.coverage_weight;
  if (b !== null) tier3 += b * input.tier3b.coverage * t3.tier3b_evolution.coverage_weight;
  const validation_status: ValidationStatus =
    a !== null && b !== null
      ? 'complete'
      : a === null && b === null
        ? age < t3.tier3b_evolution.required_days
          ? 'awaiting_evolution_data'
          : 'no_tier3'
        : a === null
          ? 'tier3b_only'
          : 'tier3a_only';
  return {
    ...base,
    tier3b_counted: counted,
    status: 'accepted',
    reason: null,
    validation_status,
    tier3_score: tier3,
    final_score: tier2 === null ? null : tier2 * t2.weight + tier3 * t3.weight,
  };
}
