/**
 * Calibration: whether a score can be read as a probability. Only meaningful for scores meant as
 * probabilities (the classifiers); anomaly scores are rankings and get no Brier score.
 *
 *   Brier = mean over labelled rows of (score - label)^2    (0 is perfect; 0.25 is a constant 0.5)
 */

export function brierScore(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) continue;
    const d = scores[i]! - y;
    sum += d * d;
    n++;
  }
  return n > 0 ? sum / n : null;
}

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  meanScore: number;
  positiveRate: number;
}

/** Equal-width bins over [0, 1]: mean score against the share of positives, for a reliability plot. */
export function reliabilityBins(scores: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  const count = new Float64Array(bins);
  const scoreSum = new Float64Array(bins);
  const posSum = new Float64Array(bins);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) continue;
    const s = Math.min(1, Math.max(0, scores[i]!));
    const b = Math.min(bins - 1, Math.floor(s * bins));
    count[b]!++;
    scoreSum[b]! += s;
    posSum[b]! += y;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    out.push({
      lo: b / bins,
      hi: (b + 1) / bins,
      count: count[b]!,
      meanScore: scoreSum[b]! / count[b]!,
      positiveRate: posSum[b]! / count[b]!,
    });
  }
  return out;
}
