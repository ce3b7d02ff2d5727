import { describe, expect, it } from 'vitest';
import { averagePathLength, IsolationForest } from '../src/ml/isolation-forest.ts';
import { Random } from '../src/ml/random.ts';

/** n inliers from a standard normal cloud in d dimensions, then `outliers` rows far out. */
function data(n: number, d: number, outliers: number, seed = 3): { x: Float32Array; rows: number } {
  const rng = new Random(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const rows = n + outliers;
  const x = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) for (let c = 0; c < d; c++) x[r * d + c] = r < n ? normal() : 6 + normal();
  return { x, rows };
}

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('c(n), the average path length', () => {
  it('follows 2 H(n-1) - 2 (n-1)/n with the small cases fixed', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    const harmonic = (i: number) => Array.from({ length: i }, (_, k) => 1 / (k + 1)).reduce((a, b) => a + b, 0);
    // The closed form uses ln(i) + Euler's constant for H(i): close to the exact sum for large i.
    expect(averagePathLength(256)).toBeCloseTo(2 * harmonic(255) - (2 * 255) / 256, 2);
    expect(averagePathLength(256)).toBeCloseTo(2 * (Math.log(255) + 0.5772156649015329) - (2 * 255) / 256, 12);
  });
});

describe('isolation forest', () => {
  const { x, rows } = data(2000, 4, 20);
  const forest = IsolationForest.fit(x, 4, all(2000), { trees: 100, sampleSize: 256 }, 11);
  const scores = forest.score(x, rows);

  it('scores every row in (0, 1)', () => {
    for (const s of scores) {
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(1);
    }
  });

  it('scores planted outliers above the inliers', () => {
    const inliers = [...scores.slice(0, 2000)].sort((a, b) => a - b);
    const outliers = [...scores.slice(2000)];
    const p99 = inliers[Math.floor(0.99 * inliers.length)]!;
    expect(Math.min(...outliers)).toBeGreaterThan(p99);
    expect(outliers.reduce((a, b) => a + b) / outliers.length).toBeGreaterThan(0.6);
    // Inliers sit at or below 0.5 on average, as the method intends.
    expect(inliers.reduce((a, b) => a + b) / inliers.length).toBeLessThan(0.5);
  });

  it('grows each tree on a subsample of sampleSize rows, no deeper than ceil(log2(sampleSize))', () => {
    expect(forest.sampleSize).toBe(256);
    for (const t of forest.trees) expect(t.size[0]).toBe(256);
    for (const depth of forest.depths()) expect(depth).toBeLessThanOrEqual(8);
    // Leaf sizes add up to the subsample: every subsampled row lands in exactly one leaf.
    for (const t of forest.trees) {
      let leaves = 0;
      t.feature.forEach((f, n) => (leaves += f < 0 ? t.size[n]! : 0));
      expect(leaves).toBe(256);
    }
    const small = IsolationForest.fit(x, 4, all(2000), { trees: 10, sampleSize: 32 }, 1);
    for (const depth of small.depths()) expect(depth).toBeLessThanOrEqual(5);
  });

  it('uses fewer rows when there are fewer than sampleSize', () => {
    const f = IsolationForest.fit(x, 4, all(100), { trees: 5, sampleSize: 256 }, 1);
    expect(f.sampleSize).toBe(100);
    expect(f.trees[0]!.size[0]).toBe(100);
  });

  it('repeats exactly with the same seed, and differs with another', () => {
    const again = IsolationForest.fit(x, 4, all(2000), { trees: 100, sampleSize: 256 }, 11).score(x, rows);
    expect(again).toEqual(scores);
    const other = IsolationForest.fit(x, 4, all(2000), { trees: 100, sampleSize: 256 }, 12).score(x, rows);
    expect(other).not.toEqual(scores);
  });

  it('survives a JSON round trip', () => {
    const copy = IsolationForest.fromJSON(JSON.parse(JSON.stringify(forest.toJSON())));
    expect(copy.score(x, rows)).toEqual(scores);
  });

  it('stops at rows it cannot tell apart (constant features)', () => {
    const flat = new Float32Array(50 * 3).fill(1);
    const f = IsolationForest.fit(flat, 3, all(50), { trees: 3, sampleSize: 16 }, 1);
    for (const t of f.trees) expect(t.feature.length).toBe(1);
    // One leaf of 16 rows: path length c(16), score exactly 0.5.
    expect(f.score(flat, 1)[0]).toBeCloseTo(0.5, 6);
  });
});
