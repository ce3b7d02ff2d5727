/**
 * What each figure of a scorecard is, once: its tier, a short label and the sentence that explains
 * it. The CLI's table, the leaderboard's tooltips and docs/validator.md say the same thing.
 */
import type { Scorecard } from './scorecard.ts';

export type FigureKey = Extract<
  keyof Scorecard,
  `tier1_${string}` | `tier2_${string}` | `tier3_${string}` | `tier3b_${string}` | 'final_score'
>;

export interface Figure {
  key: FigureKey;
  tier: 'Tier 1' | 'Tier 2' | 'Tier 3A' | 'Tier 3B' | 'Tier 3' | 'final';
  label: string;
  explain: string;
}

export const FIGURES: readonly Figure[] = [
  {
    key: 'tier1_passed',
    tier: 'Tier 1',
    label: 'passed',
    explain: 'All integrity checks pass. A gate: failing it makes the final score 0 and no other tier is computed.',
  },
  {
    key: 'tier1_has_all_alerts',
    tier: 'Tier 1',
    label: 'all alerts scored',
    explain: 'Every alert of the date and window has a score.',
  },
  {
    key: 'tier1_alerts_known',
    tier: 'Tier 1',
    label: 'no unknown alerts',
    explain:
      "Every scored alert_id is in the data's snapshot. Label Lab's own check: the validator compares counts only, so unknown ids could hide missing ones.",
  },
  {
    key: 'tier1_score_range_valid',
    tier: 'Tier 1',
    label: 'scores in 0..1',
    explain: 'Every score is a number in [0, 1] (NaN refused, though the validator SQL would pass it).',
  },
  { key: 'tier1_no_duplicates', tier: 'Tier 1', label: 'no duplicates', explain: 'No alert_id is scored twice.' },
  {
    key: 'tier1_metadata_valid',
    tier: 'Tier 1',
    label: 'model named',
    explain: 'Every row has a model_version and a model_github_url.',
  },
  {
    key: 'tier2_distribution_entropy',
    tier: 'Tier 2',
    label: 'entropy',
    explain:
      'Spread of the scores: entropy of a 10-bin histogram over [0, 1] (+1e-10 per bin), divided by ln 10. 1 = evenly spread, 0 = all in one bin.',
  },
  {
    key: 'tier2_rank_correlation',
    tier: 'Tier 2',
    label: 'rank correlation',
    explain:
      "Agreement with the other miners: (Spearman rho + 1) / 2 between these scores and the per-alert median over every submission, this one included. In the preview the 'other miners' are the other strategies on the board.",
  },
  {
    key: 'tier2_consistency_score',
    tier: 'Tier 2',
    label: 'consistency',
    explain:
      '1 - mean |score today - score on the latest earlier date| over alert ids in both; 0.7 when there is no earlier date or fewer than 2 shared ids (alert ids are unique per snapshot, so usually 0.7).',
  },
  {
    key: 'tier2_behavior_score',
    tier: 'Tier 2',
    label: 'behaviour score',
    explain: '0.33 entropy + 0.33 rank correlation + 0.34 consistency. Weighs 0.1 in the final score.',
  },
  {
    key: 'tier3_gt_auc',
    tier: 'Tier 3A',
    label: 'AUC',
    explain: 'ROC-AUC against address labels of the same date and window (risk level high or critical = illicit).',
  },
  {
    key: 'tier3_gt_brier',
    tier: 'Tier 3A',
    label: 'Brier',
    explain:
      'Mean squared error of the scores read as probabilities against the address labels (reported, not scored).',
  },
  {
    key: 'tier3_gt_coverage',
    tier: 'Tier 3A',
    label: 'coverage',
    explain: 'Scored alerts whose address has a label, over all alerts scored: scales 3A in tier 3.',
  },
  { key: 'tier3_gt_score', tier: 'Tier 3A', label: 'score', explain: "3A's score: its AUC." },
  {
    key: 'tier3_auc_score',
    tier: 'Tier 3B',
    label: 'AUC',
    explain:
      'ROC-AUC against evolution labels: expanding_illicit 1, benign_indicators 0, other patterns 1 when the score is >= 0.5 (so they reward whatever was said); 0.5 with one class.',
  },
  {
    key: 'tier3_brier_score',
    tier: 'Tier 3B',
    label: 'Brier',
    explain: 'Mean squared error against the same evolution labels; enters 3B as 0.3 (1 - Brier).',
  },
  {
    key: 'tier3_pattern_accuracy',
    tier: 'Tier 3B',
    label: 'pattern accuracy',
    explain:
      "Share of alerts whose score lies in its pattern's expected range (expanding_illicit 0.7-1, benign_indicators 0-0.3, dormant 0.15-0.25, ambiguous 0.3-0.7).",
  },
  {
    key: 'tier3_evolution_score',
    tier: 'Tier 3B',
    label: 'score',
    explain: '0.4 AUC + 0.3 (1 - Brier) + 0.3 pattern accuracy.',
  },
  {
    key: 'tier3_evolution_coverage',
    tier: 'Tier 3B',
    label: 'coverage',
    explain: 'Scored alerts whose address is in both the snapshot and the one 30 days later, over all alerts scored.',
  },
  {
    key: 'tier3b_address_consistency',
    tier: 'Tier 3B',
    label: 'address consistency',
    explain:
      "max(0, 1 + mean penalty) over addresses, the penalty stepping with the standard deviation of an address's per-alert validation scores (0 below 0.10, -0.05 below 0.15, -0.10 below 0.25, else -0.15). Reported by the validator, used by no score.",
  },
  {
    key: 'tier3_score',
    tier: 'Tier 3',
    label: 'tier 3',
    explain: '3A score x 3A coverage x 0.5 + 3B score x 3B coverage x 0.5 (a missing tier adds nothing).',
  },
  {
    key: 'final_score',
    tier: 'final',
    label: 'final',
    explain:
      '0.1 tier 2 + 0.9 tier 3 once the submission is 29 days old (3B counts from 30 days); before that a flat 0.1; 0 when rejected.',
  },
];

export const FIGURE_BY_KEY: ReadonlyMap<FigureKey, Figure> = new Map(FIGURES.map((f) => [f.key, f]));

/** What each status word means, for the tables' notes and tooltips. */
export const STATUS_EXPLAINED: Record<string, string> = {
  complete: 'both 3A and 3B were scored',
  tier3a_only: '3B has no score (no later snapshot, no evolution rows, or the submission is under 30 days old)',
  tier3b_only: '3A has no score (no address labels for the scored alerts, or only one class)',
  awaiting_evolution_data: 'neither 3A nor 3B has a score and the submission is under 30 days old',
  no_tier3: 'neither 3A nor 3B has a score',
  flat_period: 'the submission is under 29 days old: the final score is the flat 0.1',
  tier3_disabled: 'the configuration disables tier 3: the final score is the flat reward',
  rejected: 'Tier 1 failed (or Tier 2 is a gate and fell below its minimum): the final score is 0',
};
