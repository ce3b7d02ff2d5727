/**
 * `npm run bench:notebook [-- --data DIR --moves 50]`
 *
 * How long a parameter change takes to reach the screen in the app, on a 1M-alert snapshot in
 * headless Chromium: the dev server serves the snapshot as the app's sample
 * (LABEL_LAB_SAMPLE_DIR), the app loads it as a user's would, and a small notebook is opened
 * through "Open file…": a bins slider and a typology select drive an aggregate query and a
 * faceted histogram drawn from it (the tour's histogram, aggregated in SQL first, as a plot of a
 * million raw rows is refused).
 *
 * Each move sets the input's value and fires its `input`/`change` event, as the browser does for
 * a user; the time runs from that event to the plot cell's new figure in the DOM (its
 * `data-figure` count going up, seen by a MutationObserver), and to the next animation frame
 * after it (the figure painted). The moves run one after another, each waiting for its figure;
 * a few first moves warm up and are not counted. The notebook's own run times (from the cells'
 * `data-duration-ms`) split that into the aggregate query, a plain `count(*)` over the filtered
 * alerts (a floor for any query on this data), and the rest (runtime, Arrow rows to Plot, SVG).
 */
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { formatTable } from '../src/cli/output.ts';
import { median, quantile } from './stats.ts';
import { benchSnapshotDir, openLoadedApp, startAppOn } from './app-session.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    moves: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
  },
});
const MOVES = Number(values.moves);
const WARMUP = Number(values.warmup);

const TYPOLOGIES = [
  'ALL',
  'PEEL_CHAIN',
  'STRUCTURING',
  'PING_PONG',
  'RAPID_FANOUT',
  'VELOCITY_ANOMALY',
  'FRESH_TO_EXCHANGE',
  'LAYERING_PATH',
];

const NOTEBOOK = `---
title: Parameter benchmark
---

A slider and a select drive an aggregate and the histogram drawn from it.

\`\`\`params controls
- {name: bins, input: range, label: Bins, min: 10, max: 100, step: 5, value: 40}
- name: typology
  input: select
  label: Typology
  options: [${TYPOLOGIES.join(', ')}]
  value: ALL
\`\`\`

\`\`\`sql confidence_bins
SELECT
  least(floor(alert_confidence_score * $bins), $bins - 1) / $bins AS bin_start,
  (least(floor(alert_confidence_score * $bins), $bins - 1) + 1) / $bins AS bin_end,
  severity,
  count(*) AS alerts
FROM alerts
WHERE alert_confidence_score IS NOT NULL
  AND ($typology = 'ALL' OR typology_type = $typology)
GROUP BY ALL
\`\`\`

A second, separate chain: a count, moved by its own slider.

\`\`\`params count_controls
- {name: min_confidence, input: range, label: Minimum confidence, min: 0, max: 1, step: 0.05, value: 0.5}
\`\`\`

\`\`\`sql alert_count
SELECT count(*) AS alerts
FROM alerts
WHERE alert_confidence_score >= $min_confidence
\`\`\`

\`\`\`plot confidence_histogram
data: confidence_bins
title: Alert confidence, one panel per severity
height: 420
marginRight: 70
marks:
  - {type: rectY, x1: bin_start, x2: bin_end, y: alerts, fill: severity, fy: severity}
  - {type: ruleX, values: [0.6, 0.75, 0.9], stroke: '#555', strokeDasharray: '4,3'}
  - {type: ruleY, values: [0]}
x: {label: Alert confidence score, domain: [0, 1]}
y: {label: Alerts, grid: true}
fy: {label: Severity, domain: [low, medium, high, critical]}
color: {domain: [low, medium, high, critical], range: ['#9ecae1', '#fdd0a2', '#fd8d3c', '#d94801']}
\`\`\`
`;

type Param = 'bins' | 'typology' | 'min_confidence';

/** What each input moves, and the cell whose DOM shows it landed. */
const TARGETS: Record<Param, { label: string; cell: string; query: string }> = {
  bins: { label: 'bins slider → histogram', cell: 'confidence_histogram', query: 'confidence_bins' },
  typology: { label: 'typology select → histogram', cell: 'confidence_histogram', query: 'confidence_bins' },
  min_confidence: { label: 'confidence slider → count(*)', cell: 'alert_count', query: 'alert_count' },
};

interface Move {
  /** Input event → the new output in the DOM (a new figure, a new result grid). */
  dom: number;
  /** Input event → the next animation frame after it (painted). */
  frame: number;
  /** The runtime's own run times of the query cell and of the cell shown. */
  query: number;
  shown: number;
}

/**
 * One move, timed inside the page: set the input, fire its event, wait for the output. A plot
 * cell counts its figures in `data-figure`; any cell counts its completed runs in `data-runs`,
 * set in the same task that replaces its output.
 */
function move(page: Page, param: Param, value: string): Promise<Move> {
  const { cell, query } = TARGETS[param];
  return page.evaluate(
    ([param, value, cell, query]) => {
      // No named functions in here: tsx's esbuild would wrap them in a helper the page lacks.
      const host = document.querySelector<HTMLElement>(`[data-cell="${cell}"]`)!;
      const queryCell = document.querySelector<HTMLElement>(`[data-cell="${query}"]`)!;
      const watched = host.querySelector<HTMLElement>('.nb-plot') ?? host;
      const attribute = watched === host ? 'data-runs' : 'data-figure';
      const before = Number(watched.getAttribute(attribute));
      return new Promise<Move>((resolve, reject) => {
        const timeout = setTimeout(
          () => reject(new Error(`no new output in ${cell} 60 s after setting ${param} to ${value}`)),
          60_000,
        );
        let t0 = 0;
        const observer = new MutationObserver(() => {
          if (Number(watched.getAttribute(attribute)) <= before || host.dataset.status !== 'done') return;
          const dom = performance.now() - t0;
          observer.disconnect();
          clearTimeout(timeout);
          requestAnimationFrame(() =>
            resolve({
              dom,
              frame: performance.now() - t0,
              query: Number(queryCell.dataset.durationMs),
              shown: Number(host.dataset.durationMs),
            }),
          );
        });
        observer.observe(watched, { attributes: true, attributeFilter: [attribute] });
        if (param === 'typology') {
          const select = document.querySelector<HTMLSelectElement>('select[data-param="typology"]')!;
          select.value = String([...select.options].findIndex((o) => o.textContent === value));
          t0 = performance.now();
          select.dispatchEvent(new Event('change', { bubbles: true }));
        } else {
          const input = document.querySelector<HTMLInputElement>(`[data-param="${param}"] input[type="range"]`)!;
          input.value = value;
          t0 = performance.now();
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }
      });
    },
    [param, value, cell, query] as const,
  );
}

/** Values that always differ from the one before (setting the same value runs nothing). */
function sequence(param: Param, n: number): string[] {
  switch (param) {
    case 'bins':
      return Array.from({ length: n }, (_, i) => String(10 + 5 * ((7 * (i + 1)) % 19)));
    case 'typology':
      return Array.from({ length: n }, (_, i) => TYPOLOGIES[(i + 1) % TYPOLOGIES.length]!);
    case 'min_confidence':
      return Array.from({ length: n }, (_, i) => ((5 * (((3 * (i + 1)) % 19) + 1)) / 100).toFixed(2));
  }
}

const dir = benchSnapshotDir(values.data);
const { app, browser } = await startAppOn(dir);
try {
  const page = await browser.newPage();
  const alerts = await openLoadedApp(page, app.url, dir);

  await page.click('.view-tab[data-view="notebooks"]');
  await page.setInputFiles('input[data-picker="notebook"]', {
    name: 'bench-params.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from(NOTEBOOK),
  });
  await page.waitForSelector('[data-cell="confidence_histogram"][data-status="done"] .nb-plot svg', {
    timeout: 300_000,
  });
  const failed = await page.$$eval('[data-cell][data-status="error"]', (els) =>
    els.map((e) => `${(e as HTMLElement).dataset.cell}: ${e.textContent}`),
  );
  if (failed.length > 0) throw new Error(`the benchmark notebook failed:\n${failed.join('\n')}`);

  const rows: (string | number)[][] = [];
  for (const param of ['bins', 'typology', 'min_confidence'] as const) {
    const moves: Move[] = [];
    for (const [i, value] of sequence(param, WARMUP + MOVES).entries()) {
      const m = await move(page, param, value);
      if (i >= WARMUP) moves.push(m);
    }
    const stat = (pick: (m: Move) => number) => {
      const xs = moves.map(pick);
      return [median(xs), quantile(xs, 0.95), Math.min(...xs), Math.max(...xs)].map((x) => Math.round(x));
    };
    const { label, cell, query } = TARGETS[param];
    rows.push([`${label}: change → in DOM`, moves.length, ...stat((m) => m.dom)]);
    rows.push([`${label}: change → next frame`, moves.length, ...stat((m) => m.frame)]);
    rows.push([`  ${query} cell run (query)`, moves.length, ...stat((m) => m.query)]);
    if (cell !== query)
      rows.push([`  ${cell} cell run (read rows, build marks)`, moves.length, ...stat((m) => m.shown)]);
  }
  console.log(
    `\nParameter change to updated output, headless Chromium, ${alerts.toLocaleString('en-US')} alerts, ${MOVES} moves per input after ${WARMUP} warm-up moves (ms)\n`,
  );
  process.stdout.write(formatTable(['measure', 'moves', 'median', 'p95', 'min', 'max'], rows));
  if (browser.errors.length > 0) console.log(`\nbrowser errors:\n${browser.errors.join('\n')}`);
} finally {
  await browser.close();
  await app.close();
}
