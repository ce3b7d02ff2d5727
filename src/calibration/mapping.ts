/**
 * A calibration mapping: a monotone (non-decreasing) function from a strategy's raw score to a
 * probability, fitted on labelled rows. Monotone, so it never reorders alerts (isotonic can tie
 * some), and so an alert's highest-scoring window stays its highest once calibrated.
 *
 * Plain data (JSON), so the run bundle and the model files carry it and a miner's own pipeline
 * can apply it to new scores.
 */

export type CalibrationMethod = 'platt' | 'isotonic';

/** Platt scaling: p = 1 / (1 + exp(-(a * score + b))). */
export interface PlattMapping {
  method: 'platt';
  a: number;
  b: number;
}

/**
 * Isotonic regression: the fitted values at knots (x ascending), linear between knots and held
 * at the end values outside them (clipped).
 */
export interface IsotonicMapping {
  method: 'isotonic';
  x: number[];
  y: number[];
}

/** The identity: scores left as they are (calibration off, or nothing to fit it on). */
export interface IdentityMapping {
  method: 'none';
}

export type CalibrationMapping = PlattMapping | IsotonicMapping | IdentityMapping;

/** Labelled points to fit on: parallel arrays, labels 0 or 1 only. */
export interface LabelledScores {
  scores: Float64Array;
  labels: Float64Array;
}

/** Keep the points whose label is 0 or 1 and whose score is a number. */
export function labelledPoints(scores: ArrayLike<number>, labels: ArrayLike<number>): LabelledScores {
  const s: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    const v = scores[i]!;
    if ((l === 0 || l === 1) && !Number.isNaN(v)) {
      s.push(v);
      y.push(l);
    }
  }
  return { scores: Float64Array.from(s), labels: Float64Array.from(y) };
}

export const sigmoid = (u: number) => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));
