import { describe, expect, it } from 'vitest';
import { averagePrecision, prCurve, rocAuc, rocCurve } from '../src/metrics/ranking.ts';
import { Random } from '../src/ml/random.ts';

/** ROC-AUC by definition: over every (positive, negative) pair, 1 if the positive scores higher, 1/2 on a tie. */
function bruteForceAuc(scores: number[], labels: number[]): number {
  let pairs = 0;
  let wins = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('ROC-AUC', () => {
  it('equals brute-force pair counting, ties counting one half', () => {
    const rng = new Random(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + rng.int(60);
      // Scores from a handful of values, so ties are everywhere.
      const scores = Array.from({ length: n }, () => rng.int(6) / 5);
      const labels = Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
      if (!labels.includes(1) || !labels.includes(0)) continue;
      expect(rocAuc(scores, labels)).toBeCloseTo(bruteForceAuc(scores, labels), 12);
    }
  });

  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 when everything ties', () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
  });

  it('skips unlabelled rows and is undefined (null) with one class only', () => {
    expect(rocAuc([0.9, 0.1, 0.5], [1, 0, NaN])).toBe(1);
    expect(rocAuc([0.9, 0.1, 0.5], [1, 1, 1])).toBeNull();
    expect(rocAuc([0.9, 0.1], [0, 0])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
  });

  it('has a curve from (0,0) to (1,1) with one point per distinct score', () => {
    const curve = rocCurve([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0]);
    expect(curve.map((p) => [p.x, p.y])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
  });
});

describe('PR-AUC (average precision, step-wise)', () => {
  it('matches a hand-worked example', () => {
    // Ranked: 0.9 (+), 0.8 (-), 0.7 (+), 0.6 (-), 0.5 (+); 3 positives.
    // Recall steps of 1/3 at ranks 1, 3, 5 with precision 1, 2/3, 3/5:
    // AP = (1 + 2/3 + 3/5) / 3 = 0.755555...
    expect(averagePrecision([0.9, 0.8, 0.7, 0.6, 0.5], [1, 0, 1, 0, 1])).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 3, 12);
  });

  it('treats a tie group as one threshold', () => {
    // Scores 0.9 (+), then a tie {0.5: +, -, -}: thresholds give (R, P) = (1/2, 1), then (1, 2/4).
    // AP = 1/2 * 1 + 1/2 * 1/2 = 0.75, whatever order a sort leaves the tie in.
    expect(averagePrecision([0.9, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBeCloseTo(0.75, 12);
    expect(averagePrecision([0.5, 0.5, 0.9, 0.5], [0, 1, 1, 0])).toBeCloseTo(0.75, 12);
  });

  it('is 1 with positives only, null without positives', () => {
    expect(averagePrecision([0.1, 0.2], [1, 1])).toBe(1);
    expect(averagePrecision([0.1, 0.2], [0, 0])).toBeNull();
  });

  it('has a curve ending at recall 1 with the base rate as precision', () => {
    const curve = prCurve([0.9, 0.8, 0.1, 0.2], [1, 0, 1, 0]);
    expect(curve.at(-1)).toMatchObject({ x: 1, y: 0.5 });
    expect(curve[0]).toMatchObject({ x: 0.5, y: 1, threshold: 0.9 });
  });
});
