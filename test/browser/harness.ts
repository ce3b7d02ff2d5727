/**
 * Shared set-up for browser tests: the app's Vite dev server, started in-process on a free
 * port, and Debian's Chromium driven by playwright-core with a fresh profile.
 *
 * Chromium is a system package here (/usr/bin/chromium): when it is missing, browser tests
 * FAIL under CI (process.env.CI) and are skipped with a message elsewhere.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';
import { quietLogger } from '../../vite.config.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The sample the dev server serves: vite.config.ts reads the same variable. */
export const SAMPLE_DIR = resolve(process.env.LABEL_LAB_SAMPLE_DIR ?? join(ROOT, 'sample-data'));
export const OUTPUT_DIR = join(ROOT, 'test-output');

/**
 * Whether browser tests can run. Missing Chromium is a failure in CI (the suite would pass
 * while testing nothing) and a skip, said out loud, on a developer's machine.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) {
    throw new Error(
      `${CHROMIUM} is missing: CI must install Debian's chromium (.ci/run does) before the browser tests`,
    );
  }
  console.warn(
    `\n  [browser tests] SKIPPED: ${CHROMIUM} not found. Install it with: sudo apt-get install -y chromium\n`,
  );
  return false;
}

export interface App {
  url: string;
  close(): Promise<void>;
}

/** The app's dev server on a free port; its own dependency cache so it never disturbs `npm start`. */
export async function startApp(): Promise<App> {
  const server: ViteDevServer = await createServer({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    cacheDir: join(ROOT, 'node_modules/.vite-browser-tests'),
    // The config's own logger prints at 'info'; tests only want warnings and errors.
    customLogger: quietLogger('warn'),
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, open: false, hmr: false },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) {
    await server.close();
    throw new Error('the Vite dev server did not report a URL');
  }
  return { url, close: () => server.close() };
}

/** Flags for headless Chromium on a machine with no network and no GPU. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** A new page whose console errors and uncaught exceptions are echoed to the test output. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Console errors and page errors seen so far, across pages. */
  errors: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'label-lab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 860 },
  });
  const errors: string[] = [];
  return {
    context,
    errors,
    async newPage(viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const text = `[browser console.error] ${msg.text()}`;
        errors.push(text);
        console.log(text);
      });
      page.on('pageerror', (err) => {
        const text = `[browser uncaught] ${err.message}`;
        errors.push(text);
        console.log(text);
      });
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Open the app and wait until the sample load has finished and the tables are listed. The app
 * opens on its start page only on a first visit: as a returning user's, this page opens on the
 * Data tab (test/browser/layout.test.ts opens a first visit itself).
 */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.addInitScript(() => localStorage.setItem('label-lab.start-seen', '1'));
  await page.goto(url);
  await page.waitForSelector('.table-item[data-table]', { timeout: 60_000 });
  await page.waitForSelector('.load-progress', { state: 'hidden', timeout: 60_000 });
}

/** Row counts per table, as the tables panel shows them. */
export async function shownCounts(page: Page): Promise<Record<string, number>> {
  return page.$$eval('.table-item[data-table]', (items) =>
    Object.fromEntries(
      items.map((el) => [(el as HTMLElement).dataset.table!, Number((el as HTMLElement).dataset.rows)]),
    ),
  );
}

/**
 * Drop files on the window as a user would. Playwright cannot drag from the OS, so this
 * dispatches a real `drop` event carrying a DataTransfer of File objects; the app's folder walk
 * (webkitGetAsEntry) sees no entries for synthetic files and reads the plain file list.
 */
export async function dropFiles(
  page: Page,
  files: { name: string; bytes: Uint8Array; type?: string }[],
): Promise<void> {
  const payload = files.map((f) => ({
    name: f.name,
    type: f.type ?? 'application/octet-stream',
    data: Array.from(f.bytes),
  }));
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.data)], f.name, { type: f.type }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, payload);
}

/**
 * Drop files or whole folders from disk through Chromium's own drag-and-drop (DevTools protocol),
 * so the page sees real entries: folders are walked with webkitGetAsEntry as in a user's drop.
 */
export async function dropPaths(page: Page, paths: string[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const viewport = page.viewportSize() ?? { width: 800, height: 600 };
    const at = { x: Math.round(viewport.width / 2), y: Math.round(viewport.height / 2) };
    const data = { items: [], files: paths, dragOperationsMask: 1 };
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
      await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
    }
  } finally {
    await cdp.detach();
  }
}

export interface AppSession {
  app: App;
  browser: Browser;
  page: Page;
}

/**
 * For a describe block: the dev server, a browser and one page, started before its tests (with the
 * app open and the sample loaded, unless `open` is false) and closed after them. The fields are
 * filled in by the block's first beforeAll, so read them inside hooks and tests.
 */
export function appSession(opts: { viewport?: { width: number; height: number }; open?: boolean } = {}): AppSession {
  const session = {} as AppSession;
  beforeAll(async () => {
    [session.app, session.browser] = await Promise.all([startApp(), launchBrowser()]);
    session.page = await session.browser.newPage(opts.viewport);
    await mkdir(OUTPUT_DIR, { recursive: true });
    if (opts.open !== false) await openApp(session.page, session.app.url);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.app?.close();
  });
  return session;
}

/**
 * Open a shipped notebook from the Notebooks tab, wait for `ready` to show and for every cell to
 * settle, and fail naming any cell that ended in error.
 */
export async function openShippedNotebook(
  page: Page,
  notebook: string,
  ready: string,
  timeout = 60_000,
): Promise<void> {
  await page.click('.view-tab[data-view="notebooks"]');
  await page.click(`.nb-item[data-notebook="${notebook}"]`);
  try {
    await page.waitForSelector(ready, { timeout });
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-cell][data-status="running"], [data-cell][data-status="idle"]').length === 0,
      undefined,
      { timeout },
    );
  } catch (e) {
    // A notebook that never settles (seen once with two test workers): keep what the page showed.
    await keepStalledPage(page, notebook);
    throw e;
  }
  expect(await page.locator('[data-cell][data-status="error"]').allInnerTexts(), `cells of ${notebook} failed`).toEqual(
    [],
  );
}

/**
 * A screenshot (it shows the loaded tables too) and every cell's status, into test-output/, for
 * a notebook that did not settle.
 */
async function keepStalledPage(page: Page, notebook: string): Promise<void> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUTPUT_DIR, `stalled-${notebook}.png`) }).catch(() => undefined);
  // Read without waiting: the page is already late.
  const lines = await page
    .evaluate(() =>
      [...document.querySelectorAll('[data-cell]')].map(
        (el) => `${el.getAttribute('data-cell')}: ${el.getAttribute('data-status')}`,
      ),
    )
    .catch((err: Error) => [`the page could not be read: ${err.message}`]);
  await writeFile(join(OUTPUT_DIR, `stalled-${notebook}.txt`), lines.join('\n') + '\n');
}
