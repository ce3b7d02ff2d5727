/**
 * Tier 3B, evolution (tier3b_evolution.py): each scored alert judged by how its address evolved
 * over the horizon (the pattern of src/validator/config.ts, computed by the evolution-label SQL).
 * An alert takes part when it is in the data's alerts and has an evolution row.
 *
 *   per alert   validation score = 1 inside the pattern's expected range, else
 *                                  max(0, 1 - distance_factor x distance to the range)
 *               pattern match    = 1 inside the range, else 0
 *               label            = 1 expanding_illicit, 0 benign_indicators, otherwise
 *                                  1 if score >= label_threshold else 0 (the miner's own call)
 *   tier3_auc_score        = ROC-AUC of the labels, 0.5 when only one class is present
 *   tier3_brier_score      = mean (score - label)^2
 *   tier3_pattern_accuracy = mean pattern match
 *   tier3_evolution_score  = auc_weight x AUC + brier_weight x (1 - Brier) + pattern_accuracy_weight x accuracy
 *   tier3_evolution_coverage = alerts taking part / distinct alerts scored
 *   address consistency    = max(0, 1 + mean over addresses of the penalty for the population
 *                            standard deviation of its alerts' validation scores)
 *
 * The validator reports address consistency under the key tier2_consistency_score inside its 3B
 * results, where no score uses it; it is tier3b_address_consistency here so it does not collide
 * with Tier 2's consistency. With no alert taking part every figure is null and coverage 0.
 */
import { brierScore } from '../metrics/calibration.ts';
import { rocAuc } from '../metrics/ranking.ts';
import { PATTERN_NAMES, type PatternName, type ValidatorConfig } from './config.ts';
import { distinctAlerts, type SubmissionRow } from './submission.ts';

/** What 3B needs of one evolution row (src/labels/evolution.ts produces these and more). */
export interface EvolutionPatternRow {
  alert_id: string;
  pattern: PatternName;
}

export type PatternCounts = Record<PatternName, number>;

export interface Tier3bResult {
  tier3_evolution_score: number | null;
  tier3_auc_score: number | null;
  tier3_brier_score: number | null;
  tier3_pattern_accuracy: number | null;
  tier3_evolution_coverage: number;
  tier3b_address_consistency: number | null;
  /** Alerts taking part, by pattern. */
  pattern_counts: PatternCounts;
  evaluated: number;
  notes: string[];
}

/** The validator's _validate_single_score. */
export function rangeScore(score: number, [lo, hi]: readonly [number, number], distanceFactor: number): number {
  if (score >= lo && score <= hi) return 1;
  const distance = score < lo ? lo - score : score - hi;
  return Math.max(0, 1 - distance * distanceFactor);
}

/** Population standard deviation (numpy.std). */
export function populationStd(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / values.length);
}

export function consistencyPenalty(std: number, config: ValidatorConfig): number {
  const cfg = config.tier3_accuracy.tier3b_evolution;
  for (const step of cfg.consistency_penalty_steps) if (std < step.std_below) return step.penalty;
  return cfg.consistency_penalty_otherwise;
}

export function emptyPatternCounts(): PatternCounts {
  return Object.fromEntries(PATTERN_NAMES.map((p) => [p, 0])) as PatternCounts;
}

export function tier3b(
  rows: readonly SubmissionRow[],
  addressOf: ReadonlyMap<string, string>,
  evolution: readonly EvolutionPatternRow[],
  config: ValidatorConfig,
): Tier3bResult {
  const cfg = config.tier3_accuracy.tier3b_evolution;
  const patternsOf = new Map<string, PatternName[]>();
  for (const e of evolution) {
    let list = patternsOf.get(e.alert_id);
    if (!list) patternsOf.set(e.alert_id, (list = []));
    list.push(e.pattern);
  }
  const counts = emptyPatternCounts();
  const scores: number[] = [];
  const labels: number[] = [];
  const matches: number[] = [];
  const byAddress = new Map<string, number[]>();
  for (const r of rows) {
    const address = addressOf.get(r.alert_id);
    if (address === undefined) continue;
    for (const pattern of patternsOf.get(r.alert_id) ?? []) {
      const range = cfg.patterns[pattern].expected_range;
      const validation = rangeScore(r.score, range, cfg.distance_factor);
      counts[pattern]++;
      scores.push(r.score);
      matches.push(r.score >= range[0] && r.score <= range[1] ? 1 : 0);
      labels.push(
        pattern === 'expanding_illicit'
          ? 1
          : pattern === 'benign_indicators'
            ? 0
            : r.score < cfg.label_threshold
              ? 0
              : 1,
      );
      let list = byAddress.get(address);
      if (!list) byAddress.set(address, (list = []));
      list.push(validation);
    }
  }
  if (scores.length === 0)
    return {
      tier3_evolution_score: null,
      tier3_auc_score: null,
      tier3_brier_score: null,
      tier3_pattern_accuracy: null,
      tier3_evolution_coverage: 0,
      tier3b_address_consistency: null,
      pattern_counts: counts,
      evaluated: 0,
      notes: ['no scored alert has an evolution row (its address in both snapshots)'],
    };
  const notes: string[] = [];
  const bothClasses = labels.includes(0) && labels.includes(1);
  if (!bothClasses) notes.push(`every evolution label is ${labels[0]}: the AUC is 0.5, as the validator sets it`);
  const auc = bothClasses ? (rocAuc(scores, labels) ?? 0.5) : 0.5;
  const brier = brierScore(scores, labels)!;
  const accuracy = matches.reduce((a, b) => a + b, 0) / matches.length;
  const penalties = [...byAddress.values()].map((v) => consistencyPenalty(populationStd(v), config));
  const addressConsistency = Math.max(0, 1 + penalties.reduce((a, b) => a + b, 0) / penalties.length);
  const total = distinctAlerts(rows);
  return {
    tier3_evolution_score:
      cfg.auc_weight * auc + cfg.brier_weight * (1 - brier) + cfg.pattern_accuracy_weight * accuracy,
    tier3_auc_score: auc,
    tier3_brier_score: brier,
    tier3_pattern_accuracy: accuracy,
    tier3_evolution_coverage: total > 0 ? scores.length / total : 0,
    tier3b_address_consistency: addressConsistency,
    pattern_counts: counts,
    evaluated: scores.length,
    notes,
  };
}
