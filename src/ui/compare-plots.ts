/**
 * The leaderboard's plots, drawn with Observable Plot from a compare cell's in-memory results
 * (src/notebook/cells/compare-results.ts) for one label source: ROC and precision-recall curves
 * per strategy, where each label source's positives and negatives fall in each strategy's
 * ranking, and the training curves. Strategies keep one colour across every plot.
 */
import * as Plot from '@observablehq/plot';
import type { PlainValue } from '../db/values.ts';
import { h } from './dom.ts';

type Rows = Record<string, PlainValue>[];

/**
 * The scheme every plot colours strategies with. Sorted by name, as Plot orders a domain it is
 * not given: the notebook's own plot cells then give each strategy the same colour.
 */
const scheme = (strategies: string[]) => ({
  domain: [...strategies].sort(),
  scheme: 'observable10' as const,
  legend: true,
});
const LABEL_COLOURS = { domain: ['positive', 'negative'], range: ['#d6604d', '#4393c3'], legend: true };

export function rocPlot(rows: Rows, strategies: string[], width: number): Element {
  return Plot.plot({
    width,
    height: Math.round(Math.min(360, width * 0.8)),
    marginLeft: 44,
    grid: true,
    x: { domain: [0, 1], label: 'false-positive rate' },
    y: { domain: [0, 1], label: 'true-positive rate' },
    color: scheme(strategies),
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1],
        ],
        { stroke: '#9aa3af', strokeDasharray: '4,3' },
      ),
      Plot.line(rows, { x: 'fpr', y: 'tpr', stroke: 'strategy', strokeWidth: 1.8, title: 'strategy' }),
    ],
    document,
  });
}

/** `baseRate`: the share of positives, where a random ranking's precision sits. */
export function prPlot(rows: Rows, strategies: string[], baseRate: number | null, width: number): Element {
  return Plot.plot({
    width,
    height: Math.round(Math.min(360, width * 0.8)),
    marginLeft: 44,
    grid: true,
    x: { domain: [0, 1], label: 'recall' },
    y: { domain: [0, 1], label: 'precision' },
    color: scheme(strategies),
    marks: [
      ...(baseRate !== null ? [Plot.ruleY([baseRate], { stroke: '#9aa3af', strokeDasharray: '4,3' })] : []),
      Plot.line(rows, { x: 'recall', y: 'precision', stroke: 'strategy', strokeWidth: 1.8, title: 'strategy' }),
    ],
    document,
  });
}

/** One small plot: where the label's alerts fall in the strategy's ranking, by score percentile. */
export function scorePlot(rows: Rows, strategy: string, width: number): Element {
  return Plot.plot({
    width,
    height: 150,
    marginLeft: 40,
    marginTop: 22,
    x: { domain: [0, 1], label: 'score percentile →', tickFormat: '.0%', ticks: 5 },
    y: { label: null, tickFormat: '.0%', ticks: 4, grid: true },
    color: { ...LABEL_COLOURS, legend: false },
    marks: [
      // y1 and y2, not y: bars of both labels overlap (translucent) instead of stacking.
      Plot.rectY(rows, {
        x1: 'x0',
        x2: 'x1',
        y1: 0,
        y2: 'share',
        fill: 'label',
        fillOpacity: 0.45,
        inset: 0.5,
        title: (d: Record<string, PlainValue>) => `${String(d.label)}: ${String(d.alerts)} alerts`,
      }),
      Plot.ruleY([0]),
      Plot.text([strategy], { frameAnchor: 'top-left', dy: -16, fontWeight: 600, fontSize: 12 }),
    ],
    document,
  });
}

/** One small plot per strategy's training: validation loss solid, training loss dashed, a colour per stage. */
export function trainingPlot(rows: Rows, strategy: string, width: number): Element {
  const stages = [...new Set(rows.map((r) => String(r.stage)))];
  return Plot.plot({
    width,
    height: 150,
    marginLeft: 44,
    marginTop: 22,
    x: { label: 'epoch →', ticks: 5 },
    y: { label: null, ticks: 4, grid: true },
    color: { domain: stages, scheme: 'observable10', legend: false },
    marks: [
      Plot.line(rows, {
        x: 'epoch',
        y: 'loss',
        z: 'stage',
        stroke: 'stage',
        strokeDasharray: '3,3',
        strokeOpacity: 0.7,
      }),
      Plot.line(
        rows.filter((r) => r.val_loss !== null),
        { x: 'epoch', y: 'val_loss', z: 'stage', stroke: 'stage', strokeWidth: 1.6, title: 'stage' },
      ),
      Plot.text([stages.length > 1 ? `${strategy} (${stages.length} stages)` : strategy], {
        frameAnchor: 'top-left',
        dy: -16,
        fontWeight: 600,
        fontSize: 12,
      }),
    ],
    document,
  });
}

/** The positive/negative swatches the score plots share. */
export function labelLegend(): Element {
  return Plot.legend({ color: { domain: LABEL_COLOURS.domain, range: LABEL_COLOURS.range } });
}

/** Small plots in rows that fill `width`: how many fit, and how wide each is. */
export function smallMultiples(width: number, count: number, min = 260): { perRow: number; each: number } {
  const gap = 12;
  const perRow = Math.max(1, Math.min(count, Math.floor((width + gap) / (min + gap))));
  return { perRow, each: Math.floor((width - gap * (perRow - 1)) / perRow) };
}

export function figure(title: string, caption: string, ...content: Element[]): HTMLElement {
  return h(
    'figure',
    { class: 'compare-figure' },
    h('figcaption', {}, h('strong', {}, title), ' ', h('span', { class: 'muted' }, caption)),
    ...content,
  );
}
