/**
 * The board's feature-importance section: per strategy that measures it (tree models: the total
 * split gain per feature, BoardEntry.importance), a bar chart of the features with the largest
 * share of the gain. Tests read `data-plot="importance"` and, on each chart, `data-strategy`.
 */
import * as Plot from '@observablehq/plot';
import type { Leaderboard } from '../metrics/leaderboard.ts';
import { figure, smallMultiples } from './compare-plots.ts';
import { h } from './dom.ts';

const TOP = 12;

/** The section's elements (none when no entry carries an importance). */
export function importanceView(board: Leaderboard, width: number): HTMLElement[] {
  const measured = board.entries.filter((e) => e.importance && e.importance.length > 0);
  if (measured.length === 0) return [];
  const grid = smallMultiples(width, measured.length, 360);
  const charts = measured.map((e) => {
    const all = e.importance!;
    const total = all.reduce((s, f) => s + f.gain, 0);
    const rows = all.slice(0, TOP).map((f) => ({ feature: f.feature, share: f.gain / total }));
    const chart = Plot.plot({
      width: grid.each,
      height: 40 + 18 * rows.length,
      marginLeft: Math.min(260, Math.round(grid.each * 0.55)),
      x: { label: 'share of the total split gain', percent: true, grid: true },
      y: { label: null, domain: rows.map((r) => r.feature) },
      marks: [
        Plot.barX(rows, {
          x: 'share',
          y: 'feature',
          fill: '#2563eb',
          title: (d: { feature: string; share: number }) => `${d.feature}: ${(100 * d.share).toFixed(1)}% of the gain`,
        }),
        Plot.ruleX([0]),
        Plot.text([e.strategy], { frameAnchor: 'top-right', dy: -16, fontWeight: 600, fontSize: 12 }),
      ],
      document,
    });
    const host = h('div', { 'data-strategy': e.strategy });
    host.append(chart);
    return host;
  });
  const section = figure(
    'Feature importance',
    `the ${TOP} features with the largest share of each tree model's total split gain, over all its trees`,
    h(
      'div',
      { class: 'compare-grid', style: `grid-template-columns: repeat(${grid.perRow}, minmax(0, 1fr))` },
      ...charts,
    ),
  );
  section.dataset.plot = 'importance';
  return [section];
}
