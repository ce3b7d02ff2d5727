/**
 * Metrics of the top k alerts: what a reviewer who looks at the k highest scores finds.
 *
 * Only labelled rows count (rank() drops the rest), and k larger than the number of labelled rows
 * means all of them. When the k-th place falls inside a tie group, the group's rows share the
 * remaining places in expectation: each place inside a tie holds positives/size of a positive,
 * the average over every order the tie could be broken in. So results do not depend on how a sort
 * happens to order equal scores.
 *
 *   precision@k = E[positives in the top k] / min(k, n)
 *   recall@k    = E[positives in the top k] / all positives            (null without positives)
 *   NDCG@k      = DCG@k / IDCG@k with binary relevance and the standard discount:
 *                 DCG@k = sum_{i=1..k} rel_i / log2(i + 1); IDCG puts every positive first
 *                                                                      (null without positives)
 */
import { rank } from './ranked.ts';

export interface AtK {
  k: number;
  precision: number | null;
  recall: number | null;
  ndcg: number | null;
}

export function metricsAtK(scores: ArrayLike<number>, labels: ArrayLike<number>, k: number): AtK {
  if (!(k >= 1)) throw new Error(`k must be at least 1, got ${k}`);
  const { groups, positives, negatives } = rank(scores, labels);
  const n = positives + negatives;
  const cut = Math.min(Math.floor(k), n);
  if (cut === 0) return { k, precision: null, recall: null, ndcg: null };
  let place = 0; // places filled so far
  let found = 0; // expected positives in the top `cut`
  let dcg = 0;
  for (const g of groups) {
    if (place >= cut) break;
    const size = g.positives + g.negatives;
    const taken = Math.min(size, cut - place);
    const share = g.positives / size;
    found += taken * share;
    for (let i = 1; i <= taken; i++) dcg += share / Math.log2(place + i + 1);
    place += taken;
  }
  let idcg = 0;
  for (let i = 1; i <= Math.min(cut, positives); i++) idcg += 1 / Math.log2(i + 1);
  return {
    k,
    precision: found / cut,
    recall: positives > 0 ? found / positives : null,
    ndcg: positives > 0 ? dcg / idcg : null,
  };
}
