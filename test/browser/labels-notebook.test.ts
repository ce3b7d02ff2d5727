/**
 * Notebook 04 in a real browser, on the sample: opening it writes nothing (the labels cell shows
 * what it would import, the quality cell what the proxy rule would write, and the Labels tab
 * stays empty); Confirm import appends the community example set once (the Labels tab sees the
 * 300 events), its quality cell reports on them, and after a reload the notebook finds the import
 * in the saved event log instead of offering it again.
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

  it('opening writes nothing; Confirm imports the example set once and its quality follows', async () => {
    await openNotebook04(page);
    const labels = page.locator(`${cell('community')} .nb-lines`);
    expect(await labels.getAttribute('data-accepted')).toBe('300');
    expect(await labels.getAttribute('data-appended')).toBe('0');
    expect(await labels.getAttribute('data-pending')).toBe('300');
    expect(await labels.textContent()).toContain('Nothing written yet: confirming appends 300 label events');
    expect(await page.getAttribute(`${cell('quality')} .nb-lines`, 'data-proxy-rule')).toBe('pending');
    // The Labels tab: no events, and its status line says so.
    await page.click('.view-tab[data-view="labels"]');
    await page.waitForSelector('.label-quality[data-state="ready"][data-events="0"]', { timeout: 60_000 });
    expect(await page.getAttribute('.labels-status', 'data-events')).toBe('0');
    await page.click('.view-tab[data-view="notebooks"]');

    await page.click(`${cell('community')} [data-action="confirm-import"]`);
    await page.waitForSelector(`${cell('community')} .nb-lines[data-appended="300"]`, { timeout: 60_000 });
    await page.waitForSelector(`${cell('quality')}[data-status="done"] .nb-lines`, { timeout: 90_000 });
    expect(await labels.textContent()).toContain('Appended 300 label events');
    expect(await page.locator(`${cell('quality')} .nb-lines`).getAttribute('data-suspects')).toBe('25');
    // The agreement table names community against the ground truth, with its kappa.
    expect(await page.textContent(`${cell('agreement_table')}`)).toContain('ground truth');
    expect(await page.locator(`${cell('kappa_heatmap')} .nb-plot svg`).count()).toBe(1);
    await page.screenshot({ path: join(OUTPUT_DIR, 'notebook-04.png'), fullPage: true });
    // The Labels tab sees the notebook's import.
    await page.click('.view-tab[data-view="labels"]');
    await page.waitForSelector('.label-quality[data-state="ready"][data-events="300"]', { timeout: 60_000 });
    // The status line is written after its own count from DuckDB, not with the quality panel.
    await expect
      .poll(() => page.textContent('.labels-status'), { timeout: 30_000 })
      .toContain('300 label events in this browser; last change: 300 label events imported by a notebook');
  }, 240_000);

  it('after a reload, finds the import in the saved log and appends nothing', async () => {
    await page.reload();
    await openApp(page, app.url);
    await page.click('.view-tab[data-view="labels"]');
    await page.waitForSelector('.labels-restored[data-restored]', { timeout: 60_000 });
    expect(await page.getAttribute('.labels-restored', 'data-restored')).toBe('300');
    await openNotebook04(page);
    const labels = page.locator(`${cell('community')} .nb-lines`);
    expect(await labels.getAttribute('data-appended')).toBe('0');
    expect(await labels.getAttribute('data-pending')).toBe('0');
    expect(await labels.textContent()).toMatch(
      /this file was already imported on .* as batch import:example-labels-v1\.csv sha256:/,
    );
    expect(await page.locator(`${cell('community')} [data-action="confirm-import"]`).count()).toBe(0);
    await page.click('.view-tab[data-view="labels"]');
    await page.waitForSelector('.label-quality[data-state="ready"][data-events="300"]', { timeout: 60_000 });
  }, 240_000);
});
