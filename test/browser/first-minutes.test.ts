/**
 * A miner's first minutes, at 1440x900, on a fresh profile: opening notebook 04 writes nothing
 * (the Labels and Review tabs stay empty, the cells show what they would write); Confirm imports
 * once, the Labels status line says so at once; the same file picked again in the Labels tab is
 * reported as already imported and Confirm stays off; suspected mislabels leave validated labels
 * out and say why; a sql cell whose result a table cell shows is one line, not the rows twice.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSession, chromiumAvailable, openShippedNotebook, OUTPUT_DIR, SAMPLE_DIR } from './harness.ts';

const cell = (name: string) => `[data-cell="${name}"]`;
const tab = (page: Page, view: string) => page.click(`.view-tab[data-view="${view}"]`);
const runnable = chromiumAvailable();

describe.skipIf(!runnable)('first minutes in Chromium (1440x900)', () => {
  const session = appSession({ viewport: { width: 1440, height: 900 } });
  let page: Page;
  beforeAll(() => ({ page } = session));

  it('opening notebook 04 writes no labels: the Labels and Review tabs stay empty', async () => {
    await openShippedNotebook(
      page,
      '04-bring-your-own-labels',
      `${cell('quality')}[data-status="done"] .nb-lines`,
      90_000,
    );
    const labels = page.locator(`${cell('community')} .nb-lines`);
    expect(await labels.getAttribute('data-pending')).toBe('300');
    expect(await labels.getAttribute('data-appended')).toBe('0');
    expect(await page.locator(`${cell('community')} [data-action="confirm-import"]`).textContent()).toBe(
      'Confirm import: append 300 label events',
    );
    const quality = page.locator(`${cell('quality')} .nb-lines`);
    expect(await quality.getAttribute('data-proxy-rule')).toBe('pending');
    expect(await quality.textContent()).toContain('The proxy rule is not applied yet');
    await page.$eval(cell('community'), (el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'first-minutes-04-opened.png') });

    await tab(page, 'labels');
    await page.waitForSelector('.labels-status[data-events="0"]', { timeout: 60_000 });
    expect(await page.textContent('.labels-status')).toContain('No labels were saved in this browser yet');
    await tab(page, 'review');
    await page.waitForSelector('.rv-model-line[data-trained="false"]', { timeout: 60_000 });
    expect(await page.textContent('.rv-model-line')).toContain('No model yet');
  }, 240_000);

  it('Confirm imports once; the status line follows at once; validated labels are not suspects', async () => {
    await tab(page, 'notebooks');
    await page.click(`${cell('community')} [data-action="confirm-import"]`);
    await page.waitForSelector(`${cell('community')} .nb-lines[data-appended="300"]`, { timeout: 60_000 });
    await page.waitForSelector(`${cell('quality')}[data-status="done"] .nb-lines[data-suspects="25"]`, {
      timeout: 120_000,
    });
    // Validated labels are trusted: no suspect row is one, and the cell says why.
    const sources = await page.$$eval(`${cell('suspects_table')} tbody tr`, (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    expect(sources.length).toBeGreaterThan(0);
    for (const row of sources) expect(row).not.toContain('validated');
    expect(await page.textContent(`${cell('quality')} .nb-lines`)).toMatch(
      /validated labels? (the model disputed (is|are) not listed|are never listed)/i,
    );
    // The prose reads the agreement table; the proxy rule's rows are there once it is applied.
    await page.waitForSelector('.nb-prose .nb-ref[data-ref^="quality.agreement[a=community]"][data-state="ok"]');
    expect(
      await page
        .locator('.nb-prose .nb-ref[data-ref^="quality.agreement[a=proxy]"]')
        .first()
        .getAttribute('data-state'),
    ).toBe('waiting');
    expect(await page.locator('.nb-prose .nb-ref[data-ref^="quality.agreement[a=proxy]"]').first().textContent()).toBe(
      '(waiting for your confirmation in cell quality)',
    );
    await page
      .locator('.nb-prose .nb-ref[data-ref^="quality.agreement[a=proxy]"]')
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'first-minutes-04-waiting.png') });
    await page.click(`${cell('quality')} [data-action="apply-proxy-rule"]`);
    await page.waitForSelector(`${cell('quality')}[data-status="done"] .nb-lines[data-proxy-rule="written"]`, {
      timeout: 120_000,
    });
    expect(await page.textContent(`${cell('quality')} .nb-lines`)).toMatch(
      /The proxy rule \(default thresholds\) labelled .* as confirmed/,
    );
    await page.waitForSelector('.nb-prose .nb-ref[data-ref^="quality.agreement[a=proxy]"][data-state="ok"]');
    expect(await page.locator('.nb-prose .nb-ref[data-ref^="quality."]:not([data-state="ok"])').count()).toBe(0);
    await page.$eval(cell('kappa_heatmap'), (el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'first-minutes-04-confirmed.png') });

    await tab(page, 'labels');
    await page.waitForSelector('.labels-status[data-events="300"]', { timeout: 30_000 });
    expect(await page.textContent('.labels-status')).toContain(
      '300 label events in this browser; last change: 300 label events imported by a notebook',
    );
    await tab(page, 'review');
    await page.waitForSelector('.rv-model-line[data-trained="true"]', { timeout: 120_000 });
  }, 300_000);

  it('the same file picked in the Labels tab is already imported: Confirm appends nothing', async () => {
    await tab(page, 'labels');
    await page.setInputFiles('[data-picker="labels"]', join(SAMPLE_DIR, 'labels/example-labels-v1.csv'));
    await page.waitForSelector('.label-import[data-phase="mapping"] [data-action="check-labels"]', { timeout: 30_000 });
    await page.click('[data-action="check-labels"]');
    await page.waitForSelector('.label-import[data-phase="report"]', { timeout: 60_000 });
    expect(await page.textContent('.import-earlier')).toMatch(
      /already imported on \d{4}-\d\d-\d\d \d\d:\d\d UTC as batch import:example-labels-v1\.csv sha256:/,
    );
    const confirm = page.locator('[data-action="confirm-import"]');
    expect(await confirm.isDisabled()).toBe(true);
    expect(await confirm.textContent()).toBe('Confirm: already imported');
    await page.$eval('.import-earlier', (el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'first-minutes-labels-already.png') });
    expect(await page.getAttribute('.labels-status', 'data-events')).toBe('300');
  }, 120_000);

  it('notebook 01 shows a sql result once: the sql cell is a line naming its table cell', async () => {
    await openShippedNotebook(page, '01-tour-of-a-snapshot', '[data-kind="table"][data-status="done"]', 90_000);
    const summaries = page.locator('[data-kind="sql"] .nb-result-summary');
    // The sql cells finish after the first table cell the page waited for.
    await expect.poll(() => summaries.count(), { timeout: 60_000 }).toBeGreaterThan(3);
    const first = summaries.first();
    expect(await first.textContent()).toMatch(/rows?.*columns?.*shown by table cell [a-z_]+/);
    // Its rows are not drawn until asked for.
    expect(await first.locator('.nb-result-rows').isHidden()).toBe(true);
    await page.screenshot({ path: join(OUTPUT_DIR, 'first-minutes-01.png') });
    await first.locator('[data-action="show-rows"]').click();
    expect(await first.locator('.nb-result-rows table, .nb-result-rows .nb-empty').count()).toBeGreaterThan(0);
  }, 180_000);

  it('at 800x900 the status line and the one-line sql result still read in one piece', async () => {
    await page.setViewportSize({ width: 800, height: 900 });
    await page.$eval('[data-kind="sql"] .nb-result-summary', (el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'first-minutes-01-800.png') });
    const box = await page.locator('[data-kind="sql"] .nb-result-summary').first().boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(800);
    await tab(page, 'labels');
    const status = await page.locator('.labels-status').boundingBox();
    expect(status!.x + status!.width).toBeLessThanOrEqual(800);
    await page.screenshot({ path: join(OUTPUT_DIR, 'first-minutes-labels-800.png') });
  }, 60_000);
});
