/**
 * Shared by the Chromium benchmarks: which snapshot to run on, and the app started on it with
 * the snapshot loaded, so each benchmark only measures its own thing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { App, Browser } from '../test/browser/harness.ts';

/** The snapshot: `--data DIR`, else the 1M one `npm run sample-data` makes for the benchmarks. */
export function benchSnapshotDir(data: string | undefined): string {
  if (data) return resolve(data);
  const made = resolve('bench-data/alerts-1000000-seed-7');
  if (existsSync(resolve(made, 'snapshots'))) return made;
  const others = existsSync('bench-data')
    ? readdirSync('bench-data').filter((d) => existsSync(resolve('bench-data', d, 'snapshots')))
    : [];
  throw new Error(
    `no 1M-alert snapshot at ${made}: make it with\n  npm run sample-data -- --alerts 1000000 --seed 7 --out bench-data/alerts-1000000-seed-7\n` +
      `or pass --data DIR${others.length ? ` (bench-data/ has ${others.join(', ')})` : ''}`,
  );
}

/** The dev server serving `dir` as its sample, and Chromium. */
export async function startAppOn(dir: string): Promise<{ app: App; browser: Browser }> {
  process.env.LABEL_LAB_SAMPLE_DIR = dir;
  // Imported after setting the variable: vite.config.ts reads it when loaded.
  const { chromiumAvailable, launchBrowser, startApp } = await import('../test/browser/harness.ts');
  if (!chromiumAvailable()) throw new Error('no Chromium at /usr/bin/chromium');
  const app = await startApp();
  return { app, browser: await launchBrowser() };
}

/** Open the app and wait until it has loaded the snapshot without errors; returns the alert count. */
export async function openLoadedApp(page: Page, url: string, dir: string): Promise<number> {
  console.log(`snapshot: ${dir}`);
  // As a returning user's: a first visit opens on the start page, where the tables are not shown.
  await page.addInitScript(() => localStorage.setItem('label-lab.start-seen', '1'));
  const t0 = performance.now();
  await page.goto(url);
  await page.waitForSelector('.table-item[data-table="alerts"]', { timeout: 900_000 });
  await page.waitForSelector('.load-progress', { state: 'hidden', timeout: 900_000 });
  const loadErrors = await page.locator('.problem.error').allInnerTexts();
  if (loadErrors.length > 0) throw new Error(`the snapshot loaded with errors:\n${loadErrors.join('\n')}`);
  const alerts = Number(await page.getAttribute('.table-item[data-table="alerts"]', 'data-rows'));
  console.log(
    `loaded ${alerts.toLocaleString('en-US')} alerts in the app in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return alerts;
}

/**
 * Run `fn` of a bench page module (`/bench/NAME.ts`, served by the app's dev server) in headless
 * Chromium with `args`, and return what it returns. The page is not the app's own: the app's
 * sample load would compete with the measurement. `dir`, when given, is the snapshot the server
 * serves as its sample.
 */
export async function runInBenchPage<A, R>(module: string, fn: string, args: A, dir?: string): Promise<R> {
  if (dir) process.env.LABEL_LAB_SAMPLE_DIR = dir;
  // Imported after setting the variable: vite.config.ts reads it when loaded.
  const { chromiumAvailable, launchBrowser, startApp } = await import('../test/browser/harness.ts');
  if (!chromiumAvailable()) throw new Error('no Chromium at /usr/bin/chromium: run with --skip-chromium');
  const app = await startApp();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${app.url}sample-data.json`);
    return (await page.evaluate(
      async ([path, name, input]) => {
        const mod = (await import(path as string)) as Record<string, (a: unknown) => Promise<unknown>>;
        return mod[name as string]!(input);
      },
      [module, fn, args] as const,
    )) as R;
  } finally {
    await browser.close();
    await app.close();
  }
}
