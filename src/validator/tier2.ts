/**
 * Tier 2, behaviour (tier2_behavioral.py): three figures in 0..1 and their weighted sum.
 *
 * distribution entropy: hist = numpy.histogram(scores, bins, range=(0, 1)) / number of scores
 *   (scores outside 0..1 fall in no bin but still count in the divisor); scipy's entropy of
 *   hist + epsilon, which first rescales its input to sum 1, natural log; divided by ln(bins).
 *   0 for an empty submission.
 * rank correlation: Spearman's rho (Pearson's r of average ranks, ties sharing the mean of their
 *   positions, as scipy.stats.spearmanr) between the miner's scores and the per-alert median over
 *   all submissions of the date and window, the miner's own among them; mapped to (rho + 1) / 2.
 *   0 with fewer than 2 alerts. A constant vector has no rank correlation: scipy returns NaN and
 *   so would the validator's behaviour and final score; here that is null, with a note.
 * consistency: 1 - min(mean |score today - score then|, 1) over the alert ids scored both today
 *   and on the miner's latest earlier date of the same window; default_consistency (0.7) when there
 *   is no earlier date or fewer than min_shared_alerts ids in both.
 * tier2_behavior_score = entropy_weight x entropy + rank_correlation_weight x rank correlation +
 *   consistency_weight x consistency.
 */
import type { ValidatorConfig } from './config.ts';
import { scoresById, type SubmissionRow } from './submission.ts';

type Tier2Config = ValidatorConfig['tier2_behavioral'];

/** numpy.histogram(values, bins, range=(0, 1)) counts, edge for edge: edges are i / bins (linspace). */
export function histogram01(values: ArrayLike<number>, bins: number): number[] {
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? 1 : i * (1 / bins)));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!(x >= 0 && x <= 1)) continue;
    // numpy: index = floor(x * bins), the last edge closed, then corrected against the edges.
    let k = Math.floor(x * bins);
    if (k === bins) k--;
    if (x < edges[k]!) k--;
    else if (k !== bins - 1 && x >= edges[k + 1]!) k++;
    counts[k]!++;
  }
  return counts;
}

export function distributionEntropy(scores: ArrayLike<number>, cfg: Tier2Config): number {
  if (scores.length === 0) return 0;
  const p = histogram01(scores, cfg.entropy_bins).map((c) => c / scores.length + cfg.entropy_epsilon);
  const sum = p.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const v of p) {
    const q = v / sum;
    if (q > 0) h -= q * Math.log(q);
  }
  return h / Math.log(cfg.entropy_bins);
}

/** 1-based ranks, ties sharing the mean of their positions (scipy.stats.rankdata 'average'). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && values[idx[j + 1]!] === values[idx[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k]!] = r;
    i = j + 1;
  }
  return ranks;
}

/** Pearson's r; null when either side is constant (r undefined) or there are fewer than 2 pairs. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length;
  if (n < 2 || y.length !== n) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  // Rounding can carry |r| a hair past 1; numpy's corrcoef clips it the same way.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  return pearson(averageRanks(x), averageRanks(y));
}

/** The median; the mean of the two middle values for an even count (ClickHouse's median interpolates so). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The consensus: per alert, the median score over every submission row of the date and window.
 * Pass the miner's own rows among `rows`, as the validator's query does.
 */
export function consensusMedians(rows: Iterable<{ alert_id: string; score: number }>): Map<string, number> {
  const byAlert = new Map<string, number[]>();
  for (const r of rows) {
    if (Number.isNaN(r.score)) continue;
    let list = byAlert.get(r.alert_id);
    if (!list) byAlert.set(r.alert_id, (list = []));
    list.push(r.score);
  }
  return new Map([...byAlert].map(([id, scores]) => [id, median(scores)]));
}

export function rankCorrelation(
  mine: ReadonlyMap<string, number>,
  consensus: ReadonlyMap<string, number>,
): number | null {
  if (mine.size === 0) return 0;
  const x: number[] = [];
  const y: number[] = [];
  for (const [id, s] of mine) {
    const c = consensus.get(id);
    if (c === undefined) continue;
    x.push(s);
    y.push(c);
  }
  if (x.length < 2) return 0;
  const rho = spearman(x, y);
  return rho === null ? null : (rho + 1) / 2;
}

export function consistency(
  today: ReadonlyMap<string, number>,
  previous: ReadonlyMap<string, number> | null,
  cfg: Tier2Config,
): { score: number; shared: number } {
  if (!previous) return { score: cfg.default_consistency, shared: 0 };
  let sum = 0;
  let shared = 0;
  for (const [id, s] of today) {
    const p = previous.get(id);
    if (p === undefined) continue;
    sum += Math.abs(s - p);
    shared++;
  }
  if (shared < cfg.min_shared_alerts) return { score: cfg.default_consistency, shared };
  return { score: 1 - Math.min(sum / shared, 1), shared };
}

export interface Tier2Result {
  tier2_distribution_entropy: number;
  tier2_rank_correlation: number | null;
  tier2_consistency_score: number;
  tier2_behavior_score: number | null;
  /** Submissions the consensus median was taken over (the miner's included), and the earlier date compared with. */
  consensus_submissions: number;
  consistency_date: string | null;
  consistency_shared_alerts: number;
  notes: string[];
}

export interface Tier2Input {
  rows: readonly SubmissionRow[];
  /** Every other submission of the same date and window; the miner's own rows are added here. */
  others: readonly (readonly { alert_id: string; score: number }[])[];
  /** The miner's latest earlier submission of the same window, if any. */
  previous: { processing_date: string; rows: readonly SubmissionRow[] } | null;
}

export function tier2(input: Tier2Input, config: ValidatorConfig): Tier2Result {
  const cfg = config.tier2_behavioral;
  const mine = scoresById(input.rows);
  const entropy = distributionEntropy(
    input.rows.map((r) => r.score),
    cfg,
  );
  const consensus = consensusMedians([input.rows, ...input.others].flat());
  const rank = rankCorrelation(mine, consensus);
  const prev = input.previous ? scoresById(input.previous.rows) : null;
  const cons = consistency(mine, prev, cfg);
  const notes: string[] = [];
  if (rank === null)
    notes.push(
      'rank correlation is undefined: the scores or the consensus medians are all equal (scipy returns NaN, which would make the behaviour and final scores NaN)',
    );
  if (input.others.length === 0)
    notes.push('no other submissions: the consensus is the miner itself, so the rank correlation is 1');
  if (!input.previous)
    notes.push(`no earlier date of this window: consistency is the default ${cfg.default_consistency}`);
  else if (cons.shared < cfg.min_shared_alerts)
    notes.push(
      `${cons.shared} alert ids shared with ${input.previous.processing_date} (fewer than ${cfg.min_shared_alerts}): consistency is the default ${cfg.default_consistency}`,
    );
  const behaviour =
    rank === null
      ? null
      : cfg.entropy_weight * entropy + cfg.rank_correlation_weight * rank + cfg.consistency_weight * cons.score;
  return {
    tier2_distribution_entropy: entropy,
    tier2_rank_correlation: rank,
    tier2_consistency_score: cons.score,
    tier2_behavior_score: behaviour,
    consensus_submissions: input.others.length + 1,
    consistency_date: input.previous?.processing_date ?? null,
    consistency_shared_alerts: cons.shared,
    notes,
  };
}
