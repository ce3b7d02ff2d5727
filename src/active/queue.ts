/**
 * The labelling queue: which alerts to label next, in batches, from a model's probabilities and
 * the feature vectors. Pure typed-array code, so it runs in the training worker, the notebook
 * and the learning-curve simulation alike.
 *
 * The unit is the alert group (one alert_id): an alert recurs across windows (7 and 30 days),
 * and one label event labels all of its rows, so a group is queued once and a group with any
 * labelled row is never queued. A group's probability is the highest of its rows' (its most
 * suspicious view, as the evaluation reduces an alert), and that row represents it.
 *
 * Query strategies:
 * - uncertainty: highest entropy of p, i.e. p closest to 0.5.
 * - margin: smallest distance between p and the operating threshold: the score above which as
 *   many alerts lie as the labels say are positive. For two classes the margin between the two
 *   class probabilities, |2p - 1|, orders alerts exactly as entropy does, so a margin to 0.5
 *   would be uncertainty again; the decision a reviewer cares about is whether an alert makes the
 *   cut of the queue, which on imbalanced data is not at 0.5.
 * - diversity: farthest-first traversal (greedy k-center) on the standardised features, over
 *   the `diversityPool` x batch most uncertain alerts: each pick is the candidate farthest from
 *   every labelled alert and every earlier pick. Restricting to uncertain candidates keeps each
 *   pick informative and the cost at candidates x (labelled + batch) distances; a pool of every
 *   alert would pick outliers first, which teach a classifier little.
 * - random: a seeded uniform draw, the baseline every strategy must beat.
 */
import { Random } from '../ml/random.ts';

export const QUERY_STRATEGIES = ['uncertainty', 'margin', 'diversity', 'random'] as const;
export type QueryStrategy = (typeof QUERY_STRATEGIES)[number];

export interface QueuePool {
  /** P(positive) per matrix row (rows outside `rows` are not read). */
  p: ArrayLike<number>;
  /** Alert group per matrix row. */
  group: Int32Array;
  /** Matrix rows that may be queued. */
  rows: Int32Array;
  /** Per group id: non-zero when the alert already has a label. */
  labelled: Uint8Array;
  /** Standardised features, row-major (diversity only). */
  x?: Float32Array;
  columns?: number;
}

export interface QueueOptions {
  strategy: QueryStrategy;
  batch: number;
  seed: number;
  /** margin: the share of alerts taken to be positive (default: the mean probability of the unlabelled alerts). */
  positiveShare?: number;
  /** diversity: candidates = this many batches of the most uncertain alerts. */
  diversityPool?: number;
}

export interface QueueItem {
  group: number;
  /** The group's representative matrix row (its highest-probability eligible row). */
  row: number;
  p: number;
  /** Why it was picked, higher first: entropy, minus the margin, the k-center distance, or a draw. */
  priority: number;
}

/** The next `batch` alerts to label, best first. Fewer when fewer unlabelled alerts remain. */
export function nextBatch(pool: QueuePool, opts: QueueOptions): QueueItem[] {
  const candidates = unlabelledGroups(pool);
  const rng = new Random(opts.seed);
  // A seeded draw per candidate breaks ties (a model with one class predicts one constant).
  const tie = Float64Array.from(candidates.rows, () => rng.next());
  const batch = Math.max(0, Math.min(opts.batch, candidates.rows.length));
  switch (opts.strategy) {
    case 'random':
      return top(candidates, tie, tie, batch);
    case 'uncertainty':
      return top(candidates, entropies(candidates.p), tie, batch);
    case 'margin': {
      const threshold = operatingThreshold(candidates.p, opts.positiveShare ?? mean(candidates.p));
      return top(
        candidates,
        candidates.p.map((p) => -Math.abs(p - threshold)),
        tie,
        batch,
      );
    }
    case 'diversity':
      return farthestFirst(pool, candidates, tie, batch, opts.diversityPool ?? 10);
  }
}

/** Binary entropy in nats; 0 at p = 0 or 1, ln 2 at 0.5. */
export function entropy(p: number): number {
  if (p <= 0 || p >= 1) return 0;
  return -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
}

/** The cut of a queue holding a `share` of `p`: its k-th highest value, k = round(share n), at least 1. */
export function operatingThreshold(p: Float64Array, share: number): number {
  if (p.length === 0) return 0.5;
  const sorted = Float64Array.from(p).sort();
  const k = Math.min(p.length, Math.max(1, Math.round(share * p.length)));
  return sorted[p.length - k]!;
}

interface Candidates {
  groups: Int32Array;
  rows: Int32Array;
  p: Float64Array;
}

/** Unlabelled groups among the eligible rows, each with its highest-probability row. */
function unlabelledGroups(pool: QueuePool): Candidates {
  const best = new Map<number, number>();
  for (const r of pool.rows) {
    const g = pool.group[r]!;
    if (pool.labelled[g]) continue;
    const current = best.get(g);
    if (current === undefined || pool.p[r]! > pool.p[current]!) best.set(g, r);
  }
  // Ascending group order, so the result does not depend on the order of `rows`.
  const groups = Int32Array.from(best.keys()).sort();
  const rows = Int32Array.from(groups, (g) => best.get(g)!);
  return { groups, rows, p: Float64Array.from(rows, (r) => pool.p[r]!) };
}

function entropies(p: Float64Array): Float64Array {
  return p.map(entropy);
}

function mean(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return a.length > 0 ? s / a.length : 0.5;
}

/** Candidate order by priority, then tie draw; the first `batch`. */
function order(priority: Float64Array, tie: Float64Array): number[] {
  return Array.from(priority.keys()).sort((a, b) => priority[b]! - priority[a]! || tie[b]! - tie[a]!);
}

function top(c: Candidates, priority: Float64Array, tie: Float64Array, batch: number): QueueItem[] {
  return order(priority, tie)
    .slice(0, batch)
    .map((i) => ({ group: c.groups[i]!, row: c.rows[i]!, p: c.p[i]!, priority: priority[i]! }));
}

function farthestFirst(
  pool: QueuePool,
  c: Candidates,
  tie: Float64Array,
  batch: number,
  poolBatches: number,
): QueueItem[] {
  const { x, columns } = pool;
  if (!x || !columns) throw new Error('diversity needs the feature matrix (x and columns)');
  const uncertainty = entropies(c.p);
  const shortlist = order(uncertainty, tie).slice(0, Math.max(batch, Math.ceil(poolBatches * batch)));
  const minDist = new Float64Array(shortlist.length).fill(Infinity);
  const taken = new Uint8Array(shortlist.length);
  const visit = (row: number) => {
    for (let i = 0; i < shortlist.length; i++) {
      const d = squaredDistance(x, columns, row, c.rows[shortlist[i]!]!);
      if (d < minDist[i]!) minDist[i] = d;
    }
  };
  // Labelled alerts are the centres already placed: one representative row each.
  const seen = new Set<number>();
  for (const r of pool.rows) {
    const g = pool.group[r]!;
    if (pool.labelled[g] && !seen.has(g)) {
      seen.add(g);
      visit(r);
    }
  }
  const out: QueueItem[] = [];
  for (let k = 0; k < batch; k++) {
    // Farthest candidate; with nothing placed yet (all Infinity) the most uncertain, the shortlist's order.
    let pick = -1;
    for (let i = 0; i < shortlist.length; i++) if (!taken[i] && (pick < 0 || minDist[i]! > minDist[pick]!)) pick = i;
    if (pick < 0) break;
    taken[pick] = 1;
    const idx = shortlist[pick]!;
    out.push({
      group: c.groups[idx]!,
      row: c.rows[idx]!,
      p: c.p[idx]!,
      priority: Number.isFinite(minDist[pick]!) ? Math.sqrt(minDist[pick]!) : Infinity,
    });
    visit(c.rows[idx]!);
  }
  return out;
}

function squaredDistance(x: Float32Array, columns: number, a: number, b: number): number {
  let s = 0;
  const ia = a * columns;
  const ib = b * columns;
  for (let j = 0; j < columns; j++) {
    const d = x[ia + j]! - x[ib + j]!;
    s += d * d;
  }
  return s;
}
