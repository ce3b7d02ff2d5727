/**
 * The validator preview as tidy rows, for a compare cell's published result `board.validator`:
 * one row per strategy and held-out snapshot, the figures under the validator's key names, so a
 * notebook's table and plot cells draw them like any other result.
 */
import { byFinalScore, type ValidatorPreview } from './preview.ts';
import { PREVIEW_COLUMNS } from './render.ts';

/** What one row is, for the compare cell's list of results. */
export const PREVIEW_ROWS_TEXT =
  'the validator preview, one row per strategy and held-out snapshot, best mean final score first: rank, strategy, processing_date, window_days, days_old, validation_status, tier1_passed (1/0), tier2_distribution_entropy, tier2_rank_correlation, tier2_consistency_score, tier2_behavior_score, tier3_gt_auc, tier3_gt_coverage, tier3_auc_score, tier3_brier_score, tier3_pattern_accuracy, tier3_evolution_score, tier3_evolution_coverage, tier3_score, final_score, final_mean (over the snapshots), note (why a strategy has no row figures)';

export const PREVIEW_ROW_COLUMNS: [string, 'VARCHAR' | 'DOUBLE' | 'BIGINT'][] = [
  ['rank', 'BIGINT'],
  ['strategy', 'VARCHAR'],
  ['processing_date', 'VARCHAR'],
  ['window_days', 'BIGINT'],
  ['days_old', 'BIGINT'],
  ['validation_status', 'VARCHAR'],
  ...PREVIEW_COLUMNS.map(([, k]): [string, 'DOUBLE' | 'BIGINT'] => [k, k === 'tier1_passed' ? 'BIGINT' : 'DOUBLE']),
  ['final_mean', 'DOUBLE'],
  ['note', 'VARCHAR'],
];

export function previewRows(preview: ValidatorPreview | undefined): Record<string, string | number | null>[] {
  if (!preview) return [];
  return byFinalScore(preview.entries).flatMap((e, i): Record<string, string | number | null>[] => {
    const base = { rank: i + 1, strategy: e.strategy, final_mean: e.final };
    if (e.cards.length === 0) return [{ ...base, note: e.missing ?? preview.error ?? 'not scored' }];
    return e.cards.map(({ key, card }) => ({
      ...base,
      processing_date: key.processing_date,
      window_days: key.window_days,
      days_old: card.days_since_submission,
      validation_status: card.validation_status,
      ...Object.fromEntries(
        PREVIEW_COLUMNS.map(([, k]) => [
          k,
          k === 'tier1_passed' ? (card.tier1_passed ? 1 : 0) : (card[k] as number | null),
        ]),
      ),
      note: null,
    }));
  });
}
