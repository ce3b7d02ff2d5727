/**
 * The common first step of the ranking metrics: keep the rows that have a label, sort them by
 * score (highest first) and merge equal scores into tie groups. Every metric here then walks the
 * groups, so ties are handled the same way everywhere: a tie group is one threshold, and
 * position-based metrics take the expected value over the orders a tie could be broken in.
 *
 * Labels are numbers: 1 positive, 0 negative, anything else (NaN) unlabelled and left out.
 */

export interface TieGroup {
  score: number;
  positives: number;
  negatives: number;
}

export interface Ranked {
  groups: TieGroup[];
  positives: number;
  negatives: number;
}

export function rank(scores: ArrayLike<number>, labels: ArrayLike<number>): Ranked {
  if (scores.length !== labels.length)
    throw new Error(`scores (${scores.length}) and labels (${labels.length}) differ in length`);
  const idx: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 1 && y !== 0) continue;
    if (Number.isNaN(scores[i])) throw new Error(`score ${i} is NaN`);
    idx.push(i);
  }
  // Compared, not subtracted: Infinity - Infinity is NaN, which would corrupt the sort.
  idx.sort((a, b) => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    return sb > sa ? 1 : sb < sa ? -1 : 0;
  });
  const groups: TieGroup[] = [];
  let positives = 0;
  for (const i of idx) {
    const s = scores[i]!;
    const y = labels[i]!;
    positives += y;
    const last = groups[groups.length - 1];
    if (last && last.score === s) {
      if (y === 1) last.positives++;
      else last.negatives++;
    } else groups.push({ score: s, positives: y, negatives: 1 - y });
  }
  return { groups, positives, negatives: idx.length - positives };
}
