import { describe, expect, it } from 'vitest';
import { labelsToReach, median, summariseCurves } from '../src/active/curves.ts';
import { QUERY_STRATEGIES } from '../src/active/queue.ts';
import { simulateLearningCurves, type SimulationData } from '../src/active/simulate.ts';
import type { RowInfo } from '../src/features/matrix.ts';
import { logisticLearner } from '../src/ml/learner.ts';
import { separable } from './active-fixtures.ts';

/** 500 two-row alerts: the first 400 are the pool (earlier days), the last 100 the test date. */
function data(): SimulationData {
  const d = separable(500, 11);
  const info: RowInfo = {
    day: Int32Array.from(d.group, (g) => (g < 400 ? 1 : 2)),
    group: d.group,
    // One address per alert: the simulation keeps alert groups, not addresses, apart.
    address: d.group,
    unit: d.group,
    units: d.groups,
  };
  const rows = (from: number, to: number) => Int32Array.from({ length: (to - from) * 2 }, (_, i) => from * 2 + i);
  return { x: d.x, columns: d.columns, info, pool: rows(0, 400), test: rows(400, 500), truth: d.truth };
}

const options = {
  strategies: [...QUERY_STRATEGIES],
  batch: 10,
  budget: 60,
  initial: 10,
  repeats: 2,
  seed: 3,
  learner: logisticLearner(),
};

describe('learning-curve simulation', () => {
  it('measures every strategy at every batch, from the same seed set, and learns', async () => {
    const curves = await simulateLearningCurves(data(), options);
    // (60 - 10) / 10 = 5 query rounds after the seed set: 6 points per strategy and repeat.
    expect(curves.points).toHaveLength(QUERY_STRATEGIES.length * 2 * 6);
    expect(curves.poolAlerts).toBe(400);
    expect(curves.test.alerts).toBe(100);
    for (const repeat of [0, 1]) {
      // Same seed set: every strategy starts from the same model.
      const starts = curves.points.filter((p) => p.repeat === repeat && p.labels === 10);
      expect(new Set(starts.map((p) => p.prAuc)).size).toBe(1);
      for (const s of QUERY_STRATEGIES) {
        const curve = curves.points.filter((p) => p.repeat === repeat && p.strategy === s);
        expect(curve.map((p) => p.labels)).toEqual([10, 20, 30, 40, 50, 60]);
      }
    }
    // A linear truth is learnt: every strategy ends near the ceiling of all 400 labels.
    expect(curves.fullPool.prAuc).toBeGreaterThan(0.95);
    for (const p of curves.points.filter((q) => q.labels === 60)) expect(p.prAuc, p.strategy).toBeGreaterThan(0.85);
  });

  it('is deterministic given its seed, and the seed matters', async () => {
    const a = await simulateLearningCurves(data(), options);
    const b = await simulateLearningCurves(data(), options);
    const c = await simulateLearningCurves(data(), { ...options, seed: 4 });
    expect(a.points).toEqual(b.points);
    expect(a.points.map((p) => p.prAuc)).not.toEqual(c.points.map((p) => p.prAuc));
  });

  it('uncertainty beats random on the boundary-defined truth (averaged over repeats)', async () => {
    const curves = await simulateLearningCurves(data(), {
      ...options,
      strategies: ['uncertainty', 'random'],
      repeats: 4,
      budget: 40,
      initial: 10,
    });
    const area = (s: string) => curves.points.filter((p) => p.strategy === s).reduce((sum, p) => sum + p.prAuc, 0);
    expect(area('uncertainty')).toBeGreaterThanOrEqual(area('random'));
  });

  it('summarises the median curve and the labels needed to reach a target', async () => {
    const curves = await simulateLearningCurves(data(), options);
    const summary = summariseCurves(curves);
    expect(summary).toHaveLength(QUERY_STRATEGIES.length * 6);
    for (const row of summary) {
      expect(row.repeats).toBe(2);
      expect(row.prAucMin).toBeLessThanOrEqual(row.prAucMedian);
      expect(row.prAucMedian).toBeLessThanOrEqual(row.prAucMax);
    }
    const reach = labelsToReach(curves, 0.5);
    expect(reach.map((r) => r.strategy)).toEqual([...QUERY_STRATEGIES]);
    for (const r of reach) {
      expect(r.perRepeat).toHaveLength(2);
      expect(r.median).not.toBeNull();
    }
    // An unreachable target is reported as not reached, not as the budget.
    expect(labelsToReach(curves, 1.01).every((r) => r.median === null && r.perRepeat.every((v) => v === null))).toBe(
      true,
    );
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([10, Infinity, Infinity])).toBe(Infinity);
  });
});
