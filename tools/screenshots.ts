/**
 * `npm run screenshots`: the README's pictures of the main views, taken from the real app at
 * 1440x900 (the dev server and headless Chromium of the browser tests, test/browser/harness.ts),
 * so they show what the app shows today. Writes docs/screenshots/{data,thresholds,leaderboard,
 * labels,review}.png. The leaderboard needs notebook 03's Run comparison: about a minute.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchBrowser, openApp, ROOT, startApp } from '../test/browser/harness.ts';
import { existsSync } from 'node:fs';

const OUT = join(ROOT, 'docs/screenshots');
const VIEWPORT = { width: 1440, height: 900 };

async function settled(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    () => document.querySelectorAll('[data-cell][data-status="running"], [data-cell][data-status="idle"]').length === 0,
    undefined,
    { timeout },
  );
}

async function openNotebook(page: Page, name: string): Promise<void> {
  await page.click('.view-tab[data-view="notebooks"]');
  await page.click(`.nb-item[data-notebook="${name}"]`);
  await page.waitForFunction(
    (n) => document.querySelector('.notebooks-view')?.getAttribute('data-notebook') === n,
    name,
  );
  await page.waitForSelector('.nb-page-host [data-cell]', { timeout: 60_000 });
  await settled(page);
}

/** Scroll the pane holding `selector` so that it starts near the top of the window. */
async function scrollTo(page: Page, selector: string): Promise<void> {
  await page
    .locator(selector)
    .first()
    .evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(500);
}

async function shoot(page: Page, name: string): Promise<void> {
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path });
  console.log(`wrote ${path}`);
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium first`);
  await mkdir(OUT, { recursive: true });
  const [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  try {
    const page = await browser.newPage(VIEWPORT);
    await openApp(page, app.url);
    await page.waitForSelector('.grid-scroll tbody tr');
    await shoot(page, 'data');

    await openNotebook(page, '02-proxy-label-thresholds');
    // The inputs at the top, the label counts and the first plot under them.
    await scrollTo(page, '[data-cell="rule"]');
    await shoot(page, 'thresholds');

    await openNotebook(page, '03-compare-strategies');
    await page.click('[data-cell="board"] [data-action="run-comparison"]');
    await page.waitForSelector('[data-cell="board"] table.board[data-source="truth"]', { timeout: 600_000 });
    await settled(page, 300_000);
    await scrollTo(page, '[data-cell="board"] .compare-summary');
    await shoot(page, 'leaderboard');

    await page.click('.view-tab[data-view="labels"]');
    await page.waitForSelector('.labels-page');
    await page.waitForTimeout(3_000);
    await shoot(page, 'labels');

    await page.click('.view-tab[data-view="review"]');
    await page.waitForSelector('.alert-card', { timeout: 120_000 });
    await page.waitForTimeout(1_000);
    await shoot(page, 'review');

    if (browser.errors.length) throw new Error(`the app reported errors:\n${browser.errors.join('\n')}`);
  } finally {
    await browser.close();
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
