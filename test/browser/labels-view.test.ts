/**
 * The Labels view in a real browser, as a user's session: the community example set imported
 * through the file picker (mapping step, the report before anything is written, Cancel writes
 * nothing, Confirm appends), a bad file reported by code, column and row with nothing written, an
 * unreadable one named, the quality panel following every change, a label restored from the
 * history, suspected mislabels found off the page's thread (and cancelled), the event log
 * exported as Parquet, after a reload every event back from IndexedDB, and labels kept for the tab
 * (and the user told) where the browser refuses storage.
 *
 * One dev server, one browser (one profile, so IndexedDB outlives the reload) and one page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeParquet } from '../../src/db/node.ts';
import { parquetToIPC } from '../../src/db/parquet.ts';
import { type App, appSession, type Browser, chromiumAvailable, openApp, OUTPUT_DIR, SAMPLE_DIR } from './harness.ts';

const EXAMPLE = join(SAMPLE_DIR, 'labels/example-labels-v1.csv');
const exampleRows = readFileSync(EXAMPLE, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [alertId, , , label, source, , , labeledBy] = line.split(',');
    return { alertId: alertId!, label: label!, source: source!, labeledBy: labeledBy! };
  });
const bySource = (source: string) => exampleRows.filter((r) => r.source === source).length;

/** The example set's first community label, relabelled later (the other class) by another community member. */
const relabelled = exampleRows.find((r) => r.source === 'community')!;
const RELABEL_CSV = `alert_id,label,label_source,labeled_at,labeled_by\n${relabelled.alertId},${relabelled.label === '1' ? 0 : 1},community,2025-12-01 09:00:00,community:zoe\n`;

/** One good row, then an unknown alert, a label nobody spells, a confidence above 1 and a repeated row. */
const BAD_CSV = [
  'alert_id,label,label_confidence',
  `${exampleRows[1]!.alertId},1,0.9`,
  'no-such-alert,1,0.9',
  `${exampleRows[2]!.alertId},maybe,0.9`,
  `${exampleRows[3]!.alertId},0,1.5`,
  `${exampleRows[1]!.alertId},1,0.9`,
].join('\n');

const events = (page: Page) => page.getAttribute('.label-quality', 'data-events').then(Number);

/** Wait until the quality panel has been computed with `n` label events. */
async function qualityWith(page: Page, n: number): Promise<void> {
  await page.waitForSelector(`.label-quality[data-state="ready"][data-events="${n}"]`, { timeout: 60_000 });
}

async function pick(page: Page, name: string, content: string | Buffer): Promise<void> {
  await page.setInputFiles('input[data-picker="labels"]', {
    name,
    mimeType: 'text/csv',
    buffer: Buffer.isBuffer(content) ? content : Buffer.from(content),
  });
}

async function check(page: Page): Promise<void> {
  await page.waitForSelector('.label-import[data-phase="mapping"] [data-action="check-labels"]:not([disabled])');
  await page.click('[data-action="check-labels"]');
  await page.waitForSelector('.label-import[data-phase="report"] .import-report', { timeout: 30_000 });
}

async function confirm(page: Page): Promise<number> {
  await page.click('[data-action="confirm-import"]');
  await page.waitForSelector('.label-import[data-phase="done"] .import-done', { timeout: 30_000 });
  return Number(await page.getAttribute('.import-done', 'data-appended'));
}

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('the Labels view in Chromium', () => {
  const session = appSession({ viewport: { width: 1400, height: 2200 }, open: false });
  let app: App;
  let browser: Browser;
  let page: Page;
  beforeAll(() => ({ app, browser, page } = session));

  it('opens with nothing restored in a fresh browser, and quality over the loaded sample', async () => {
    await openApp(page, app.url);
    await page.click('.view-tab[data-view="labels"]');
    expect(await page.getAttribute('.labels-restored', 'data-restored')).toBe('0');
    await qualityWith(page, 0);
    expect(
      await page
        .locator('.label-quality [data-table="coverage"] tr[data-rater="community"]')
        .getAttribute('data-labelled'),
    ).toBe('0');
  });

  it('maps the example set from detected columns and shows how its label values read', async () => {
    await pick(page, 'example-labels-v1.csv', readFileSync(EXAMPLE));
    await page.waitForSelector('.mapping-form');
    for (const field of [
      'alert_id',
      'address',
      'label',
      'label_source',
      'label_confidence',
      'labeled_at',
      'labeled_by',
    ]) {
      expect(await page.inputValue(`select[data-field="${field}"]`), field).toBe(field);
    }
    expect(await page.inputValue('select[data-field="note"]')).toBe('');
    expect(await page.textContent('.mapping-unused')).toContain('processing_date');
    const reads = await page.$$eval('.label-value', (els) =>
      Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.value, (e as HTMLElement).dataset.reads])),
    );
    expect(reads).toEqual({ '0': 'negative', '1': 'positive' });
    // Spelling 1 as negative too is a mapping the core refuses; the chips already show the clash.
    await page.fill('[data-spellings="positive"]', 'yes');
    expect(await page.getAttribute('.label-value[data-value="1"]', 'data-reads')).toBe('unknown');
    await page.fill('[data-spellings="positive"]', '1, true');
    expect(await page.getAttribute('.label-value[data-value="1"]', 'data-reads')).toBe('positive');
  });

  it('reports before writing, and Cancel writes nothing', async () => {
    await check(page);
    const report = page.locator('.import-report');
    expect(await report.getAttribute('data-accepted')).toBe(String(exampleRows.length));
    expect(await report.getAttribute('data-rejected')).toBe('0');
    expect(await page.textContent('.import-report')).toContain(
      `community ${bySource('community')}, validated ${bySource('validated')}`,
    );
    expect(await page.textContent('[data-action="confirm-import"]')).toBe(
      `Confirm: append ${exampleRows.length} label events`,
    );
    await page.locator('.label-import').screenshot({ path: join(OUTPUT_DIR, 'labels-import-report.png') });
    await page.click('[data-action="cancel-import"]');
    await page.waitForSelector('.label-import[data-phase="idle"]');
    expect(await page.textContent('.import-status')).toContain('nothing from example-labels-v1.csv was written');
    expect(await events(page)).toBe(0);
  });

  it('appends on Confirm, and the quality panel follows: coverage per source and kappa against the truth', async () => {
    await pick(page, 'example-labels-v1.csv', readFileSync(EXAMPLE));
    await check(page);
    expect(await confirm(page)).toBe(exampleRows.length);
    await qualityWith(page, exampleRows.length);
    const labelled = (rater: string) =>
      page
        .locator(`.label-quality [data-table="coverage"] tr[data-rater="${rater}"]`)
        .getAttribute('data-labelled')
        .then(Number);
    // An alert id labels each of its rows (7- and 30-day windows), so rows >= events per source.
    expect(await labelled('community')).toBeGreaterThanOrEqual(bySource('community'));
    expect(await labelled('validated')).toBeGreaterThanOrEqual(bySource('validated'));
    expect(await page.textContent('.quality-facts')).toContain(
      `community ${bySource('community')} alert-level, validated ${bySource('validated')} alert-level`,
    );
    const kappa = Number(await page.getAttribute('.label-quality tr[data-pair="community-truth"]', 'data-kappa'));
    expect(kappa).toBeGreaterThan(0.5);
    expect(kappa).toBeLessThanOrEqual(1);
    expect(await page.locator('.label-quality [data-plot="kappa"] svg rect').count()).toBeGreaterThan(0);
    expect(await page.locator('.label-quality [data-plot="balance"] svg rect').count()).toBeGreaterThan(0);
    await page.locator('.label-quality').screenshot({ path: join(OUTPUT_DIR, 'labels-quality.png') });
  });

  it('reports a bad file by issue, column and row, and writes none of it', async () => {
    await pick(page, 'bad-labels.csv', BAD_CSV);
    await check(page);
    const issue = (code: string) => page.locator(`.import-report .problem[data-code="${code}"]`);
    expect(await issue('unknown-alert').getAttribute('data-level')).toBe('error');
    expect(await issue('unknown-alert').textContent()).toContain('no-such-alert');
    expect(await issue('label-unknown').getAttribute('data-column')).toBe('label');
    expect(await issue('label-unknown').locator('.issue-examples').textContent()).toContain('maybe');
    expect(await issue('confidence-range').getAttribute('data-column')).toBe('label_confidence');
    expect(await issue('confidence-range').locator('.issue-examples td.num').first().textContent()).toBe('4');
    expect(await issue('duplicate').getAttribute('data-level')).toBe('warning');
    const report = page.locator('.import-report');
    expect(await report.getAttribute('data-accepted')).toBe('1');
    expect(await report.getAttribute('data-rejected')).toBe('3');
    await page.locator('.label-import').screenshot({ path: join(OUTPUT_DIR, 'labels-bad-report.png') });
    await page.click('[data-action="cancel-import"]');
    await page.waitForSelector('.label-import[data-phase="idle"]');
    expect(await events(page)).toBe(exampleRows.length);
  });

  it('names a file it cannot read, and keeps what is labelled', async () => {
    await pick(page, 'broken.parquet', 'this is not parquet');
    await page.waitForSelector('.import-status[data-state="error"]');
    expect(await page.textContent('.import-status')).toContain('broken.parquet');
    expect(await page.locator('.mapping-form').count()).toBe(0);
    expect(await events(page)).toBe(exampleRows.length);
  });

  it("shows an alert's history and restores an earlier label, which is then in effect", async () => {
    await pick(page, 'relabel.csv', RELABEL_CSV);
    await check(page);
    expect(await confirm(page)).toBe(1);
    await qualityWith(page, exampleRows.length + 1);
    await page.fill('[data-input="history-id"]', relabelled.alertId);
    await page.click('[data-action="history-lookup"]');
    const rows = page.locator('.label-history [data-table="history"] tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    // Newest first: zoe's relabel wins; the example set's label can be restored.
    expect(await rows.nth(0).getAttribute('data-wins')).toBe('true');
    expect(await rows.nth(0).textContent()).toContain('community:zoe');
    await rows.nth(1).locator('[data-action="restore-label"]').click();
    await page.waitForSelector('.history-status[data-restored]');
    expect(await page.textContent('.history-status')).toContain('now in effect');
    await page.waitForFunction(
      () => document.querySelectorAll('.label-history [data-table="history"] tbody tr').length === 3,
    );
    const first = rows.nth(0);
    expect(await first.getAttribute('data-wins')).toBe('true');
    expect(await first.textContent()).toContain(relabelled.labeledBy);
    await qualityWith(page, exampleRows.length + 2);
    await page.locator('.label-history').screenshot({ path: join(OUTPUT_DIR, 'labels-history.png') });
  });

  it('imports a file in its own words once the user maps it: columns, a fixed source and label spellings', async () => {
    const [a, b] = [exampleRows[10]!, exampleRows[11]!];
    await pick(
      page,
      'my-review.csv',
      `ref,verdict,who,comment\n${a.alertId},Bad,ann,peel chain\n${b.alertId},ok,ann,\n`,
    );
    await page.waitForSelector('.mapping-form');
    // Detection finds the label and the note, not the rest.
    expect(await page.inputValue('select[data-field="label"]')).toBe('verdict');
    expect(await page.inputValue('select[data-field="note"]')).toBe('comment');
    expect(await page.inputValue('select[data-field="alert_id"]')).toBe('');
    await page.selectOption('select[data-field="alert_id"]', 'ref');
    await page.selectOption('select[data-field="labeled_by"]', 'who');
    await page.selectOption('select[data-default="label_source"]', 'validated');
    await page.fill('[data-spellings="positive"]', 'bad');
    await page.fill('[data-spellings="negative"]', 'ok');
    expect(await page.getAttribute('.label-value[data-value="Bad"]', 'data-reads')).toBe('positive');
    await check(page);
    expect(await page.getAttribute('.import-report', 'data-accepted')).toBe('2');
    expect(await page.textContent('.import-report')).toContain('by source validated 2');
    expect(await confirm(page)).toBe(2);
    await qualityWith(page, exampleRows.length + 4);
    await page.fill('[data-input="history-id"]', a.alertId);
    await page.click('[data-action="history-lookup"]');
    const newest = page.locator('.label-history [data-table="history"] tbody tr').first();
    await page.waitForFunction(
      (id) => document.querySelector('.label-history .history-head code')?.textContent === id,
      a.alertId,
    );
    const text = await newest.textContent();
    expect(text).toContain('validated');
    expect(text).toContain('ann');
    expect(text).toContain('peel chain');
    expect(await newest.getAttribute('data-wins')).toBe('true');
  });

  it('finds suspected mislabels in a worker, keeping the page responsive, and a suspect opens its history', async () => {
    // Long tasks on the page's thread while the search runs: the fits must not be among them.
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({
        type: 'longtask',
      });
    });
    await page.selectOption('[data-option="suspect-labels"]', 'explicit');
    await page.selectOption('[data-option="suspect-learner"]', 'logistic');
    await page.click('[data-action="find-suspects"]');
    await page.waitForSelector('.label-suspects[data-state="done"]', { timeout: 120_000 });
    const suspects = Number(await page.getAttribute('.label-suspects', 'data-suspects'));
    expect(suspects).toBeGreaterThan(0);
    expect(await page.textContent('.suspects-facts')).toContain('5-fold out-of-fold logistic probabilities');
    const longest = await page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks));
    expect(longest).toBeLessThan(1000);
    const first = page.locator('.label-suspects [data-table="suspects"] tbody tr').first();
    const alertId = (await first.getAttribute('data-alert'))!;
    await first.locator('button').click();
    await page.waitForSelector(`.label-history .history-head code:text-is("${alertId}")`);
    await page.locator('.label-suspects').screenshot({ path: join(OUTPUT_DIR, 'labels-suspects.png') });
  });

  it('cancels a search for suspected mislabels at once', async () => {
    // The effective labels (every proxy-labelled row): 20,000 rows, several seconds of fits.
    await page.selectOption('[data-option="suspect-labels"]', 'effective');
    await page.click('[data-action="find-suspects"]');
    await page.waitForSelector('.suspects-progress:not([hidden]) .progress-detail:text-matches("Fitting fold [2-5]")', {
      timeout: 120_000,
    });
    const started = Date.now();
    await page.click('[data-action="cancel-suspects"]');
    await page.waitForSelector('.label-suspects[data-state="cancelled"]', { timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await page.textContent('.suspects-status')).toContain('Cancelled');
    expect(await page.isEnabled('[data-action="find-suspects"]')).toBe(true);
  });

  it('exports the event log as Parquet with every event', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.click('[data-action="export-events"]'),
    ]);
    expect(download.suggestedFilename()).toMatch(/^label-events-\d{4}-\d{2}-\d{2}\.parquet$/);
    const bytes = new Uint8Array(readFileSync((await download.path())!));
    await initNodeParquet();
    let rows = 0;
    for await (const part of parquetToIPC(bytes)) rows += tableFromIPC(part.ipc).numRows;
    expect(rows).toBe(exampleRows.length + 4);
  });

  it('brings every event back after a reload, before and independent of the sample load', async () => {
    // Every text the status line shows, to catch a moment's wrong word. The saved log is read
    // 2 s late, so the tab is open while the restore is still going on.
    await page.addInitScript(() => {
      const get = IDBObjectStore.prototype.get;
      IDBObjectStore.prototype.get = function (this: IDBObjectStore, key: IDBValidKey | IDBKeyRange) {
        const req = get.call(this, key);
        if (this.name !== 'label-events') return req;
        let handler: ((e: Event) => void) | null = null;
        Object.defineProperty(req, 'onsuccess', {
          set: (fn: (e: Event) => void) => (handler = fn),
          get: () => handler,
        });
        req.addEventListener('success', (e) => setTimeout(() => handler?.(e), 2000));
        return req;
      };
      const seen: string[] = [];
      (window as unknown as { statusTexts: string[] }).statusTexts = seen;
      new MutationObserver(() => {
        const text = document.querySelector('.labels-restored')?.textContent ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.reload();
    await page.waitForSelector('.view-tab[data-view="labels"]', { timeout: 60_000 });
    await page.click('.view-tab[data-view="labels"]');
    expect(await page.getAttribute('.labels-restored', 'data-restored')).toBeNull();
    await page.waitForSelector('.labels-restored[data-restored]', { timeout: 60_000 });
    expect(await page.getAttribute('.labels-restored', 'data-restored')).toBe(String(exampleRows.length + 4));
    // The line's words follow its count from DuckDB a moment after the restore marks it.
    await expect
      .poll(() => page.textContent('.labels-restored'), { timeout: 30_000 })
      .toContain(`Restored ${exampleRows.length + 4} label events`);
    // Never "No labels were saved in this browser yet" while they were being restored.
    const texts = await page.evaluate(() => (window as unknown as { statusTexts: string[] }).statusTexts);
    expect(texts.filter((t) => /No label/.test(t))).toEqual([]);
    expect(texts.at(-1)).toContain(`Restored ${exampleRows.length + 4} label events`);
    await qualityWith(page, exampleRows.length + 4);
    // Once the sample is loaded the restored labels apply to its alerts.
    await page.waitForSelector('.load-progress', { state: 'hidden', timeout: 60_000 });
    await page.waitForFunction(
      () =>
        Number(
          document
            .querySelector('.label-quality [data-table="coverage"] tr[data-rater="validated"]')
            ?.getAttribute('data-labelled'),
        ) > 0,
      undefined,
      { timeout: 60_000 },
    );
    await page.screenshot({ path: join(OUTPUT_DIR, 'labels-restored.png') });
    expect(browser.errors).toEqual([]);
  });

  it('says so when the browser refuses storage, and still takes labels for the tab', async () => {
    const refused = await browser.newPage({ width: 1400, height: 1400 });
    // As in a browser with IndexedDB turned off.
    await refused.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
    try {
      await openApp(refused, app.url);
      await refused.click('.view-tab[data-view="labels"]');
      expect(await refused.textContent('.labels-warning[data-storage="memory"]')).toContain('a reload loses them');
      expect(await refused.getAttribute('.labels-restored', 'data-restored')).toBe('0');
      await pick(refused, 'example-labels-v1.csv', readFileSync(EXAMPLE));
      await check(refused);
      expect(await confirm(refused)).toBe(exampleRows.length);
      await qualityWith(refused, exampleRows.length);
    } finally {
      await refused.close();
    }
  });
});
