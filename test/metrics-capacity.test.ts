import { describe, expect, it } from 'vitest';
import { brierScore, reliabilityBins } from '../src/metrics/calibration.ts';
import { atThreshold, capacityMetrics, thresholdForBudget } from '../src/metrics/capacity.ts';
import { evaluateRanking } from '../src/metrics/evaluate.ts';

describe('Brier score', () => {
  it('is the mean squared difference over labelled rows', () => {
    // (0.9-1)^2 + (0.2-0)^2 + (0.6-1)^2 = 0.01 + 0.04 + 0.16 = 0.21, over 3.
    expect(brierScore([0.9, 0.2, 0.6, 0.5], [1, 0, 1, NaN])).toBeCloseTo(0.07, 12);
    expect(brierScore([0.5], [NaN])).toBeNull();
  });

  it('bins scores against positive rates', () => {
    const bins = reliabilityBins([0.05, 0.15, 0.95, 0.92], [0, 0, 1, 0], 10);
    expect(bins.map((b) => [b.lo, b.count, b.positiveRate])).toEqual([
      [0, 1, 0],
      [0.1, 1, 0],
      [0.9, 2, 0.5],
    ]);
  });
});

describe('capacity threshold', () => {
  it('flags the queue nearest the budget, never splitting a tie', () => {
    const scores = [0.9, 0.8, 0.8, 0.8, 0.5, 0.1];
    expect(thresholdForBudget(scores, 1)).toBe(0.9);
    // The 0.8 tie makes the queue 1 (t = 0.9) or 4 (t = 0.8): budget 2 is nearer 1, 3 nearer 4.
    expect(thresholdForBudget(scores, 2)).toBe(0.9);
    expect(thresholdForBudget(scores, 3)).toBe(0.8);
    expect(thresholdForBudget(scores, 4)).toBe(0.8);
    expect(thresholdForBudget(scores, 5)).toBe(0.5);
    expect(thresholdForBudget(scores, 100)).toBe(0.1);
    // A tie larger than the budget at the top: flag it (queue 3) rather than nothing (queue 0).
    expect(thresholdForBudget([0.5, 0.5, 0.5, 0.1], 2)).toBe(0.5);
    expect(thresholdForBudget([0.5, 0.5, 0.5, 0.5, 0.1], 1)).toBe(Infinity);
    expect(thresholdForBudget(scores, 0)).toBe(Infinity);
  });

  it('gives precision and recall at a threshold over labelled rows', () => {
    const r = atThreshold([0.9, 0.8, 0.7, 0.2, 0.95], [1, 0, 1, 1, NaN], 0.75);
    expect(r).toEqual({ threshold: 0.75, flagged: 3, precision: 0.5, recall: 1 / 3 });
  });

  it('fits the threshold on training scores and measures it on held-out ones', () => {
    // 10 alerts a day, capacity 2 a day: flag 20% of alerts. On 10 training scores that is 2.
    const fit = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
    const r = capacityMetrics(fit, { scores: [0.95, 0.85, 0.5, 0.92], labels: [1, 0, 1, 1], days: 2 }, 2, 10);
    expect(r.threshold).toBe(0.9);
    expect(r.share).toBeCloseTo(0.2);
    expect(r.flagged).toBe(2);
    expect(r.flaggedPerDay).toBe(1);
    expect(r.precision).toBe(1);
    expect(r.recall).toBeCloseTo(2 / 3);
  });
});

describe('evaluateRanking', () => {
  it('collects every metric, with k as a share of the alerts', () => {
    const scores = Array.from({ length: 200 }, (_, i) => i / 200);
    const labels = scores.map((s) => (s > 0.9 ? 1 : 0));
    const m = evaluateRanking(scores, labels, { k: [5], kShare: 0.01, probability: false });
    expect(m.rocAuc).toBe(1);
    expect(m.atK.map((a) => [a.label, a.k, a.precision])).toEqual([
      ['5', 5, 1],
      ['1% (2)', 2, 1],
    ]);
    expect(m.brier).toBeNull();
    expect(m).toMatchObject({ alerts: 200, labelled: 200, positives: 19 });
  });
});
