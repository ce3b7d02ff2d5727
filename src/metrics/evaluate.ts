/**
 * All metrics of one score vector against one label source, in one record: what a leaderboard
 * cell needs. Rows without a label are left out of every metric except the capacity threshold,
 * whose queue holds every alert whether anyone labelled it or not.
 */
import { metricsAtK, type AtK } from './at-k.ts';
import { brierScore } from './calibration.ts';
import { capacityMetrics, type CapacityResult } from './capacity.ts';
import { averagePrecision, rocAuc } from './ranking.ts';

export interface EvaluationOptions {
  /** Absolute k values (50, 100). */
  k: readonly number[];
  /** k as a share of the evaluated alerts (0.01 = 1%), added after the absolute ones. */
  kShare: number;
  /** Whether scores are probabilities (only then is a Brier score meaningful). */
  probability: boolean;
  capacity?: {
    /** Scores of the training alerts, where the threshold is fitted. */
    fitScores: ArrayLike<number>;
    heldOutDays: number;
    alertsPerDay: number;
    capacityPerDay: number;
  };
}

export interface LabelledAtK extends AtK {
  /** "50", "100", "1% (13)". */
  label: string;
}

export interface SourceMetrics {
  /** Evaluated alerts, and those with a label from this source. */
  alerts: number;
  labelled: number;
  positives: number;
  rocAuc: number | null;
  prAuc: number | null;
  atK: LabelledAtK[];
  brier: number | null;
  capacity: CapacityResult | null;
}

export function evaluateRanking(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  opts: EvaluationOptions,
): SourceMetrics {
  let labelled = 0;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 0 || labels[i] === 1) {
      labelled++;
      positives += labels[i]!;
    }
  }
  const shareK = Math.max(1, Math.ceil(opts.kShare * scores.length));
  const ks = [
    ...opts.k.map((k) => ({ k, label: String(k) })),
    { k: shareK, label: `${+(opts.kShare * 100).toFixed(2)}% (${shareK})` },
  ];
  return {
    alerts: scores.length,
    labelled,
    positives,
    rocAuc: rocAuc(scores, labels),
    prAuc: averagePrecision(scores, labels),
    atK: ks.map(({ k, label }) => ({ ...metricsAtK(scores, labels, k), label })),
    brier: opts.probability ? brierScore(scores, labels) : null,
    capacity: opts.capacity
      ? capacityMetrics(
          opts.capacity.fitScores,
          { scores, labels, days: opts.capacity.heldOutDays },
          opts.capacity.capacityPerDay,
          opts.capacity.alertsPerDay,
        )
      : null,
  };
}
