/**
 * `npm run bench:proxy-notebook [-- --data DIR --moves 40]`
 *
 * How fast notebook 02 (proxy-label thresholds) follows its sliders in the app, on a 1M-alert
 * snapshot in headless Chromium. The dev server serves the snapshot as the app's sample
 * (LABEL_LAB_SAMPLE_DIR), the app loads it as a user's would, and the shipped notebook is opened
 * from the Notebooks list, exactly as a user opens it. The targets: a threshold change updates the
 * counts in a median of 10 ms or less, and every plot of the notebook in 100 ms or less.
 *
 * Each move sets a threshold slider's value and fires its `input` event, as a drag does. Timed
 * from that event, inside the page:
 * - counts: the proxy cell's output shows the new evaluation (its `data-evaluations` goes up);
 * - plots: every plot cell has drawn a new figure (each `data-figure` goes up) and no cell is
 *   running any more;
 * - painted: the next animation frame after that.
 * Moves run one after another, each waiting for the last; a few first moves warm up and are not
 * counted. The runtime's own times (cells' `data-duration-ms`) split the work: the proxy cell's
 * evaluation, and the plot cells building their marks (drawing happens in the view, in "plots").
 */
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { formatTable } from '../src/cli/output.ts';
import { median, quantile } from './stats.ts';
import { benchSnapshotDir, openLoadedApp, startAppOn } from './app-session.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    moves: { type: 'string', default: '40' },
    warmup: { type: 'string', default: '3' },
  },
});
const MOVES = Number(values.moves);
const WARMUP = Number(values.warmup);
const NOTEBOOK = '02-proxy-label-thresholds';

type Slider = 'min_confidence' | 'max_confidence';

interface Move {
  counts: number;
  plots: number;
  painted: number;
  /** The runtime's run of the proxy cell (evaluation and results), and the slowest plot cell's. */
  proxyRun: number;
  plotRunMax: number;
}

/** One move, timed inside the page. */
function move(page: Page, slider: Slider, value: string): Promise<Move> {
  return page.evaluate(
    ([slider, value]) => {
      // No named functions or arrow functions bound to names in here: tsx's esbuild would wrap
      // them in a helper (__name) the page lacks.
      const proxyCell = document.querySelector<HTMLElement>('[data-cell="labels"]')!;
      const plotCells = [...document.querySelectorAll<HTMLElement>('[data-cell][data-kind="plot"]')];
      const evaluationsBefore = Number(proxyCell.querySelector<HTMLElement>('.proxy-output')?.dataset.evaluations ?? 0);
      const figuresBefore = plotCells.map((c) => Number(c.querySelector<HTMLElement>('.nb-plot')?.dataset.figure ?? 0));
      return new Promise<Move>((resolve, reject) => {
        const timeout = setTimeout(
          () => reject(new Error(`no update 60 s after setting ${slider} to ${value}`)),
          60_000,
        );
        let t0 = 0;
        let counts = 0;
        const observer = new MutationObserver(() => {
          const now = performance.now();
          const evaluations = Number(proxyCell.querySelector<HTMLElement>('.proxy-output')?.dataset.evaluations ?? 0);
          if (counts === 0 && evaluations > evaluationsBefore && proxyCell.dataset.status === 'done') counts = now - t0;
          if (counts === 0) return;
          const drawn = plotCells.every(
            (c, i) => Number(c.querySelector<HTMLElement>('.nb-plot')?.dataset.figure ?? 0) > figuresBefore[i]!,
          );
          const settled = plotCells.every((c) => c.dataset.status === 'done');
          if (!drawn || !settled) return;
          observer.disconnect();
          clearTimeout(timeout);
          const plots = now - t0;
          requestAnimationFrame(() =>
            resolve({
              counts,
              plots,
              painted: performance.now() - t0,
              proxyRun: Number(proxyCell.dataset.durationMs),
              plotRunMax: Math.max(...plotCells.map((c) => Number(c.dataset.durationMs))),
            }),
          );
        });
        observer.observe(document.querySelector('.nb-cells')!, {
          subtree: true,
          attributes: true,
          attributeFilter: ['data-evaluations', 'data-figure', 'data-status'],
        });
        const input = document.querySelector<HTMLInputElement>(`[data-param="${slider}"] input[type="range"]`)!;
        input.value = value;
        t0 = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
    },
    [slider, value] as const,
  );
}

/**
 * Values that always differ from the one before, spread over the whole slider so that moves cross
 * the severities' confidence bands (counts change) as often as they stay inside one.
 */
function sequence(slider: Slider, n: number): string[] {
  const from = slider === 'min_confidence' ? 0.5 : 0;
  const span = slider === 'min_confidence' ? 50 : 100;
  return Array.from({ length: n }, (_, i) => (from + ((37 * (i + 1)) % (span + 1)) / 100).toFixed(2));
}

const dir = benchSnapshotDir(values.data);
const { app, browser } = await startAppOn(dir);
try {
  const page = await browser.newPage();
  const alerts = await openLoadedApp(page, app.url, dir);

  const t1 = performance.now();
  await page.click('.view-tab[data-view="notebooks"]');
  await page.click(`.nb-item[data-notebook="${NOTEBOOK}"]`);
  await page.waitForSelector('[data-cell="labels"][data-status="done"] .proxy-output', { timeout: 300_000 });
  await page.waitForFunction(
    () => document.querySelectorAll('[data-cell][data-status="running"], [data-cell][data-status="idle"]').length === 0,
    undefined,
    { timeout: 300_000 },
  );
  const failed = await page.$$eval('[data-cell][data-status="error"]', (els) =>
    els.map((e) => `${(e as HTMLElement).dataset.cell}: ${e.textContent}`),
  );
  if (failed.length > 0) throw new Error(`notebook 02 failed:\n${failed.join('\n')}`);
  const opened = ((performance.now() - t1) / 1000).toFixed(1);
  const cube = await page.textContent('[data-cell="labels"] .nb-duration');
  const plots = await page.$$eval('[data-cell][data-kind="plot"]', (els) => els.length);
  console.log(
    `notebook 02 opened and ran every cell in ${opened} s (proxy cell's first run, with the cube build: ${cube}); ${plots} plots`,
  );

  const rows: (string | number)[][] = [];
  for (const slider of ['min_confidence', 'max_confidence'] as const) {
    const moves: Move[] = [];
    for (const [i, value] of sequence(slider, WARMUP + MOVES).entries()) {
      const m = await move(page, slider, value);
      if (i >= WARMUP) moves.push(m);
    }
    const stat = (pick: (m: Move) => number) => {
      const xs = moves.map(pick);
      return [median(xs), quantile(xs, 0.95), Math.min(...xs), Math.max(...xs)].map((x) => Number(x.toFixed(1)));
    };
    rows.push([`${slider}: input → counts shown`, moves.length, ...stat((m) => m.counts)]);
    rows.push([`${slider}: input → all ${plots} plots drawn`, moves.length, ...stat((m) => m.plots)]);
    rows.push([`${slider}: input → next frame (painted)`, moves.length, ...stat((m) => m.painted)]);
    rows.push([`  proxy cell run (evaluate + results)`, moves.length, ...stat((m) => m.proxyRun)]);
    rows.push([`  slowest plot cell run (build marks)`, moves.length, ...stat((m) => m.plotRunMax)]);
  }
  console.log(
    `\nThreshold move to updated notebook 02, headless Chromium, ${alerts.toLocaleString('en-US')} alerts, ${MOVES} moves per slider after ${WARMUP} warm-up moves (ms)\n`,
  );
  process.stdout.write(formatTable(['measure', 'moves', 'median', 'p95', 'min', 'max'], rows));
  if (browser.errors.length > 0) console.log(`\nbrowser errors:\n${browser.errors.join('\n')}`);
} finally {
  await browser.close();
  await app.close();
}
