/**
 * The app in a real browser: it starts, loads the committed sample snapshot with the counts its
 * META.json promises, and bad files (dropped or picked) are reported by file and column while
 * everything already loaded stays as it was.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type App,
  appSession,
  type Browser,
  chromiumAvailable,
  dropFiles,
  dropPaths,
  openApp,
  OUTPUT_DIR,
  SAMPLE_DIR,
  shownCounts,
} from './harness.ts';

/** The snapshot tables whose rows META.json counts, per snapshot folder. */
const SNAPSHOT_TABLES = ['alerts', 'features', 'clusters', 'money_flows'] as const;

interface Meta {
  counts: Record<string, number>;
}

function findMetas(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return findMetas(full);
    return e.name === 'META.json' ? [full] : [];
  });
}

/** What the tables panel must show: each snapshot table's META.json counts summed over snapshots. */
function expectedCounts(): Record<string, number> {
  const metas = findMetas(join(SAMPLE_DIR, 'snapshots')).map((p) => JSON.parse(readFileSync(p, 'utf8')) as Meta);
  if (metas.length === 0) throw new Error(`no META.json under ${relative(process.cwd(), SAMPLE_DIR)}/snapshots`);
  const out: Record<string, number> = {};
  for (const table of SNAPSHOT_TABLES) {
    const counted = metas.filter((m) => m.counts[table] !== undefined);
    if (counted.length > 0) out[table] = counted.reduce((n, m) => n + m.counts[table]!, 0);
  }
  // One current labels file per network: every META.json repeats its count.
  const labelCounts = new Set(metas.map((m) => m.counts.address_labels).filter((n) => n !== undefined && n > 0));
  if (labelCounts.size === 1) out.address_labels = [...labelCounts][0]!;
  return out;
}

const TRUNCATED_NAME = 'alerts.parquet';
const CSV_NAME = 'alerts.csv';

function truncatedParquet(): Uint8Array {
  const alerts = findAlertsParquet(join(SAMPLE_DIR, 'snapshots'));
  const bytes = readFileSync(alerts);
  return new Uint8Array(bytes.subarray(0, Math.min(4096, Math.floor(bytes.length / 2))));
}

function findAlertsParquet(dir: string): string {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isFile() && e.name === 'alerts.parquet') return full;
    if (e.isDirectory()) {
      const found = findAlertsParquet(full);
      if (found) return found;
    }
  }
  return '';
}

/** A well-formed alerts CSV except for one confidence above 1. */
const BAD_CONFIDENCE_CSV = [
  'window_days,processing_date,alert_id,address,typology_type,severity,alert_confidence_score',
  '7,2026-01-05,browser-test-1,addr-browser-test-1,PEEL_CHAIN,high,0.82',
  '7,2026-01-05,browser-test-2,addr-browser-test-2,STRUCTURING,critical,1.7',
].join('\n');

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('the app in Chromium', () => {
  const session = appSession({ open: false });
  let app: App;
  let browser: Browser;
  let page: Page;
  let sampleCounts: Record<string, number>;
  beforeAll(() => ({ app, browser, page } = session));

  it('starts, and loads the sample snapshot with the counts its META.json gives', async () => {
    await openApp(page, app.url);
    expect(
      await page.getAttribute('.engine-state', 'data-state'),
      (await page.textContent('.engine-state')) ?? '',
    ).toBe('ready');
    sampleCounts = await shownCounts(page);
    const expected = expectedCounts();
    for (const [table, rows] of Object.entries(expected)) expect(sampleCounts[table], table).toBe(rows);
    expect(await page.locator('.problem.error').count(), 'errors while loading the sample').toBe(0);
  });

  it('is cross-origin isolated, so its workers get SharedArrayBuffer for threaded training', async () => {
    // vite.config.ts sends COOP/COEP on every response; without them the gbm trainer and TF.js's
    // wasm backend fall back to one thread.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
  });

  it("sends handed-over Arrow bytes to DuckDB's worker uncopied, and copies the bytes a caller keeps", async () => {
    const seen = await page.evaluate(async () => {
      // Built in the page, so vitest's transform of this file leaves the import() alone.
      const load = new Function('path', 'return import(path)') as (path: string) => Promise<unknown>;
      const { openBrowserDatabase } = (await load('/src/db/browser.ts')) as typeof import('../../src/db/browser.ts');
      const { jsonRecordsToIPC } = (await load('/src/ingest/json.ts')) as typeof import('../../src/ingest/json.ts');
      const ipc = () => jsonRecordsToIPC([{ x: 1 }, { x: 2 }, { x: 3 }], 'rows.json');
      const db = await openBrowserDatabase();
      try {
        const kept = ipc();
        await db.insertIPC('t', kept, { create: true });
        const handed = ipc();
        await db.insertIPC('t', handed, { create: false, handOver: true });
        // A view into a larger buffer is copied even when handed over: sending it as it is would
        // detach the bytes around it too.
        const part = ipc();
        const larger = new Uint8Array(part.byteLength + 16);
        larger.set(part, 8);
        const view = larger.subarray(8, 8 + part.byteLength);
        await db.insertIPC('t', view, { create: false, handOver: true });
        const n = Number((await db.query('SELECT count(*)::INTEGER AS n FROM t')).getChildAt(0)?.get(0));
        return {
          n,
          kept: kept.byteLength,
          handed: handed.byteLength,
          view: view.byteLength,
          larger: larger.byteLength,
        };
      } finally {
        await db.close();
      }
    });
    expect(seen.n).toBe(9);
    expect(seen.kept).toBeGreaterThan(0);
    expect(seen.handed, 'a handed-over whole buffer is transferred (detached), not copied').toBe(0);
    expect(seen.view).toBeGreaterThan(0);
    expect(seen.larger).toBe(seen.view + 16);
  });

  it('shows a table: its columns and first rows, dates as dates', async () => {
    await page.click('.table-item[data-table="alerts"]');
    await page.waitForSelector('.grid tbody tr');
    const columns = await page.$$eval('.columns-table .col-name', (els) => els.map((e) => e.textContent));
    expect(columns).toContain('alert_confidence_score');
    const dateIndex = await page.$$eval('.grid thead th', (ths) =>
      ths.findIndex((th) => th.textContent === 'processing_date'),
    );
    expect(dateIndex).toBeGreaterThan(0);
    const date = await page.locator(`.grid tbody tr:first-child > :nth-child(${dateIndex + 1})`).textContent();
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('reports a dropped truncated Parquet by file name, and keeps what was loaded', async () => {
    await dropFiles(page, [{ name: TRUNCATED_NAME, bytes: truncatedParquet() }]);
    const problem = page.locator(`.problem.error[data-file="${TRUNCATED_NAME}"]`);
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.textContent()).toContain(TRUNCATED_NAME);
    await page.waitForSelector('.load-progress', { state: 'hidden' });
    expect(await shownCounts(page)).toEqual(sampleCounts);
  });

  it('reports a picked CSV with an out-of-range confidence by file and column, and keeps what was loaded', async () => {
    await page.setInputFiles('input[data-picker="files"]', {
      name: CSV_NAME,
      mimeType: 'text/csv',
      buffer: Buffer.from(BAD_CONFIDENCE_CSV),
    });
    const problem = page.locator(`.problem.error[data-file="${CSV_NAME}"][data-column="alert_confidence_score"]`);
    await problem.waitFor({ timeout: 30_000 });
    const text = await problem.textContent();
    expect(text).toContain(CSV_NAME);
    expect(text).toContain('alert_confidence_score');
    await page.waitForSelector('.load-progress', { state: 'hidden' });
    expect(await shownCounts(page)).toEqual(sampleCounts);

    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUTPUT_DIR, 'app.png') });
  });

  it('walks a dropped folder, keeping paths relative to it so the snapshot layout is recognised', async () => {
    const groupsBefore = await page.locator('.problem-group').count();
    await dropPaths(page, [join(SAMPLE_DIR, 'snapshots')]);
    // Each load's problems arrive as one new group, at the top, when the load ends.
    await page.waitForFunction((n) => document.querySelectorAll('.problem-group').length > n, groupsBefore, {
      timeout: 30_000,
    });
    const alerts = relative(SAMPLE_DIR, findAlertsParquet(join(SAMPLE_DIR, 'snapshots')))
      .split(sep)
      .join('/');
    // The same files are loaded already: the loader knows them by their snapshot paths and skips them.
    const skipped = page
      .locator('.problem-group')
      .first()
      .locator(`.problem.warning[data-file="${alerts}"]`, { hasText: 'already loaded' });
    expect(await skipped.count()).toBe(1);
    await page.waitForSelector('.load-progress', { state: 'hidden' });
    expect(await shownCounts(page)).toEqual(sampleCounts);
  });

  it('logged no errors in the browser console', () => {
    expect(browser.errors).toEqual([]);
  });
});
