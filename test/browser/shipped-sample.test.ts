/**
 * The sample's checked copy shipped with the app (vite.config.ts CheckedSample,
 * src/node/checked-sample.ts), in Chromium: a first visit restores it instead of checking every
 * file, shows what checking them shows and says where it came from; a damaged copy, or one whose
 * key no longer matches the files served (a file changed), means the normal load, with the
 * changed file refused. The dev server serves the copy because LABEL_LAB_CHECKED_SAMPLE is set,
 * over a copy of the sample (LABEL_LAB_SAMPLE_DIR), so a file can change.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'label-lab-shipped-sample-'));
cpSync(resolve('sample-data'), dir, { recursive: true });
// Read by vite.config.ts when the harness starts the dev server, and when the copy is asked for.
process.env.LABEL_LAB_SAMPLE_DIR = dir;
process.env.LABEL_LAB_CHECKED_SAMPLE = '1';
const harness = await import('./harness.ts');
const { MILESTONES } = await import('../../src/ui/timeline.ts');
const { CHECKED_SAMPLE_FILE } = await import('../../src/sot/checked-file.ts');

const runnable = harness.chromiumAvailable();

/** A first visit (a fresh profile): what it shows, and whether the sample came from the shipped copy. */
async function firstVisit(url: string, prepare?: (page: Page) => Promise<unknown>) {
  const browser = await harness.launchBrowser();
  const page = await browser.newPage({ width: 1440, height: 900 });
  await prepare?.(page);
  await harness.openApp(page, url);
  await page.waitForFunction((n) => performance.getEntriesByName(n, 'mark').length > 0, MILESTONES.firstTablesListed, {
    timeout: 120_000,
  });
  return {
    browser,
    page,
    counts: await harness.shownCounts(page),
    problems: (await page.locator('.problem').allInnerTexts()).sort(),
    shipped: await page.evaluate(
      (n) => performance.getEntriesByName(n, 'mark').length > 0,
      MILESTONES.restoredFromShipped,
    ),
  };
}

describe.skipIf(!runnable)('the checked sample shipped with the app (Chromium)', () => {
  let app: Awaited<ReturnType<typeof harness.startApp>>;
  let checked: Awaited<ReturnType<typeof firstVisit>>;

  beforeAll(async () => {
    app = await harness.startApp();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a damaged copy is passed over: the files are checked as usual', async () => {
    checked = await firstVisit(app.url, (page) =>
      page.route(`**/${CHECKED_SAMPLE_FILE}`, (route) => route.fulfill({ status: 200, body: 'not a checked load' })),
    );
    try {
      expect(checked.shipped).toBe(false);
      expect(checked.counts.alerts).toBeGreaterThan(0);
      expect(checked.browser.errors).toEqual([]);
    } finally {
      await checked.browser.close();
    }
  }, 180_000);

  it('a first visit restores the shipped copy: the same tables and problems, and it says so', async () => {
    const v = await firstVisit(app.url);
    try {
      expect(v.shipped).toBe(true);
      expect(v.counts).toEqual(checked.counts);
      expect(v.problems).toEqual(checked.problems);
      expect(await v.page.getAttribute('.load-status', 'data-source')).toBe('shipped');
      expect(await v.page.getAttribute('.load-kept', 'data-kept')).toBe('shipped');
      expect(await v.page.textContent('.load-kept')).toContain('From the checked copy this app was built with');
      // The restored data answers queries like loaded data: the table view shows rows.
      await v.page.click('.table-item[data-table="features"]');
      await v.page.waitForSelector('.data-grid tbody tr, table tbody tr', { timeout: 30_000 });
      await v.page.screenshot({ path: join(harness.OUTPUT_DIR, 'shipped-sample-1440.png') });
      await v.page.setViewportSize({ width: 800, height: 900 });
      await v.page.screenshot({ path: join(harness.OUTPUT_DIR, 'shipped-sample-800.png') });
      expect(v.browser.errors).toEqual([]);
    } finally {
      await v.browser.close();
    }
  }, 180_000);

  it('a changed file makes the copy not of these files: everything is checked, and that file refused', async () => {
    // Another snapshot's alerts under this one's name: its sha256 is not the one META.json lists.
    const changed = 'snapshots/torus/2025-10-06/7/alerts.parquet';
    writeFileSync(join(dir, changed), readFileSync(join(dir, 'snapshots/torus/2025-10-06/30/alerts.parquet')));
    const v = await firstVisit(app.url);
    try {
      expect(v.shipped).toBe(false);
      expect(v.problems.some((p) => p.includes(changed) && p.includes('sha256'))).toBe(true);
      expect(v.counts.alerts).toBeLessThan(checked.counts.alerts!);
      expect(v.browser.errors).toEqual([]);
    } finally {
      await v.browser.close();
    }
  }, 180_000);
});
