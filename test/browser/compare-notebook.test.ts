/**
 * Notebook 03 in a real browser, on the sample: opening it trains nothing (the compare cell shows
 * its configuration and a Run comparison button, and its plots say they wait); Run comparison
 * trains in the page's training worker with a progress row per strategy whose epoch counter
 * moves; one strategy is cancelled while it trains; the board then shows the others' metrics
 * against every label source with the cancelled one marked, the plots are drawn, and the exports
 * download (alert scores as Parquet, the model as a zip, the run bundle).
 *
 * One dev server, one browser and one page: the steps build on each other like a session.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSession, type Browser, chromiumAvailable, OUTPUT_DIR, openShippedNotebook } from './harness.ts';

const NOTEBOOK = '03-compare-strategies';
const cell = (name: string) => `[data-cell="${name}"]`;
const OUTPUT = `${cell('board')} .compare-output`;
const row = (strategy: string) => `${OUTPUT} .compare-progress-row[data-strategy="${strategy}"]`;
/** The strategy cancelled mid-training: the slowest, with the most epochs to watch. */
const CANCELLED = 'autoencoder';

const epochOf = (page: Page, strategy: string) =>
  page.$eval(row(strategy), (el) => Number((el as HTMLElement).dataset.epoch ?? 0)).catch(() => 0);

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('notebook 03 (compare strategies) in Chromium', () => {
  const session = appSession();
  let browser: Browser;
  let page: Page;
  beforeAll(() => ({ browser, page } = session));

  it('opens without training: the configuration, a Run comparison button, plots that wait', async () => {
    await openShippedNotebook(page, NOTEBOOK, `${OUTPUT}[data-state="ready"] [data-action="run-comparison"]`);
    expect(await page.locator(`${OUTPUT} .compare-chip`).allTextContents()).toEqual([
      'proxy',
      'gbm',
      'supervised',
      'self-training',
      'autoencoder',
      'isolation-forest',
      'rule',
    ]);
    expect(await page.textContent(`${cell('roc_curves')} [data-waiting]`)).toContain(
      'waiting for compare cell board to train',
    );
    expect(await page.textContent(`${cell('leaderboard')} [data-waiting]`)).toContain(
      'waiting for compare cell board to train',
    );
    // The prose quotes no run: its figures are the board's, and wait for it.
    const refs = page.locator('.nb-prose .nb-ref[data-ref^="board."]');
    expect(await refs.count()).toBeGreaterThan(5);
    expect(new Set(await refs.allTextContents())).toEqual(new Set(['(waiting for board)']));
    await page.$eval(cell('board'), (el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'compare-notebook-ready.png') });
  });

  it('trains on Run comparison: progress rows move, and one strategy is cancelled while it trains', async () => {
    await page.click(`${OUTPUT} [data-action="run-comparison"]`);
    await page.waitForSelector(`${OUTPUT}[data-state="running"]`, { timeout: 30_000 });
    expect(await page.locator(`${OUTPUT} .compare-progress-row`).count()).toBe(7);
    // The first network trains: its epoch counter moves.
    await page.waitForFunction(
      (sel) => Number(document.querySelector<HTMLElement>(sel)?.dataset.epoch) >= 1,
      row('proxy'),
      { timeout: 120_000 },
    );
    const first = await epochOf(page, 'proxy');
    await page.waitForFunction(
      ([sel, n]) => {
        const el = document.querySelector<HTMLElement>(sel as string);
        return !!el && (Number(el.dataset.epoch) > (n as number) || el.dataset.state === 'done');
      },
      [row('proxy'), first] as const,
      { timeout: 60_000 },
    );
    expect(await page.textContent(`${OUTPUT} .compare-backend`)).toMatch(/^TF\.js backend: (wasm|webgl|cpu)/);
    await page.screenshot({ path: join(OUTPUT_DIR, 'compare-notebook-training.png') });

    // The autoencoder: cancelled once it has trained a few of its epochs.
    await page.waitForFunction(
      (sel) => {
        const el = document.querySelector<HTMLElement>(sel);
        return !!el && el.dataset.state === 'fitting' && Number(el.dataset.epoch) >= 3;
      },
      row(CANCELLED),
      { timeout: 180_000 },
    );
    const at = await epochOf(page, CANCELLED);
    await page.screenshot({ path: join(OUTPUT_DIR, 'compare-notebook-cancelling.png') });
    await page.click(`${OUTPUT} [data-action="cancel-strategy"][data-strategy="${CANCELLED}"]`);
    await page.waitForSelector(`${OUTPUT}[data-state="done"]`, { timeout: 180_000 });
    expect(at).toBeLessThan(60);
    // Seven strategies, gbm among them: minutes on a loaded machine.
  }, 420_000);

  it('shows the board: the others with metrics against every source, the cancelled one marked', async () => {
    const board = `${OUTPUT} table.board[data-source="truth"]`;
    await page.waitForSelector(board);
    const rows = await page.$$eval(`${board} tbody tr`, (trs) =>
      trs.map((tr) => ({
        strategy: (tr as HTMLElement).dataset.strategy,
        status: (tr as HTMLElement).dataset.status,
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
        auc: tr.querySelector('td[data-metric="ROC-AUC"]')?.textContent,
      })),
    );
    expect(rows.map((r) => r.strategy).sort()).toEqual([
      'autoencoder',
      'gbm',
      'isolation-forest',
      'proxy',
      'rule',
      'self-training',
      'supervised',
    ]);
    const cancelled = rows.find((r) => r.strategy === CANCELLED)!;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cells.join(' ')).toMatch(/cancelled at epoch \d+ of 60 \(autoencoder\)/);
    // Cancelled entries rank last; every other strategy has a ROC-AUC against the truth.
    expect(rows.at(-1)!.strategy).toBe(CANCELLED);
    for (const r of rows.filter((x) => x.strategy !== CANCELLED)) {
      expect(r.status).toBe('done');
      expect(r.auc, `${r.strategy} ROC-AUC`).toMatch(/^0\.\d{3}$/);
    }
    // Every metric header names the label source.
    const headers = await page.$$eval(`${board} thead th[data-metric]`, (ths) => ths.map((th) => th.textContent));
    expect(headers.length).toBeGreaterThanOrEqual(15);
    for (const h of headers) expect(h).toMatch(/truth$/);
    expect(headers).toEqual(
      expect.arrayContaining([
        'ROC-AUCtruth',
        'PR-AUCtruth',
        'P@50truth',
        'R@100truth',
        'P@1%truth',
        'NDCG@50truth',
        'Briertruth',
        'cap. Ptruth',
      ]),
    );
    // The plots that read the board's results are drawn now, and so are the view's own.
    await page.waitForSelector(`${cell('roc_curves')}[data-status="done"] .nb-plot svg`);
    expect(await page.locator(`${cell('leaderboard')} .nb-result`).getAttribute('data-row-count')).toBe('7');
    // The prose now reads the board's figures: the proxy's ROC-AUC against the truth, as the board shows it.
    const proxyAuc = page.locator('.nb-prose .nb-ref[data-ref^="board.auc[strategy=proxy][source=truth].roc_auc"]');
    expect(await proxyAuc.getAttribute('data-state')).toBe('ok');
    expect(await proxyAuc.textContent()).toMatch(/^0\.\d{3}$/);
    expect(await page.locator('.nb-prose .nb-ref[data-ref^="board."][data-state="waiting"]').count()).toBe(0);
    // gbm stands on the board with its importance view.
    expect(await page.locator(`${OUTPUT} [data-plot="importance"] [data-strategy="gbm"] svg`).count()).toBe(1);
    for (const plot of ['curves', 'scores', 'training'])
      expect(await page.locator(`${OUTPUT} [data-plot="${plot}"] svg`).count(), plot).toBeGreaterThan(0);
    // Calibration: every finished strategy with Brier before and after, and a reliability plot each.
    const calibration = `${OUTPUT} [data-plot="calibration"]`;
    // Every finished strategy: the seven less the cancelled autoencoder, gbm among them.
    expect(await page.locator(`${calibration} tbody tr`).count()).toBe(6);
    expect(
      await page.textContent(`${calibration} tr[data-strategy="isolation-forest"] [data-metric="brier-before"]`),
    ).toBe('–');
    expect(
      await page.textContent(`${calibration} tr[data-strategy="isolation-forest"] [data-metric="brier-after"]`),
    ).toMatch(/^0\.\d{3}$/);
    expect(await page.locator(`${calibration} .compare-grid svg`).count()).toBe(6);
    await page.$eval(cell('board'), (el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'compare-notebook-board.png') });
    await page.$eval(`${OUTPUT} .compare-plots`, (el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'compare-notebook-plots.png') });
    await page.$eval(`${OUTPUT} [data-plot="scores"]`, (el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'compare-notebook-scores.png') });
    await page.$eval(`${OUTPUT} [data-plot="training"]`, (el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'compare-notebook-training-curves.png') });
    await page.$eval(calibration, (el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'compare-notebook-calibration.png') });
  });

  it('switches the label source of the board and its plots', async () => {
    await page.click(`${OUTPUT} .compare-source[data-source="proxy"]`);
    await page.waitForSelector(`${OUTPUT} table.board[data-source="proxy"]`);
    // The rule ranks its own labels perfectly.
    expect(
      await page.textContent(
        `${OUTPUT} table.board[data-source="proxy"] tr[data-strategy="rule"] td[data-metric="ROC-AUC"]`,
      ),
    ).toBe('1.000');
    expect(await page.textContent(`${OUTPUT} .compare-source-text`)).toMatch(/^proxy rule: the proxy rule alone/);
    await page.click(`${OUTPUT} .compare-source[data-source="truth"]`);
    await page.waitForSelector(`${OUTPUT} table.board[data-source="truth"]`);
  });

  it('exports the held-out scores as Parquet, the model as a zip, and the run bundle', async () => {
    const [scores] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.click(`${OUTPUT} [data-action="export-scores"][data-strategy="proxy"]`),
    ]);
    expect(scores.suggestedFilename()).toBe('board-proxy-alert_scores.parquet');
    expect(
      readFileSync((await scores.path())!)
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('PAR1');
    await page.waitForSelector(`${OUTPUT} .compare-message.ok`);
    expect(await page.textContent(`${OUTPUT} .compare-message`)).toMatch(
      /^Exported [\d,]+ held-out alert scores of proxy/,
    );

    const [model] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`${OUTPUT} [data-action="export-model"][data-strategy="proxy"]`),
    ]);
    expect(model.suggestedFilename()).toBe('board-proxy-model.zip');
    const zip = readFileSync((await model.path())!);
    expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    for (const name of ['model.json', 'weights.bin', 'preprocessing.json'])
      expect(zip.includes(Buffer.from(name))).toBe(true);

    const [bundle] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`${OUTPUT} [data-action="export-bundle"]`),
    ]);
    const json = JSON.parse(readFileSync((await bundle.path())!, 'utf8')) as {
      format: string;
      repeat: string;
      strategies: { name: string; cancelled?: string }[];
    };
    expect(json.format).toBe('label-lab-run/1');
    expect(json.repeat).toBe(`notebook ${NOTEBOOK}.md, compare cell board`);
    expect(json.strategies.find((s) => s.name === CANCELLED)!.cancelled).toMatch(/^cancelled at epoch/);
    expect(browser.errors).toEqual([]);
  });
});
