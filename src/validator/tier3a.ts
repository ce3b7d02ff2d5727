/**
 * Tier 3A, address labels (tier3a_ground_truth.py). The submission is joined to the data's alerts on
 * (alert_id, processing_date, window_days), then to the address labels on (address,
 * processing_date, window_days), keeping labels whose risk_level is one of risk_levels; a row is
 * positive when its risk_level is in positive_risk_levels (high, critical).
 *
 *   tier3_gt_auc      = ROC-AUC of the joined rows (sklearn's roc_auc_score: ties count one half)
 *   tier3_gt_brier    = mean (score - label)^2 (brier_score_loss)
 *   tier3_gt_score    = tier3_gt_auc
 *   tier3_gt_coverage = joined rows / distinct alerts scored
 *
 * An address with several label rows joins once per row, as the SQL join does. With no joined row
 * the score is null and coverage 0, as the validator returns. With one class only, roc_auc_score
 * raises in the validator, which then scores nothing; here the AUC and score are null and a note
 * says so, so 3A counts as unavailable.
 */
import { brierScore } from '../metrics/calibration.ts';
import { rocAuc } from '../metrics/ranking.ts';
import type { ValidatorConfig } from './config.ts';
import { distinctAlerts, type SubmissionRow } from './submission.ts';

export interface AddressLabelRow {
  address: string;
  risk_level: string;
}

export interface Tier3aResult {
  tier3_gt_score: number | null;
  tier3_gt_auc: number | null;
  tier3_gt_brier: number | null;
  tier3_gt_coverage: number;
  labelled: number;
  positives: number;
  notes: string[];
}

/**
 * `addressOf` maps the alert ids of the submission's date and window to their address; `labels`
 * are the address labels of that date and window, risk levels as the normalised view gives them
 * (lowercase).
 */
export function tier3a(
  rows: readonly SubmissionRow[],
  addressOf: ReadonlyMap<string, string>,
  labels: readonly AddressLabelRow[],
  config: ValidatorConfig,
): Tier3aResult {
  const cfg = config.tier3_accuracy.tier3a_ground_truth;
  const levels = new Set(cfg.risk_levels);
  const positive = new Set(cfg.positive_risk_levels);
  const byAddress = new Map<string, number[]>();
  for (const l of labels) {
    if (!levels.has(l.risk_level)) continue;
    let list = byAddress.get(l.address);
    if (!list) byAddress.set(l.address, (list = []));
    list.push(positive.has(l.risk_level) ? 1 : 0);
  }
  const scores: number[] = [];
  const ys: number[] = [];
  for (const r of rows) {
    const address = addressOf.get(r.alert_id);
    if (address === undefined) continue;
    for (const y of byAddress.get(address) ?? []) {
      scores.push(r.score);
      ys.push(y);
    }
  }
  const positives = ys.reduce((a, b) => a + b, 0);
  const base = { labelled: ys.length, positives, notes: [] as string[] };
  if (ys.length === 0)
    return {
      ...base,
      tier3_gt_score: null,
      tier3_gt_auc: null,
      tier3_gt_brier: null,
      tier3_gt_coverage: 0,
      notes: ['no scored alert has an address label of this date and window'],
    };
  const total = distinctAlerts(rows);
  const brier = brierScore(scores, ys);
  const auc = scores.some(Number.isNaN) ? null : rocAuc(scores, ys);
  if (auc === null) {
    const why = scores.some(Number.isNaN)
      ? 'scores that are not numbers'
      : `only ${positives === 0 ? 'negative' : 'positive'} labels among the ${ys.length} labelled alerts`;
    base.notes.push(`${why}: the validator's roc_auc_score raises here, so it would not score 3A`);
  }
  return {
    ...base,
    tier3_gt_score: auc,
    tier3_gt_auc: auc,
    tier3_gt_brier: brier,
    tier3_gt_coverage: total > 0 ? ys.length / total : 0,
  };
}
