/**
 * Issue 6's proof, as one session in Chromium: import a CSV of labels in the Labels tab (report,
 * then confirm), label five alerts from the keyboard in the Review tab's queue, reload, and find
 * every one of them again: the imported events and the five labels, restored from IndexedDB.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type App, appSession, type Browser, chromiumAvailable, openApp, SAMPLE_DIR } from './harness.ts';
import { currentAlert } from './review-page.ts';
import { parseMapping } from '../../src/ingest/index.ts';

/** Twelve rows of the community example set, renamed to the spellings a miner's own file might use. */
function minerCsv(): string {
  const [header, ...rows] = readFileSync(join(SAMPLE_DIR, 'labels/example-labels-v1.csv'), 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const at = (name: string) => cols.indexOf(name);
  const lines = rows.slice(0, 12).map((r) => {
    const f = r.split(',');
    return `${f[at('alert_id')]},${f[at('label')] === '1' ? 'illicit' : 'benign'},0.8`;
  });
  return ['alert_id,verdict,label_confidence', ...lines].join('\n');
}

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('bring your own labels, end to end in Chromium', () => {
  const session = appSession({ viewport: { width: 1400, height: 1600 }, open: false });
  let app: App;
  let browser: Browser;
  let page: Page;
  beforeAll(() => ({ app, browser, page } = session));

  it('imports a CSV, labels five alerts from the keyboard, and finds all of them after a reload', async () => {
    await openApp(page, app.url);

    // 1. Import: the label column is called `verdict` and spelt illicit/benign; the mapping step maps it.
    await page.click('.view-tab[data-view="labels"]');
    await page.setInputFiles('input[data-picker="labels"]', {
      name: 'my-labels.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(minerCsv()),
    });
    await page.waitForSelector('.label-import[data-phase="mapping"] [data-action="check-labels"]:not([disabled])');
    await page.selectOption('select[data-field="label"]', 'verdict');
    await page.fill('[data-spellings="positive"]', 'illicit');
    await page.fill('[data-spellings="negative"]', 'benign');
    // The mapping saves as the YAML `lab labels import --mapping` reads, and loads back into the form.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="save-mapping"]')]);
    expect(download.suggestedFilename()).toBe('my-labels.mapping.yaml');
    const saved = readFileSync((await download.path())!, 'utf8');
    const mapping = parseMapping(saved, 'my-labels.mapping.yaml');
    expect(mapping.columns.label).toBe('verdict');
    expect(mapping.labels).toEqual({ positive: ['illicit'], negative: ['benign'] });
    await page.selectOption('select[data-field="label"]', '');
    await page.fill('[data-spellings="positive"]', '1');
    await page.setInputFiles('input[data-picker="mapping"]', {
      name: 'my-labels.mapping.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from(saved),
    });
    await page.waitForFunction(() =>
      /mapping loaded/.test(document.querySelector('.import-status')?.textContent ?? ''),
    );
    expect(await page.inputValue('select[data-field="label"]')).toBe('verdict');
    expect(await page.inputValue('[data-spellings="positive"]')).toBe('illicit');
    await page.click('[data-action="check-labels"]');
    await page.waitForSelector('.label-import[data-phase="report"] .import-report', { timeout: 30_000 });
    expect(await page.getAttribute('.import-report', 'data-accepted')).toBe('12');
    await page.click('[data-action="confirm-import"]');
    await page.waitForSelector('.label-import[data-phase="done"] .import-done', { timeout: 30_000 });
    expect(await page.getAttribute('.import-done', 'data-appended')).toBe('12');

    // 2. Label five alerts in the queue with the keyboard.
    await page.click('.view-tab[data-view="review"]');
    await page.waitForSelector('.rv-name-input');
    await page.fill('.rv-name-input', 'flow-tester');
    await page.click('.rv-name-form button[type="submit"]');
    await page.waitForSelector('.rv-item', { timeout: 60_000 });
    const given: Record<string, number> = {};
    let last = '';
    for (const key of ['p', 'n', 'n', 'p', 'n']) {
      last = await currentAlert(page);
      await page.keyboard.press(key);
      given[last] = key === 'p' ? 1 : 0;
    }
    // Saves run in order: once the last one is saved, all five are.
    await page.waitForFunction(
      (id) => (document.querySelector('.rv-notice')?.textContent ?? '') === `Licit: ${id} (saved).`,
      last,
      { timeout: 20_000 },
    );
    expect(Object.keys(given)).toHaveLength(5);

    // 3. Reload: 12 imported and 5 given, all restored from IndexedDB.
    await page.reload();
    await page.waitForSelector('.view-tab[data-view="labels"]', { timeout: 60_000 });
    await page.click('.view-tab[data-view="labels"]');
    await page.waitForSelector('.labels-restored[data-restored]', { timeout: 60_000 });
    expect(await page.getAttribute('.labels-restored', 'data-restored')).toBe('17');
    await page.waitForSelector('.load-progress', { state: 'hidden', timeout: 60_000 });
    await page.click('.view-tab[data-view="review"]');
    await page.waitForFunction((n) => document.querySelectorAll('.rv-recent-item').length === n, 5, {
      timeout: 60_000,
    });
    const recent = await page.$$eval('.rv-recent-item', (els) =>
      els.map((e) => [(e as HTMLElement).dataset.alert!, Number((e as HTMLElement).dataset.given)] as const),
    );
    expect(Object.fromEntries(recent)).toEqual(given);
    expect(browser.errors).toEqual([]);
  }, 240_000);

  it('sets a saved log it cannot read aside, keeps it, and starts a new one', async () => {
    // A log this build cannot read (damaged bytes), saved under the store's key.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('label-lab-labels', 1);
          open.onsuccess = () => {
            const tx = open.result.transaction('label-events', 'readwrite');
            tx.objectStore('label-events').put(
              {
                format: 'label-lab/label-events/arrow-ipc/1',
                savedAt: '2026-01-01T00:00:00Z',
                events: 3,
                bytes: new Uint8Array([1, 2, 3]),
              },
              'log',
            );
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    await page.reload();
    await page.waitForSelector('.view-tab[data-view="labels"]', { timeout: 60_000 });
    await page.click('.view-tab[data-view="labels"]');
    await page.waitForSelector('.labels-restored[data-state="error"]', { timeout: 60_000 });
    expect(await page.textContent('.labels-restored')).toMatch(
      /could not be restored: the saved label log is damaged: it should hold 3 events but its bytes hold 0\. It was kept aside \(IndexedDB label-lab-labels\/label-events key log-unreadable-[^)]+\); labels given from now on start a new log/,
    );
    const keys = await page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('label-lab-labels', 1);
          open.onsuccess = () => {
            const req = open.result.transaction('label-events', 'readonly').objectStore('label-events').getAllKeys();
            req.onsuccess = () => resolve(req.result.map(String));
            req.onerror = () => reject(req.error);
          };
        }),
    );
    expect(keys.filter((k) => k.startsWith('log-unreadable-'))).toHaveLength(1);
    expect(keys).not.toContain('log');
  }, 120_000);
});
