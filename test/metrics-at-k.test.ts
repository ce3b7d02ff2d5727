import { describe, expect, it } from 'vitest';
import { metricsAtK } from '../src/metrics/at-k.ts';

/** Every ordering of the indices that respects descending scores (ties permuted). */
function tieOrders(scores: number[]): number[][] {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const groups: number[][] = [];
  for (const i of idx) {
    const last = groups.at(-1);
    if (last && scores[last[0]!] === scores[i]) last.push(i);
    else groups.push([i]);
  }
  const perms = (a: number[]): number[][] =>
    a.length <= 1 ? [a] : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [x, ...p]));
  return groups.reduce<number[][]>((acc, g) => acc.flatMap((prefix) => perms(g).map((p) => [...prefix, ...p])), [[]]);
}

/** The metrics averaged over every tie-breaking order, computed plainly. */
function expected(scores: number[], labels: number[], k: number) {
  const orders = tieOrders(scores);
  const positives = labels.filter((l) => l === 1).length;
  const cut = Math.min(k, scores.length);
  let p = 0;
  let ndcg = 0;
  for (const order of orders) {
    const top = order.slice(0, cut);
    const found = top.filter((i) => labels[i] === 1).length;
    p += found / cut;
    const dcg = top.reduce((s, i, pos) => s + labels[i]! / Math.log2(pos + 2), 0);
    let idcg = 0;
    for (let i = 0; i < Math.min(cut, positives); i++) idcg += 1 / Math.log2(i + 2);
    ndcg += dcg / idcg;
  }
  return { precision: p / orders.length, recall: (p / orders.length) * (cut / positives), ndcg: ndcg / orders.length };
}

describe('precision, recall and NDCG at k', () => {
  it('match a hand-worked example without ties', () => {
    // Ranked labels: 1, 0, 1, 0, 0; 2 positives.
    const m = metricsAtK([0.9, 0.8, 0.7, 0.6, 0.5], [1, 0, 1, 0, 0], 3);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBe(1);
    // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3).
    expect(m.ndcg).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3)), 12);
  });

  it('take the expected value over tie orders at the cut', () => {
    const scores = [0.9, 0.5, 0.5, 0.5, 0.5, 0.1];
    const labels = [0, 1, 0, 1, 0, 1];
    for (const k of [1, 2, 3, 4, 5, 6]) {
      const m = metricsAtK(scores, labels, k);
      const e = expected(scores, labels, k);
      expect(m.precision).toBeCloseTo(e.precision, 12);
      expect(m.recall).toBeCloseTo(e.recall, 12);
      expect(m.ndcg).toBeCloseTo(e.ndcg, 12);
    }
  });

  it('use every labelled row when k exceeds them', () => {
    const m = metricsAtK([0.3, 0.2, 0.1, 0.7], [1, 0, 1, NaN], 50);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBe(1);
    expect(m.ndcg).toBeCloseTo((1 + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3)), 12);
  });

  it('handle single-class inputs', () => {
    expect(metricsAtK([0.3, 0.2], [0, 0], 1)).toEqual({ k: 1, precision: 0, recall: null, ndcg: null });
    expect(metricsAtK([0.3, 0.2], [1, 1], 1)).toEqual({ k: 1, precision: 1, recall: 0.5, ndcg: 1 });
    expect(metricsAtK([0.3], [NaN], 5)).toEqual({ k: 5, precision: null, recall: null, ndcg: null });
  });
});
