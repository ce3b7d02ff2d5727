/**
 * The training worker on a cross-origin isolated page can train on every core: its wasm backend
 * starts the threaded build with an XNNPACK pool of navigator.hardwareConcurrency threads (at most
 * 8), and the description the app and the leaderboard show says so. TF.js 4.22 alone would size
 * the pool to half the logical cores, one thread on a 2-core machine (src/ml/wasm-threads.ts).
 * Left to itself the worker measures every core against one and keeps the faster: both pools
 * must have run, and the kept one must be the faster.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendChoice, BackendOptions } from '../../src/ml/backend.ts';
import { type App, type Browser, chromiumAvailable, launchBrowser, ROOT, startApp } from './harness.ts';

const runnable = chromiumAvailable();

/** Start the app's training worker (fit-worker-client.ts) with `backend` and report its choice. */
async function workerChoice(
  page: Page,
  backend: Omit<BackendOptions, 'wasmPath'>,
): Promise<{ choice: BackendChoice; cores: number; isolated: boolean }> {
  // A script string, not a function: Vitest would rewrite a function's import() for Node.
  return page.evaluate(`(async () => {
    const { createWorkerRunner } = await import('/src/training/fit-worker-client.ts');
    const runner = createWorkerRunner({ backend: ${JSON.stringify(backend)} });
    try {
      const choice = await runner.backend();
      return { choice, cores: navigator.hardwareConcurrency, isolated: crossOriginIsolated };
    } finally {
      runner.dispose();
    }
  })()`);
}

describe.skipIf(!runnable)('the training worker in Chromium', () => {
  let app: App;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    page = await browser.newPage();
    // Any page of the app's origin: the test imports the worker client itself.
    await page.goto(`${app.url}sample-data.json`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('starts the wasm backend on every core of an isolated page when asked, and says so', async () => {
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(cores, 'this check needs a machine with more than one core').toBeGreaterThan(1);
    const want = Math.min(cores, 8);
    const { choice, isolated } = await workerChoice(page, { preferred: 'wasm', threads: cores });
    expect(isolated, 'the dev server sends COOP/COEP').toBe(true);
    expect(choice.name).toBe('wasm');
    expect(choice.threads).toBe(want);
    expect(choice.description).toContain(`[SIMD, ${want} threads]`);
  }, 60_000);

  it('starts as many threads as asked, one included', async () => {
    const one = await workerChoice(page, { preferred: 'wasm', threads: 1 });
    expect(one.choice.threads).toBe(1);
    expect(one.choice.description).toContain('[SIMD, 1 thread]');
  }, 60_000);

  it('left to itself, runs one thread and every core, keeps the faster, and says what it measured', async () => {
    const { choice, cores } = await workerChoice(page, { preferred: 'wasm' });
    const rates = choice.threadRates ?? [];
    expect(rates.map((r) => r.threads)).toEqual([1, Math.min(cores, 8)]);
    for (const r of rates) expect(r.samplesPerSecond).toBeGreaterThan(0);
    const faster = rates.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
    expect(choice.threads).toBe(faster.threads);
    expect(choice.description).toMatch(
      /\[SIMD, \d threads? \(measured: 1 thread \d+k samples\/s, \d threads \d+k samples\/s\)\]/,
    );
  }, 60_000);

  it("the app's own choice (every backend probed) measures the pool too when wasm wins", async () => {
    const { choice, cores } = await workerChoice(page, { measure: true });
    expect(choice.attempts.find((a) => a.name === 'wasm')?.ok).toBe(true);
    if (choice.name !== 'wasm') return; // webgl or cpu won the probe on this machine
    expect(choice.threadRates?.map((r) => r.threads)).toEqual([1, Math.min(cores, 8)]);
  }, 60_000);
});

describe.skipIf(!runnable)('the training worker of the production build (vite build, vite preview)', () => {
  let outDir: string;
  let browser: Browser;
  let close: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'label-lab-dist-'));
    await build({
      root: ROOT,
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    const server = await preview({
      root: ROOT,
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0 },
    });
    url = server.resolvedUrls!.local[0]!;
    close = () => new Promise((done) => server.httpServer.close(() => done()));
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await close?.();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('runs wasm on every core with no error from its pthread workers (minified TF.js glue)', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}sample-data.json`);
    const worker = (await readdir(join(outDir, 'assets'))).find((f) => /^fit\.worker-.*\.js$/.test(f));
    expect(worker, 'the build emits the training worker').toBeDefined();
    const reply = (await page.evaluate(
      `new Promise((resolve) => {
        const w = new Worker('/assets/${worker}', { type: 'module' });
        w.onmessage = (e) => resolve({ ...e.data, cores: navigator.hardwareConcurrency });
        setTimeout(() => resolve({ type: 'timeout' }), 30000);
        w.postMessage({ op: 'init', backend: { preferred: 'wasm' } });
      })`,
    )) as { type: string; choice?: BackendChoice; cores: number };
    expect(reply.type, 'the worker reports the backend it started').toBe('backend');
    expect(reply.cores).toBeGreaterThan(1);
    // The pool of every core ran (measured) in the production build.
    const rates = reply.choice!.threadRates ?? [];
    expect(rates.map((r) => r.threads)).toEqual([1, Math.min(reply.cores, 8)]);
    for (const r of rates) expect(r.samplesPerSecond).toBeGreaterThan(0);
    // Give a failing pthread worker time to report.
    await page.waitForTimeout(1000);
    expect(browser.errors).toEqual([]);
  }, 60_000);
});
