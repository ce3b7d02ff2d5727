import { describe, expect, it } from 'vitest';
import { logisticLearner } from '../src/ml/learner.ts';
import { Random } from '../src/ml/random.ts';
import { confidentLearningSuspects, outOfFoldProbabilities } from '../src/quality/mislabels.ts';
import { separable } from './active-fixtures.ts';

/**
 * Separable data (no alert within 1 of the boundary) with the labels of 5% of the alert
 * groups flipped (both rows of each). Without the gap, a flip next to the boundary is a label no
 * model can dispute with confidence, and the test would measure the data, not the finder.
 */
function withFlips(seed: number) {
  const data = separable(600, seed, 6, 1);
  const y = data.truth.slice();
  const rng = new Random(seed + 100);
  const flipped = new Set(rng.sample(data.groups, Math.round(0.05 * data.groups)));
  for (let r = 0; r < data.rows; r++) if (flipped.has(data.group[r]!)) y[r] = 1 - y[r]!;
  return { ...data, y, flipped };
}

describe('suspected mislabels (confident learning)', () => {
  for (const seed of [1, 2, 3]) {
    it(`ranks the planted flips at the top (seed ${seed})`, async () => {
      const d = withFlips(seed);
      const rows = Int32Array.from({ length: d.rows }, (_, i) => i);
      const p = await outOfFoldProbabilities({
        x: d.x,
        columns: d.columns,
        rows,
        y: d.y,
        group: d.group,
        folds: 5,
        seed,
        learner: logisticLearner(),
      });
      expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
      const { suspects, thresholds } = confidentLearningSuspects(rows, d.y, p);
      expect(thresholds.positive).toBeGreaterThan(0.5);
      expect(thresholds.negative).toBeGreaterThan(0.5);
      // Flipped rows: two per flipped group. Precision among the top that many suspects.
      const flippedRows = d.flipped.size * 2;
      const top = suspects.slice(0, flippedRows);
      const hits = top.filter((s) => d.flipped.has(d.group[s.row]!)).length;
      expect(hits / flippedRows).toBeGreaterThanOrEqual(0.7);
      // Recall: most flipped rows are flagged at all (the flips nearest the boundary need not be).
      const flagged = suspects.filter((s) => d.flipped.has(d.group[s.row]!)).length;
      expect(flagged / flippedRows).toBeGreaterThanOrEqual(0.7);
      // Ranks are 1..n in order of decreasing margin; the given label is the (flipped) label.
      suspects.forEach((s, i) => {
        expect(s.rank).toBe(i + 1);
        expect(s.given).toBe(d.y[s.row]);
        if (i > 0) expect(s.margin).toBeLessThanOrEqual(suspects[i - 1]!.margin);
      });
    });
  }

  it('keeps an alert group in one fold (its twin row never trains the model that scores it)', async () => {
    // Labels that only memorising the twin could predict: random per group. Out of fold, the
    // model cannot beat chance; if twins straddled folds, a 1-nearest-neighbour-like fit would.
    const d = separable(300, 9);
    const rng = new Random(5);
    const y = new Float32Array(d.rows);
    for (let g = 0; g < d.groups; g++) y[2 * g] = y[2 * g + 1] = rng.next() < 0.5 ? 1 : 0;
    const rows = Int32Array.from({ length: d.rows }, (_, i) => i);
    const seen: Int32Array[] = [];
    const spy = {
      name: 'spy',
      async fit(x: Float32Array, columns: number, train: Int32Array, yy: Float32Array, seed: number) {
        seen.push(train.slice());
        return logisticLearner().fit(x, columns, train, yy, seed);
      },
    };
    await outOfFoldProbabilities({
      x: d.x,
      columns: d.columns,
      rows,
      y,
      group: d.group,
      folds: 4,
      seed: 1,
      learner: spy,
    });
    expect(seen).toHaveLength(4);
    for (const train of seen) {
      const groups = new Set(Array.from(train, (r) => d.group[r]!));
      // Every training group brings both of its rows.
      expect(train.length).toBe(groups.size * 2);
    }
  });

  it('flags nothing of a class that is absent and ranks deterministically', () => {
    const rows = Int32Array.from([0, 1, 2]);
    const y = Float32Array.from([0, 0, 0]);
    const p = Float64Array.from([0.9, 0.1, 0.2]);
    const r = confidentLearningSuspects(rows, y, p);
    expect(r.thresholds.positive).toBe(Infinity);
    expect(r.suspects).toEqual([]);
  });
});
