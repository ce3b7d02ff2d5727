/**
 * Notebooks in a real browser: the tour notebook opens and runs on the sample, its inputs redraw
 * its plot, an edited SQL cell runs on Shift+Enter and survives a reload (as the user's own copy,
 * in IndexedDB), failures stay in their cell, cells can be added, moved and deleted, and a
 * malformed file is refused with its line numbers while the open notebook stays as it was.
 *
 * One dev server, one browser and one page for the whole file: the steps build on each other
 * like a user's session.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../src/notebook/parse.ts';
import { setCellBody, writeNotebook } from '../../src/notebook/write.ts';
import { type App, appSession, type Browser, chromiumAvailable, OUTPUT_DIR, ROOT } from './harness.ts';

const TOUR = '01-tour-of-a-snapshot';
const cell = (name: string) => `[data-cell="${name}"]`;

/** A notebook with an unknown mark type on line 11 and a cell name that breaks the rules on line 14. */
const MALFORMED = `---
title: Broken on purpose
---

\`\`\`sql counts
SELECT severity, count(*) AS n FROM alerts GROUP BY 1
\`\`\`

\`\`\`plot counts_plot
data: counts
marks: [{type: pie, x: severity}]
\`\`\`

\`\`\`sql Bad-Name
SELECT 1
\`\`\`
`;

async function figure(page: Page, name: string): Promise<{ html: string; count: number; rects: number }> {
  return page.$eval(`${cell(name)} .nb-plot`, (el) => ({
    html: el.querySelector('.nb-plot-figure')!.innerHTML,
    count: Number((el as HTMLElement).dataset.figure),
    rects: el.querySelectorAll('svg rect').length,
  }));
}

/** Wait until a cell has finished a run after `runs` completed ones. */
async function ranAfter(page: Page, name: string, runs: number): Promise<void> {
  await page.waitForFunction(
    ([sel, n]) => {
      const el = document.querySelector<HTMLElement>(sel as string);
      return (
        !!el &&
        Number(el.dataset.runs) > (n as number) &&
        (el.dataset.status === 'done' || el.dataset.status === 'error')
      );
    },
    [cell(name), runs] as const,
    { timeout: 30_000 },
  );
}

const runs = (page: Page, name: string) => page.$eval(cell(name), (el) => Number((el as HTMLElement).dataset.runs));

/** Replace a cell's code as a user would: open its editor, select all, type, Shift+Enter. */
async function typeIntoCell(page: Page, name: string, text: string): Promise<void> {
  const toggle = page.locator(`${cell(name)} .nb-code-toggle`);
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const content = page.locator(`${cell(name)} .cm-content`);
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Shift+Enter');
}

const gridText = (page: Page, name: string) => page.locator(`${cell(name)} .nb-output .grid`).innerText();
/**
 * A sql cell whose result a table cell below shows is one line (its rows on request), so its rows
 * are read from that table cell: `severity_verdict` from `severity_verdict_table`.
 */
const shownBy = (name: string) => `${name}_table`;

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('notebooks in Chromium', () => {
  const session = appSession();
  let app: App;
  let browser: Browser;
  let page: Page;
  beforeAll(() => ({ app, browser, page } = session));

  it('lists the shipped notebooks and opens the tour, which runs on the loaded sample', async () => {
    await page.click('.view-tab[data-view="notebooks"]');
    await page.click(`.nb-item[data-notebook="${TOUR}"]`);
    await page.waitForSelector(`${cell('confidence_histogram')}[data-status="done"] .nb-plot svg`, { timeout: 30_000 });
    expect(await page.textContent('.nb-title')).toBe('A tour of a snapshot');
    expect(await page.getAttribute('.nb-save-state', 'data-save-state')).toBe('shipped');
    // Prose is rendered, not shown as Markdown source.
    expect(await page.locator('.nb-prose h2', { hasText: 'The tables' }).count()).toBe(1);
    const alerts = Number(await page.getAttribute('.table-item[data-table="alerts"]', 'data-rows'));
    expect(await page.getAttribute(`${cell('confidences')} .nb-result`, 'data-row-count')).toMatch(/^\d+$/);
    expect(await gridText(page, shownBy('table_overview'))).toContain(String(alerts));
    expect(await page.textContent(`${cell('table_overview')} .nb-result-summary`)).toContain(
      'shown by table cell table_overview_table',
    );
    expect(await page.locator('[data-cell][data-status="error"]').count(), 'cells failed on the sample').toBe(0);
    expect(new URL(page.url()).hash).toBe(`#nb=${TOUR}&p.typology=ALL&p.bins=40`);
  });

  it('redraws the histogram as the bins slider and the typology select change', async () => {
    const before = await figure(page, 'confidence_histogram');
    const slider = page.locator('[data-param="bins"] input[type="range"]');
    await slider.focus();
    // Each arrow step fires an input event, as dragging does: runs made stale are dropped.
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    expect(await page.textContent('[data-param="bins"] output')).toBe('20');
    await page.waitForFunction(
      ([sel, n]) => {
        const el = document.querySelector<HTMLElement>(`${sel} .nb-plot`);
        const host = document.querySelector<HTMLElement>(sel as string);
        return !!el && Number(el.dataset.figure) > (n as number) && host?.dataset.status === 'done';
      },
      [cell('confidence_histogram'), before.count] as const,
      { timeout: 30_000 },
    );
    const after = await figure(page, 'confidence_histogram');
    expect(after.html).not.toBe(before.html);
    expect(after.rects).toBeLessThan(before.rects);

    const rowsBefore = await page.getAttribute(`${cell('confidences')} .nb-result`, 'data-row-count');
    const confidenceRuns = await runs(page, 'confidences');
    await page.selectOption('[data-param="typology"]', { label: 'PEEL_CHAIN' });
    await ranAfter(page, 'confidences', confidenceRuns);
    expect(Number(await page.getAttribute(`${cell('confidences')} .nb-result`, 'data-row-count'))).toBeLessThan(
      Number(rowsBefore),
    );
    await page.waitForFunction(
      () => location.hash.includes('p.typology=PEEL_CHAIN') && location.hash.includes('p.bins=20'),
    );
    await page.$eval(cell('confidence_histogram'), (el) => el.scrollIntoView({ block: 'end' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'notebook.png') });
  });

  it("runs an edited SQL cell on Shift+Enter, and keeps the edit as the user's own copy", async () => {
    const n = await runs(page, 'severity_verdict');
    await typeIntoCell(page, 'severity_verdict', 'SELECT 42 AS answer');
    await ranAfter(page, 'severity_verdict', n);
    expect(await page.getAttribute(cell('severity_verdict'), 'data-status')).toBe('done');
    // The table cell that shows the result follows it.
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent?.includes('answer'),
      `${cell('severity_verdict_table')} .grid thead`,
    );
    expect(await gridText(page, shownBy('severity_verdict'))).toMatch(/answer\s+1\s+42/);
    await page.waitForSelector('.nb-save-state[data-save-state="saved"]');
    expect(await page.textContent('.nb-save-state')).toContain(`Your copy of ${TOUR}`);
    expect(await page.locator('.nb-list[aria-label="My notebooks"] .nb-item').count()).toBe(1);
    expect(new URL(page.url()).hash).toMatch(/^#nb=my%2F[0-9a-f]+&/);
  });

  it('finds the edit, the notebook and its input values again after a reload', async () => {
    await page.reload();
    await page.waitForSelector(`${cell(shownBy('severity_verdict'))}[data-status="done"] .grid`, { timeout: 60_000 });
    expect(await page.getAttribute('.view-tab[data-view="notebooks"]', 'aria-current')).toBe('true');
    expect(await gridText(page, shownBy('severity_verdict'))).toMatch(/answer\s+1\s+42/);
    expect(await page.textContent('.nb-save-state')).toContain(`Your copy of ${TOUR}`);
    expect(await page.inputValue('[data-param="bins"] input')).toBe('20');
    expect(
      await page.$eval('[data-param="typology"]', (el) => (el as HTMLSelectElement).selectedOptions[0]!.textContent),
    ).toBe('PEEL_CHAIN');
    // Let the sample finish loading (the notebook runs again on it) before the next steps.
    await page.waitForSelector('.nb-data-note', { state: 'hidden', timeout: 60_000 });
    await page.waitForFunction(
      () =>
        ![...document.querySelectorAll('[data-cell]')].some((el) => (el as HTMLElement).dataset.status === 'running'),
      null,
      { timeout: 60_000 },
    );
  });

  it('downloads the notebook as its file: the shipped text with the edit, byte for byte', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="download"]')]);
    expect(download.suggestedFilename()).toBe(`${TOUR}.md`);
    const text = readFileSync(await download.path(), 'utf8');
    const shipped = parseNotebook(readFileSync(join(ROOT, 'notebooks', `${TOUR}.md`), 'utf8'));
    expect(text).toBe(writeNotebook(setCellBody(shipped, 'severity_verdict', 'SELECT 42 AS answer')));
  });

  it('shares the input values as a link that opens the shipped notebook with them', async () => {
    await page.click('[data-action="copy-link"]');
    const link = await page.getAttribute('[data-action="copy-link"]', 'data-link');
    expect(link).toBe(`${app.url}#nb=${TOUR}&p.typology=PEEL_CHAIN&p.bins=20`);
    // Someone else's values: the same notebook, the bins at 65.
    await page.goto(link!.replace('p.bins=20', 'p.bins=65'));
    await page.waitForSelector('.nb-save-state[data-save-state="shipped"]');
    await page.waitForSelector(`${cell('confidence_histogram')}[data-status="done"]`);
    expect(await page.textContent('[data-param="bins"] output')).toBe('65');
    expect(await page.inputValue('[data-param="bins"] input')).toBe('65');
    expect(
      await page.$eval('[data-param="typology"]', (el) => (el as HTMLSelectElement).selectedOptions[0]!.textContent),
    ).toBe('PEEL_CHAIN');
    // The shipped text, not the copy's edit.
    await page.waitForSelector(`${cell(shownBy('severity_verdict'))}[data-status="done"] .grid`);
    expect(await gridText(page, shownBy('severity_verdict'))).not.toContain('answer');
    // Back to the copy for the steps that follow.
    await page.click('.nb-list[aria-label="My notebooks"] .nb-item');
    await page.waitForSelector('.nb-save-state[data-save-state="saved"]');
    await page.waitForSelector(`${cell(shownBy('severity_verdict'))}[data-status="done"] .grid`);
    expect(await gridText(page, shownBy('severity_verdict'))).toMatch(/answer\s+1\s+42/);
  });

  it("shows a failed cell's error in its place, and which cell the cells after it wait on", async () => {
    const n = await runs(page, 'by_typology');
    await typeIntoCell(
      page,
      'by_typology',
      'SELECT typology_type, count(*) AS n, no_such_column FROM alerts GROUP BY 1',
    );
    await ranAfter(page, 'by_typology', n);
    expect(await page.getAttribute(cell('by_typology'), 'data-status')).toBe('error');
    expect(await page.textContent(`${cell('by_typology')} .nb-error`)).toMatch(
      /no_such_column[\s\S]*\(at 01-tour-of-a-snapshot\.md:\d+\)/,
    );
    await page.waitForSelector(`${cell('by_typology_table')}[data-status="error"]`);
    expect(await page.textContent(`${cell('by_typology_table')} .nb-error`)).toBe('depends on failed cell by_typology');
    // The rest of the notebook is untouched.
    expect(await page.getAttribute(cell('typology_plot'), 'data-status')).toBe('done');
    await page.locator(cell('by_typology')).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUTPUT_DIR, 'notebook-error.png') });

    const m = await runs(page, 'by_typology');
    await typeIntoCell(
      page,
      'by_typology',
      'SELECT typology_type AS typology, count(*) AS alert_count FROM alerts GROUP BY 1 ORDER BY 2 DESC',
    );
    await ranAfter(page, 'by_typology', m);
    await page.waitForSelector(`${cell('by_typology_table')}[data-status="done"]`);
  });

  it('adds a cell below another, moves it, deletes it and brings it back', async () => {
    const names = () => page.$$eval('[data-cell]', (els) => els.map((e) => (e as HTMLElement).dataset.cell));
    await page.hover(cell('null_confidence'));
    await page.click(`${cell('null_confidence')} .nb-add > summary`);
    await page.click(`${cell('null_confidence')} .nb-add-menu [data-add="sql"]`);
    await page.waitForSelector(`${cell('query_1')}[data-status="done"] .grid`);
    let order = await names();
    expect(order.indexOf('query_1')).toBe(order.indexOf('null_confidence') + 1);
    // A new cell opens with its editor focused.
    expect(await page.evaluate(() => document.activeElement?.closest('[data-cell]')?.getAttribute('data-cell'))).toBe(
      'query_1',
    );

    await page.click(`${cell('query_1')} [aria-label="Move query_1 up"]`);
    order = await names();
    expect(order.indexOf('query_1')).toBe(order.indexOf('null_confidence') - 1);

    await page.click(`${cell('query_1')} [aria-label="Delete query_1"]`);
    expect(await page.locator(cell('query_1')).count()).toBe(0);
    await page.click('.nb-toast .link-button');
    await page.waitForSelector(`${cell('query_1')}[data-status="done"]`);
    order = await names();
    expect(order.indexOf('query_1')).toBe(order.indexOf('null_confidence') - 1);
    await page.click(`${cell('query_1')} [aria-label="Delete query_1"]`);
    await page.waitForSelector('.nb-save-state[data-save-state="saved"]');
  });

  it('refuses a malformed notebook file with its problems by line, and keeps the open notebook', async () => {
    await page.setInputFiles('input[data-picker="notebook"]', {
      name: 'broken.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(MALFORMED),
    });
    const error = page.locator('.nb-open-error');
    await error.waitFor({ state: 'visible' });
    const text = await error.innerText();
    expect(text).toContain('broken.md has 2 problems: it was not opened');
    expect(text).toMatch(/broken\.md:11: plot cell counts_plot: marks\[0\]\.type: expected one of .*got "pie"/);
    expect(text).toMatch(/broken\.md:14: sql cell 'Bad-Name': expected a lowercase name/);
    // The notebook that was open is still open, edits and all, and nothing new was stored.
    expect(await page.textContent('.nb-title')).toBe('A tour of a snapshot');
    expect(await gridText(page, shownBy('severity_verdict'))).toMatch(/answer\s+1\s+42/);
    expect(await page.locator('.nb-list[aria-label="My notebooks"] .nb-item').count()).toBe(1);
    await page.screenshot({ path: join(OUTPUT_DIR, 'notebook-malformed.png') });
  });

  it('fits a narrow window', async () => {
    await page.setViewportSize({ width: 600, height: 900 });
    await page.locator(cell('histogram_controls')).scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // the plot redraws at its new width
    const widths = await page.$eval(`${cell('confidence_histogram')} .nb-plot svg`, (svg) => ({
      svg: svg.getBoundingClientRect().width,
      page: document.documentElement.clientWidth,
    }));
    expect(widths.svg).toBeLessThanOrEqual(widths.page);
    await page.screenshot({ path: join(OUTPUT_DIR, 'notebook-narrow.png') });
    await page.setViewportSize({ width: 1400, height: 860 });
  });

  it('logged no errors in the browser console', () => {
    expect(browser.errors).toEqual([]);
  });
});
