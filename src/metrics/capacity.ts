/**
 * Reviewing capacity: a team can look at N alerts a day. Which score threshold keeps the queue
 * within that, and what precision and recall does it give?
 *
 * The threshold is fitted where a miner would fit it, on the past (the training rows): the share
 * of alerts to flag is N divided by the alerts per day in the data, and the threshold is the score
 * that flags that share of the training rows. Rows tied at a threshold are all flagged or none, so
 * an exact cut may not exist (the rule's confidences tie in large groups): of the threshold that
 * flags just up to the budget and the one that flags just past it, the one whose queue is closer
 * to the budget wins. It is then applied to the held-out rows, where the flagged count per day,
 * precision and recall are measured (flagged per day shows any overflow).
 */

/**
 * The threshold t (flag score >= t) whose flagged count is nearest to `budget`, ties going to the
 * smaller queue. With budget >= n every row is flagged (t = the lowest score); with budget < 1,
 * nothing is (t = +Infinity).
 */
export function thresholdForBudget(scores: ArrayLike<number>, budget: number): number {
  const n = scores.length;
  if (n === 0) return Infinity;
  const sorted = Float64Array.from(scores).sort().reverse();
  const b = Math.floor(budget);
  if (b >= n) return sorted[n - 1]!;
  if (b <= 0) return Infinity;
  // Within budget: the lowest score above sorted[b] (the first row that must not be flagged).
  const excluded = sorted[b]!;
  let within = 0;
  while (within < b && sorted[within]! > excluded) within++;
  // Past budget: the whole tie group of sorted[b - 1] (flagged up to the end of that group).
  let past = b;
  while (past < n && sorted[past] === sorted[b - 1]) past++;
  if (within === b) return sorted[b - 1]!;
  return b - within <= past - b ? (within > 0 ? sorted[within - 1]! : Infinity) : sorted[b - 1]!;
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
