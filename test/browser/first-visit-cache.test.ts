/**
 * The sample's checked copy kept in the browser (src/ui/load-cache.ts, src/sot/checked-cache.ts),
 * in Chromium: a first visit checks the sample and keeps it; a reload restores it, shows the same
 * tables and the same problems, and says it came from the kept copy; a served file that changes
 * makes the next visit check everything again (and refuse the changed file); "Forget it" deletes
 * the copy. The dev server serves a copy of the sample (LABEL_LAB_SAMPLE_DIR), so a file can change.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'label-lab-kept-sample-'));
cpSync(resolve('sample-data'), dir, { recursive: true });
// Read by vite.config.ts when the harness starts the dev server.
process.env.LABEL_LAB_SAMPLE_DIR = dir;
const harness = await import('./harness.ts');
const { MILESTONES } = await import('../../src/ui/timeline.ts');

const runnable = harness.chromiumAvailable();

const marked = (page: Page, name: string) =>
  page.evaluate((n) => performance.getEntriesByName(n, 'mark').length > 0, name);

/** Navigate (or reload) and wait for the first screen; what it shows. */
async function visit(page: Page, how: 'goto' | 'reload', url: string) {
  if (how === 'goto') await page.goto(url);
  else await page.reload();
  await page.waitForFunction((n) => performance.getEntriesByName(n, 'mark').length > 0, MILESTONES.firstTablesListed, {
    timeout: 120_000,
  });
  return {
    counts: await harness.shownCounts(page),
    problems: (await page.locator('.problem').allInnerTexts()).sort(),
    restored: await marked(page, MILESTONES.restoredFromCache),
  };
}

const waitKept = (page: Page) =>
  page.waitForFunction((n) => performance.getEntriesByName(n, 'mark').length > 0, MILESTONES.checkedCopyKept, {
    timeout: 120_000,
  });

describe.skipIf(!runnable)('the checked sample kept for the next visit (Chromium)', () => {
  let app: Awaited<ReturnType<typeof harness.startApp>>;
  let browser: Awaited<ReturnType<typeof harness.launchBrowser>>;
  let page: Page;
  let first: Awaited<ReturnType<typeof visit>>;

  beforeAll(async () => {
    app = await harness.startApp();
    browser = await harness.launchBrowser();
    page = await browser.newPage({ width: 1440, height: 900 });
    await page.addInitScript(() => localStorage.setItem('label-lab.start-seen', '1'));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a first visit checks the sample and keeps it', async () => {
    first = await visit(page, 'goto', app.url);
    expect(first.restored).toBe(false);
    expect(first.counts.alerts).toBeGreaterThan(0);
    await waitKept(page);
    expect(await page.getAttribute('.load-kept', 'data-kept')).toBe('saved');
  }, 180_000);

  it('a reload restores the kept copy: the same tables and problems, and it says so', async () => {
    const second = await visit(page, 'reload', app.url);
    expect(second.restored).toBe(true);
    expect(second.counts).toEqual(first.counts);
    expect(second.problems).toEqual(first.problems);
    expect(await page.getAttribute('.load-kept', 'data-kept')).toBe('restored');
    expect(await page.textContent('.load-kept')).toContain('From the checked copy kept in this browser');
    expect(await page.getAttribute('.load-status', 'data-source')).toBe('kept');
    // The restored data answers queries like loaded data: the table view shows rows.
    await page.click('.table-item[data-table="features"]');
    await page.waitForSelector('.data-grid tbody tr, table tbody tr', { timeout: 30_000 });
    await page.screenshot({ path: join(harness.OUTPUT_DIR, 'first-visit-cache-restored-1440.png') });
    await page.setViewportSize({ width: 800, height: 900 });
    await page.screenshot({ path: join(harness.OUTPUT_DIR, 'first-visit-cache-restored-800.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 180_000);

  it('a changed file makes the next visit check everything again, and refuse that file', async () => {
    // Another snapshot's alerts under this one's name: its sha256 is not the one META.json lists.
    const changed = 'snapshots/torus/2025-10-06/7/alerts.parquet';
    writeFileSync(join(dir, changed), readFileSync(join(dir, 'snapshots/torus/2025-10-06/30/alerts.parquet')));
    const third = await visit(page, 'reload', app.url);
    expect(third.restored).toBe(false);
    expect(third.problems.some((p) => p.includes(changed) && p.includes('sha256'))).toBe(true);
    expect(third.counts.alerts).toBeLessThan(first.counts.alerts!);
    await waitKept(page);
  }, 180_000);

  it('"Forget it" deletes the kept copy: the next visit checks again', async () => {
    await page.click('[data-action="forget-kept"]');
    await page.waitForFunction(() => document.querySelector('.load-kept')?.textContent?.includes('deleted'));
    const fourth = await visit(page, 'reload', app.url);
    expect(fourth.restored).toBe(false);
    expect(browser.errors).toEqual([]);
  }, 180_000);
});
