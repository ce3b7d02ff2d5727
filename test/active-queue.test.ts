import { describe, expect, it } from 'vitest';
import { entropy, nextBatch, operatingThreshold, QUERY_STRATEGIES, type QueuePool } from '../src/active/queue.ts';
import { separable } from './active-fixtures.ts';

/** A pool of 2-row alert groups with probabilities set per group, none labelled. */
function pool(pGroup: number[], opts: { labelled?: number[]; x?: Float32Array; columns?: number } = {}): QueuePool {
  const groups = pGroup.length;
  const group = Int32Array.from({ length: groups * 2 }, (_, r) => r >> 1);
  // The second window is a little less suspicious: the group's probability is the first row's.
  const p = Float64Array.from({ length: groups * 2 }, (_, r) => pGroup[r >> 1]! - (r & 1) * 0.01);
  const labelled = new Uint8Array(groups);
  for (const g of opts.labelled ?? []) labelled[g] = 1;
  return {
    p,
    group,
    rows: Int32Array.from({ length: groups * 2 }, (_, r) => r),
    labelled,
    x: opts.x,
    columns: opts.columns,
  };
}

describe('labelling queue', () => {
  it('uncertainty picks the alerts closest to 0.5, once per alert, skipping labelled ones', () => {
    const q = nextBatch(pool([0.05, 0.48, 0.9, 0.55, 0.51, 0.3], { labelled: [4] }), {
      strategy: 'uncertainty',
      batch: 3,
      seed: 1,
    });
    expect(q.map((i) => i.group)).toEqual([1, 3, 5]);
    // Each item is represented by the group's highest-probability row.
    expect(q.map((i) => i.row)).toEqual([2, 6, 10]);
    expect(q[0]!.priority).toBeCloseTo(entropy(0.48));
  });

  it('margin picks the alerts nearest the operating threshold, not nearest 0.5', () => {
    // Ten alerts; a positive share of 0.2 puts the cut at the 80th percentile (0.8).
    const ps = [0.05, 0.1, 0.2, 0.3, 0.45, 0.5, 0.6, 0.7, 0.8, 0.95];
    expect(operatingThreshold(Float64Array.from(ps), 0.2)).toBe(0.8);
    const margin = nextBatch(pool(ps), { strategy: 'margin', batch: 3, seed: 1, positiveShare: 0.2 });
    expect(margin.map((i) => i.group)).toEqual([8, 7, 9]);
    const uncertainty = nextBatch(pool(ps), { strategy: 'uncertainty', batch: 3, seed: 1 });
    expect(uncertainty.map((i) => i.group).sort()).toEqual([4, 5, 6]);
  });

  it('margin defaults the positive share to the mean probability', () => {
    const ps = [0.1, 0.1, 0.1, 0.1, 0.9];
    const q = nextBatch(pool(ps), { strategy: 'margin', batch: 1, seed: 1 });
    // Mean 0.26: the cut is the top fifth, i.e. at 0.9.
    expect(q[0]!.group).toBe(4);
  });

  it('random is seeded, uniform over unlabelled alerts and never repeats an alert', () => {
    const ps = Array.from({ length: 200 }, (_, i) => i / 200);
    const a = nextBatch(pool(ps, { labelled: [0, 1, 2] }), { strategy: 'random', batch: 50, seed: 7 });
    const b = nextBatch(pool(ps, { labelled: [0, 1, 2] }), { strategy: 'random', batch: 50, seed: 7 });
    const c = nextBatch(pool(ps, { labelled: [0, 1, 2] }), { strategy: 'random', batch: 50, seed: 8 });
    expect(a).toEqual(b);
    expect(a.map((i) => i.group)).not.toEqual(c.map((i) => i.group));
    const groups = a.map((i) => i.group);
    expect(new Set(groups).size).toBe(50);
    expect(groups.some((g) => g <= 2)).toBe(false);
    // Not the uncertainty order, nor any order by p: both halves of the range are drawn.
    expect(groups.filter((g) => g < 100).length).toBeGreaterThan(10);
    expect(groups.filter((g) => g >= 100).length).toBeGreaterThan(10);
  });

  it('diversity spreads a batch over the feature space instead of one dense corner', () => {
    // Two clusters of equally uncertain alerts: 40 near the origin, 4 far away. Uncertainty
    // alone takes the tie order; diversity must reach the far cluster within a batch of 4.
    const columns = 2;
    const n = 44;
    const x = new Float32Array(n * 2 * columns);
    for (let g = 0; g < n; g++) {
      const far = g >= 40;
      for (let w = 0; w < 2; w++) {
        x[(2 * g + w) * columns] = (far ? 10 : 0) + 0.01 * g;
        x[(2 * g + w) * columns + 1] = 0.01 * w;
      }
    }
    const ps = Array.from({ length: n }, () => 0.5);
    const q = nextBatch(pool(ps, { x, columns, labelled: [0] }), {
      strategy: 'diversity',
      batch: 4,
      seed: 3,
      diversityPool: 20,
    });
    expect(q).toHaveLength(4);
    // The labelled alert (0) sits in the near cluster, so the first pick is in the far one.
    expect(q[0]!.group).toBeGreaterThanOrEqual(40);
    expect(q.some((i) => i.group < 40)).toBe(true);
    // Distances at pick time shrink: farthest first.
    for (let i = 1; i < q.length; i++) expect(q[i]!.priority).toBeLessThanOrEqual(q[i - 1]!.priority);
  });

  it('diversity prefers uncertain candidates: confident alerts are not in its shortlist', () => {
    const d = separable(100, 4);
    const ps = Array.from({ length: 100 }, (_, g) => (g < 10 ? 0.5 : 0.99));
    const q = nextBatch(pool(ps, { x: d.x, columns: d.columns }), {
      strategy: 'diversity',
      batch: 5,
      seed: 1,
      diversityPool: 2,
    });
    expect(q.every((i) => i.group < 10)).toBe(true);
  });

  it('every strategy returns a full batch of distinct unlabelled alerts, and fewer when few remain', () => {
    const d = separable(60, 2);
    const ps = Array.from({ length: 60 }, (_, g) => ((g * 37) % 100) / 100);
    for (const strategy of QUERY_STRATEGIES) {
      const q = nextBatch(pool(ps, { x: d.x, columns: d.columns, labelled: [1, 2, 3] }), {
        strategy,
        batch: 10,
        seed: 5,
      });
      expect(q, strategy).toHaveLength(10);
      expect(new Set(q.map((i) => i.group)).size, strategy).toBe(10);
      expect(
        q.some((i) => [1, 2, 3].includes(i.group)),
        strategy,
      ).toBe(false);
      const all = Array.from({ length: 60 }, (_, g) => g).filter((g) => g > 1);
      const few = nextBatch(pool(ps, { x: d.x, columns: d.columns, labelled: all }), { strategy, batch: 10, seed: 5 });
      expect(few.map((i) => i.group).sort(), strategy).toEqual([0, 1]);
    }
  });

  it('diversity without the feature matrix is an error, not a silent fallback', () => {
    expect(() => nextBatch(pool([0.5, 0.4]), { strategy: 'diversity', batch: 1, seed: 1 })).toThrow(/feature matrix/);
  });
});
