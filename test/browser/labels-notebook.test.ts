/**
 * Notebook 04 in a real browser, on the sample: its labels cell imports the community example set
 * once (the Labels tab sees the 300 events), its quality cell reports on them, and after a reload
 * the notebook finds the import in the saved event log instead of appending it again.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type App, appSession, chromiumAvailable, openApp, openShippedNotebook, OUTPUT_DIR } from './harness.ts';

const NOTEBOOK = '04-bring-your-own-labels';
const cell = (name: string) => `[data-cell="${name}"]`;

const openNotebook04 = (page: Page) =>
  openShippedNotebook(page, NOTEBOOK, `${cell('quality')}[data-status="done"] .nb-lines`, 90_000);

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('notebook 04 (bring your own labels) in Chromium', () => {
  const session = appSession();
  let app: App;
  let page: Page;
  beforeAll(() => ({ app, page } = session));

  it('imports the example set once and reports its quality', async () => {
    await openNotebook04(page);
    const labels = page.locator(`${cell('community')} .nb-lines`);
    expect(await labels.getAttribute('data-accepted')).toBe('300');
    expect(await labels.getAttribute('data-appended')).toBe('300');
    expect(await labels.textContent()).toContain('Appended 300 label events');
    expect(await page.locator(`${cell('quality')} .nb-lines`).getAttribute('data-suspects')).toBe('25');
    // The agreement table names community against the ground truth, with its kappa.
    expect(await page.textContent(`${cell('agreement_table')}`)).toContain('ground truth');
    expect(await page.locator(`${cell('kappa_heatmap')} .nb-plot svg`).count()).toBe(1);
    await page.screenshot({ path: join(OUTPUT_DIR, 'notebook-04.png'), fullPage: true });
    // The Labels tab sees the notebook's import.
    await page.click('.view-tab[data-view="labels"]');
    await page.waitForSelector('.label-quality[data-state="ready"][data-events="300"]', { timeout: 60_000 });
  });

  it('after a reload, finds the import in the saved log and appends nothing', async () => {
    await page.reload();
    await openApp(page, app.url);
    await page.click('.view-tab[data-view="labels"]');
    await page.waitForSelector('.labels-restored[data-restored]', { timeout: 60_000 });
    expect(await page.getAttribute('.labels-restored', 'data-restored')).toBe('300');
    await openNotebook04(page);
    const labels = page.locator(`${cell('community')} .nb-lines`);
    expect(await labels.getAttribute('data-appended')).toBe('0');
    expect(await labels.textContent()).toMatch(/Already imported: the same file's 300 events/);
    await page.click('.view-tab[data-view="labels"]');
    await page.waitForSelector('.label-quality[data-state="ready"][data-events="300"]', { timeout: 60_000 });
  }, 240_000);
});
