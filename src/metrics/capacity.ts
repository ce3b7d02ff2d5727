/**
 * Reviewing capacity: a team can look at N alerts a day. Which score threshold keeps the queue
 * within that, and what precision and recall does it give?
 *
 * The threshold is fitted where a miner would fit it, on the past (the training rows): the share
 * of alerts to flag is N divided by the alerts per day in the data, and the threshold is the
 * lowest score that flags no more than that share of the training rows (rows tied at the
 * threshold are all flagged or none, so the queue never overflows). It is then applied to the
 * held-out rows, where the flagged count per day, precision and recall are measured.
 */

/**
 * The lowest threshold t with count(score >= t) <= budget. With budget >= n every row is
 * flagged (t = the lowest score); when the top ties alone exceed the budget, t is +Infinity and
 * nothing is flagged.
 */
export function thresholdForBudget(scores: ArrayLike<number>, budget: number): number {
  const n = scores.length;
  if (n === 0) return Infinity;
  const sorted = Float64Array.from(scores).sort().reverse();
  const b = Math.floor(budget);
  if (b >= n) return sorted[n - 1]!;
  if (b <= 0) return Infinity;
  // sorted[b] is the first row that must not be flagged; walk up past its ties.
  const excluded = sorted[b]!;
  for (let i = b - 1; i >= 0; i--) if (sorted[i]! > excluded) return sorted[i]!;
  return Infinity;
}

export interface AtThreshold {
  threshold: number;
  flagged: number;
  precision: number | null;
  recall: number | null;
}

/** Flag rows with score >= threshold; precision and recall over the labelled rows. */
export function atThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): AtThreshold {
  let flagged = 0;
  let tp = 0;
  let flaggedLabelled = 0;
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    const hit = scores[i]! >= threshold;
    if (hit) flagged++;
    const y = labels[i];
    if (y !== 0 && y !== 1) continue;
    positives += y;
    if (hit) {
      flaggedLabelled++;
      tp += y;
    }
  }
  return {
    threshold,
    flagged,
    precision: flaggedLabelled > 0 ? tp / flaggedLabelled : null,
    recall: positives > 0 ? tp / positives : null,
  };
}

export interface CapacityResult extends AtThreshold {
  capacityPerDay: number;
  /** Share of alerts the capacity allows, from the data's alerts per day. */
  share: number;
  flaggedPerDay: number;
}

/**
 * Fit the threshold on `fitScores` (the training rows) for `capacityPerDay` given the data's
 * `alertsPerDay`, then measure it on the held-out scores and labels spanning `heldOutDays` days.
 */
export function capacityMetrics(
  fitScores: ArrayLike<number>,
  heldOut: { scores: ArrayLike<number>; labels: ArrayLike<number>; days: number },
  capacityPerDay: number,
  alertsPerDay: number,
): CapacityResult {
  const share = alertsPerDay > 0 ? Math.min(1, capacityPerDay / alertsPerDay) : 1;
  const threshold = thresholdForBudget(fitScores, share * fitScores.length);
  const result = atThreshold(heldOut.scores, heldOut.labels, threshold);
  return { ...result, capacityPerDay, share, flaggedPerDay: heldOut.days > 0 ? result.flagged / heldOut.days : 0 };
}
