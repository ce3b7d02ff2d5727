/**
 * Calibration methods on hand-computed cases: pool-adjacent-violators on small sequences (ties,
 * clipping outside the fitted range, linear between knots), Platt scaling on separable and
 * non-separable data (where its smoothed targets give the optimum in closed form), the `auto`
 * choice, and one-class validation rows (the identity, with a note).
 */
import { describe, expect, it } from 'vitest';
import { applyIsotonic, fitIsotonic } from '../src/calibration/isotonic.ts';
import { labelledPoints } from '../src/calibration/mapping.ts';
import { applyPlatt, fitPlatt, plattTargets } from '../src/calibration/platt.ts';
import { calibrateScores, fitCalibration, logLoss } from '../src/calibration/registry.ts';

const pts = (scores: number[], labels: number[]) => ({
  scores: Float64Array.from(scores),
  labels: Float64Array.from(labels),
});

describe('isotonic regression (pool-adjacent-violators)', () => {
  it('pools the violators of a small sequence', () => {
    // y = 1 0 0 1 0 1 1: (1, 0) pool to 1/2, then with the next 0 to 1/3; (1, 0) pool to 1/2.
    const m = fitIsotonic(pts([1, 2, 3, 4, 5, 6, 7], [1, 0, 0, 1, 0, 1, 1]));
    expect(m.x).toEqual([1, 3, 4, 5, 6, 7]);
    expect(m.y.map((v) => +v.toFixed(12))).toEqual([1 / 3, 1 / 3, 0.5, 0.5, 1, 1].map((v) => +v.toFixed(12)));
    expect(Array.from([1, 2, 3, 4, 5, 6, 7], (s) => applyIsotonic(m, s))).toEqual([
      1 / 3,
      1 / 3,
      1 / 3,
      0.5,
      0.5,
      1,
      1,
    ]);
  });

  it('clips outside the fitted range and is linear between knots', () => {
    const m = fitIsotonic(pts([1, 2, 3, 4, 5], [0, 1, 0, 1, 1]));
    expect(m.x).toEqual([1, 2, 3, 4, 5]);
    expect(m.y).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(applyIsotonic(m, -100)).toBe(0);
    expect(applyIsotonic(m, 1e9)).toBe(1);
    expect(applyIsotonic(m, 1.5)).toBeCloseTo(0.25, 12);
    expect(applyIsotonic(m, 2.5)).toBe(0.5);
    expect(applyIsotonic(m, 3.25)).toBeCloseTo(0.625, 12);
  });

  it('gives tied scores one value, and keeps an already monotone sequence', () => {
    const tied = fitIsotonic(pts([2, 1, 1, 3], [1, 0, 1, 1]));
    expect(tied.x).toEqual([1, 2, 3]);
    expect(tied.y).toEqual([0.5, 1, 1]);
    const sorted = fitIsotonic(pts([0.1, 0.2, 0.3], [0, 0, 1]));
    expect(sorted.y).toEqual([0, 0, 1]);
  });
});

describe('Platt scaling', () => {
  it("uses Platt's smoothed targets", () => {
    // 3 positives, 2 negatives: (3 + 1) / (3 + 2) and 1 / (2 + 2).
    expect(Array.from(plattTargets(Float64Array.from([1, 1, 1, 0, 0])))).toEqual([0.8, 0.8, 0.8, 0.25, 0.25]);
  });

  it('stays finite on separable data: two points fit their targets exactly', () => {
    // Targets 1/3 and 2/3: sigmoid(b) = 1/3, sigmoid(a + b) = 2/3, so b = -ln 2 and a = 2 ln 2.
    const m = fitPlatt(pts([0, 1], [0, 1]));
    expect(m.b).toBeCloseTo(-Math.LN2, 8);
    expect(m.a).toBeCloseTo(2 * Math.LN2, 8);
    // Widely separated classes: still a finite slope, probabilities short of 0 and 1.
    const wide = fitPlatt(pts([0, 0.1, 0.2, 10, 10.1, 10.2], [0, 0, 0, 1, 1, 1]));
    expect(Number.isFinite(wide.a)).toBe(true);
    expect(applyPlatt(wide, 10.2)).toBeLessThan(1);
    expect(applyPlatt(wide, 10.2)).toBeGreaterThan(0.75);
    expect(applyPlatt(wide, 0)).toBeLessThan(0.25);
  });

  it('fits the mean target of each score on non-separable data with two distinct scores', () => {
    // Targets: positives 4/5, negatives 1/5. At 0: (1/5 + 1/5 + 4/5) / 3 = 2/5; at 1: 3/5.
    // So b = ln(2/3) and a + b = ln(3/2): a = 2 ln(3/2).
    const m = fitPlatt(pts([0, 0, 0, 1, 1, 1], [0, 0, 1, 0, 1, 1]));
    expect(m.b).toBeCloseTo(Math.log(2 / 3), 8);
    expect(m.a).toBeCloseTo(2 * Math.log(1.5), 8);
    // The same on another scale: the fit is the same function of the score.
    const scaled = fitPlatt(pts([100, 100, 100, 300, 300, 300], [0, 0, 1, 0, 1, 1]));
    expect(applyPlatt(scaled, 100)).toBeCloseTo(0.4, 8);
    expect(applyPlatt(scaled, 300)).toBeCloseTo(0.6, 8);
  });

  it('fits only the intercept when every score is the same', () => {
    // Targets: 3 positives at 4/5, 2 negatives at 1/4; the mean (12/5 + 1/2) / 5 = 0.58.
    const m = fitPlatt(pts([2, 2, 2, 2, 2], [1, 1, 1, 0, 0]));
    expect(m.a).toBe(0);
    expect(applyPlatt(m, 2)).toBeCloseTo(0.58, 12);
  });
});

describe('fitCalibration', () => {
  it('leaves one-class or unlabelled rows as they are, and says why', () => {
    const one = fitCalibration(pts([0.1, 0.5, 0.9], [0, 0, 0]), 'auto', 1);
    expect(one.mapping).toEqual({ method: 'none' });
    expect(one.note).toBe('not calibrated: the 3 labelled validation rows are all negative; scores left as they are');
    expect(Array.from(calibrateScores(one.mapping, [3, 7]))).toEqual([3, 7]);
    const none = fitCalibration(labelledPoints([0.2, 0.4], [NaN, NaN]), 'platt', 1);
    expect(none.note).toBe('not calibrated: no labelled validation rows; scores left as they are');
    expect(fitCalibration(pts([0, 1], [0, 1]), 'none', 1).mapping).toEqual({ method: 'none' });
  });

  it('fits the method asked for, and with auto the one with the lower cross-validated log-loss', () => {
    // A step: positives above 0.5 with every tenth label flipped.
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 400; i++) {
      const s = i / 400;
      scores.push(s);
      labels.push((s > 0.5 ? i % 10 !== 0 : i % 10 === 0) ? 1 : 0);
    }
    const points = pts(scores, labels);
    expect(fitCalibration(points, 'platt', 1).mapping.method).toBe('platt');
    expect(fitCalibration(points, 'isotonic', 1).mapping.method).toBe('isotonic');
    const auto = fitCalibration(points, 'auto', 1);
    const cv = auto.crossValidated!;
    expect(auto.mapping.method).toBe(cv.platt! < cv.isotonic! ? 'platt' : 'isotonic');
    expect(auto.note).toMatch(
      /^(platt|isotonic) fitted on 400 labelled validation rows, \d+ positive \(auto: log-loss/,
    );
    // Calibrated: between the noise's own entropy (0.325) and a constant 0.5's log-loss (ln 2).
    const p = calibrateScores(auto.mapping, scores);
    expect(logLoss(p, labels)).toBeGreaterThan(0.325);
    expect(logLoss(p, labels)).toBeLessThan(0.45);
  });

  it('takes Platt when a class has fewer labels than folds', () => {
    const fit = fitCalibration(pts([0.1, 0.2, 0.3, 0.8, 0.9, 0.7, 0.6], [0, 0, 0, 1, 1, 0, 0]), 'auto', 1);
    expect(fit.mapping.method).toBe('platt');
    expect(fit.note).toMatch(/too few of a class/);
  });
});

describe('logLoss', () => {
  it('is the mean negative log-likelihood, clipped away from 0 and 1', () => {
    expect(logLoss([0.5, 0.5], [0, 1])).toBeCloseTo(Math.LN2, 12);
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log(1e-15), 6);
  });
});
