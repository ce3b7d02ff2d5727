/**
 * Reading learning curves: the median curve per strategy over repeats, and the labels each
 * strategy needs to reach a PR-AUC target (the figure that says whether active learning pays).
 */
import type { QueryStrategy } from './queue.ts';
import type { CurvePoint, LearningCurves } from './simulate.ts';

export interface CurveSummaryRow {
  strategy: QueryStrategy;
  labels: number;
  repeats: number;
  prAucMedian: number;
  prAucMin: number;
  prAucMax: number;
  rocAucMedian: number;
}

/** One row per strategy and label count: the median (and range) over repeats. */
export function summariseCurves(curves: LearningCurves): CurveSummaryRow[] {
  const cells = new Map<string, CurvePoint[]>();
  for (const p of curves.points) {
    const key = `${p.strategy}\u0000${p.labels}`;
    cells.set(key, [...(cells.get(key) ?? []), p]);
  }
  const order = curves.options.strategies;
  return [...cells.values()]
    .map((ps) => ({
      strategy: ps[0]!.strategy,
      labels: ps[0]!.labels,
      repeats: ps.length,
      prAucMedian: median(ps.map((p) => p.prAuc)),
      prAucMin: Math.min(...ps.map((p) => p.prAuc)),
      prAucMax: Math.max(...ps.map((p) => p.prAuc)),
      rocAucMedian: median(ps.map((p) => p.rocAuc)),
    }))
    .sort((a, b) => order.indexOf(a.strategy) - order.indexOf(b.strategy) || a.labels - b.labels);
}

export interface LabelsToReach {
  strategy: QueryStrategy;
  target: number;
  /** Per repeat: the fewest labels at which PR-AUC reached the target; null if never within the budget. */
  perRepeat: (number | null)[];
  /** Median over repeats (a repeat that never reached counts as more than the budget); null when the median did not reach it. */
  median: number | null;
}

export function labelsToReach(curves: LearningCurves, target: number): LabelsToReach[] {
  return curves.options.strategies.map((strategy) => {
    const perRepeat: (number | null)[] = [];
    for (let repeat = 0; repeat < curves.options.repeats; repeat++) {
      const reached = curves.points
        .filter((p) => p.strategy === strategy && p.repeat === repeat && p.prAuc >= target)
        .map((p) => p.labels);
      perRepeat.push(reached.length > 0 ? Math.min(...reached) : null);
    }
    const m = median(perRepeat.map((v) => v ?? Infinity));
    return { strategy, target, perRepeat, median: Number.isFinite(m) ? m : null };
  });
}

/** The median; the mean of the two middle values for an even count. */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
