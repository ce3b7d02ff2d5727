/**
 * The board's calibration section for one label source: per finished strategy how its scores
 * were mapped to probabilities (training/calibration.ts), Brier before and after on the held-out
 * alerts, and a reliability plot per strategy (mean score against the share of positives in
 * ten score bins; before dashed, after solid; on the diagonal a probability means what it says).
 * An anomaly score has no "before": it is no probability until calibrated.
 *
 * Tests read `data-plot="calibration"`, and on the table's rows `data-strategy`, with cells
 * `data-metric` brier-before and brier-after. The table is not a `table.board`: selectors for the
 * board's own table must not find it.
 */
import * as Plot from '@observablehq/plot';
import type { Leaderboard, SourceName } from '../metrics/leaderboard.ts';
import type { ReliabilityBin } from '../metrics/calibration.ts';
import { metricText, SOURCE_TEXT } from '../notebook/report-compare.ts';
import { figure, smallMultiples } from './compare-plots.ts';
import { h } from './dom.ts';

const PHASES = { domain: ['before', 'after'], range: ['#9aa3af', '#2563eb'] };

/** The section's elements (none when no strategy was calibrated against this source). */
export function calibrationView(board: Leaderboard, source: SourceName, width: number): HTMLElement[] {
  const calibrated = board.entries.filter((e) => e.calibration?.bySource[source]);
  if (calibrated.length === 0) return [];
  const label = SOURCE_TEXT[source];
  const table = h(
    'table',
    { class: 'data calibration-table', 'data-source': source },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'strategy'),
        h('th', {}, 'calibration'),
        h(
          'th',
          { class: 'num', title: `Brier of the raw scores against ${label} (probability scores only)` },
          'Brier before',
          h('small', {}, label),
        ),
        h(
          'th',
          { class: 'num', title: `Brier of the calibrated scores against ${label}` },
          'Brier after',
          h('small', {}, label),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...calibrated.map((e) => {
        const c = e.calibration!;
        const s = c.bySource[source]!;
        return h(
          'tr',
          { 'data-strategy': e.strategy },
          h('td', { class: 'strategy' }, e.strategy),
          h('td', { class: 'muted', title: `fitted against ${c.target}` }, c.note),
          h('td', { class: 'num', 'data-metric': 'brier-before' }, metricText(s.brierBefore)),
          h('td', { class: 'num', 'data-metric': 'brier-after' }, metricText(s.brierAfter)),
        );
      }),
    ),
  );
  const grid = smallMultiples(width, calibrated.length, 220);
  const plots = h(
    'div',
    { class: 'compare-grid', style: `grid-template-columns: repeat(${grid.perRow}, minmax(0, 1fr))` },
    ...calibrated.map((e) => {
      const s = e.calibration!.bySource[source]!;
      return reliabilityPlot(e.strategy, s.before, s.after, grid.each);
    }),
  );
  const section = figure(
    'Calibration',
    `Brier and reliability on the held-out alerts against ${label}, before and after mapping each strategy's scores to probabilities fitted on the validation alerts (lower Brier is better). Plots: the share of positives (up) against the mean score (across) in ten score bins, dot size the alerts in a bin; a reliable score lies on the dashed diagonal, and an anomaly score has only its after`,
    h('div', { class: 'table-scroll' }, table),
    h(
      'p',
      { class: 'muted' },
      ...PHASES.domain.map((phase, i) =>
        h('span', { style: `color: ${PHASES.range[i]}; margin-right: 12px` }, `${i === 0 ? '╌╌' : '━━'} ${phase}`),
      ),
    ),
    plots,
  );
  section.dataset.plot = 'calibration';
  return [section];
}

function reliabilityPlot(strategy: string, before: ReliabilityBin[], after: ReliabilityBin[], width: number): Element {
  const rows = [...before.map((b) => ({ ...b, phase: 'before' })), ...after.map((b) => ({ ...b, phase: 'after' }))];
  return Plot.plot({
    width,
    height: Math.round(Math.min(240, width * 0.9)),
    marginLeft: 40,
    marginTop: 22,
    grid: true,
    x: { domain: [0, 1], label: 'mean score →' },
    y: { domain: [0, 1], label: null },
    color: { domain: PHASES.domain, range: PHASES.range },
    r: { range: [2, 6] },
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1],
        ],
        { stroke: '#cbd5e1', strokeDasharray: '4,3' },
      ),
      Plot.line(
        rows.filter((d) => d.phase === 'before'),
        { x: 'meanScore', y: 'positiveRate', stroke: 'phase', strokeDasharray: '3,3' },
      ),
      Plot.line(
        rows.filter((d) => d.phase === 'after'),
        { x: 'meanScore', y: 'positiveRate', stroke: 'phase', strokeWidth: 1.6 },
      ),
      Plot.dot(rows, {
        x: 'meanScore',
        y: 'positiveRate',
        r: 'count',
        fill: 'phase',
        title: (d: ReliabilityBin & { phase: string }) =>
          `${d.phase}: scores ${d.lo.toFixed(1)}–${d.hi.toFixed(1)}, ${d.count} alerts, mean score ${d.meanScore.toFixed(3)}, ${(100 * d.positiveRate).toFixed(1)}% positive`,
      }),
      Plot.text([before.length === 0 ? `${strategy} (after only)` : strategy], {
        frameAnchor: 'top-left',
        dy: -16,
        fontWeight: 600,
        fontSize: 12,
      }),
    ],
    document,
  });
}
