/**
 * The Review view in Chromium on the sample: name the labeller, label five alerts from the
 * keyboard (illicit and licit, one skip, one undo), check the running count, check that keys
 * typed into a field do nothing, retrain in the background while watching the main thread
 * (PerformanceObserver 'longtask'), then reload and find the five labels again, read back
 * from the saved label log.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSession, type Browser, chromiumAvailable, OUTPUT_DIR } from './harness.ts';
import { currentAlert } from './review-page.ts';

const runnable = chromiumAvailable();
const LABELLER = 'browser-tester';

async function openReview(page: Page): Promise<void> {
  await page.click('.view-tab[data-view="review"]');
  await page.waitForSelector('.review-view');
}

async function counts(page: Page): Promise<Record<string, string>> {
  return page.$$eval('.rv-tally [data-count]', (els) =>
    Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.count!, e.textContent!.split(' ')[0]!])),
  );
}

/** Wait until every label action has been saved: the notice names the last one as saved. */
async function waitSaved(page: Page, text: RegExp): Promise<void> {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('.rv-notice')?.textContent ?? ''),
    text.source,
    { timeout: 20_000 },
  );
}

describe.skipIf(!runnable)('the Review view in Chromium', () => {
  const session = appSession();
  let browser: Browser;
  let page: Page;
  beforeAll(() => ({ browser, page } = session));

  it('labels five alerts from the keyboard, counts them, and keeps them over a reload', async () => {
    await openReview(page);
    // Asked once for a name; keys do nothing before it is given.
    await page.waitForSelector('.rv-name-input');
    await page.fill('.rv-name-input', LABELLER);
    await page.click('.rv-name-form button[type="submit"]');
    await page.waitForSelector('.rv-labeler-name');
    expect(await page.textContent('.rv-labeler-name')).toBe(LABELLER);

    // The first queue: random, and it says why.
    await page.waitForSelector('.rv-model-line[data-trained="false"]', { timeout: 60_000 });
    expect(await page.textContent('.rv-model-line')).toMatch(/Random order.*0 illicit and 0 licit.*both classes/);
    expect(await page.$$('.rv-item')).toHaveLength(10);
    await page.screenshot({ path: join(OUTPUT_DIR, 'review-start.png') });

    // Keys typed into a field are text, not labels.
    await page.click('.rv-batch');
    await page.keyboard.press('p');
    await page.keyboard.press('n');
    expect(await counts(page)).toMatchObject({ labelled: '0', left: '10' });
    await page.click('.ac-id');

    const given: Record<string, 0 | 1> = {};
    const press = async (key: string) => {
      const alert = await currentAlert(page);
      await page.keyboard.press(key);
      return alert;
    };
    given[await press('p')] = 1;
    given[await press('n')] = 0;
    const skipped = await press('s');
    given[await press('1')] = 1;
    given[await press('0')] = 0;
    const undone = await press('p');
    await waitSaved(page, /^Illicit: .* \(saved\)\.$/);
    // Undo (Ctrl+Z, or U) takes back the last label and returns to its alert.
    await page.keyboard.press('Control+z');
    await waitSaved(page, new RegExp(`^Label of ${undone} taken back`));
    expect(await currentAlert(page)).toBe(undone);
    given[await press('n')] = 0;
    await waitSaved(page, new RegExp(`^Licit: ${undone} \\(saved\\)\\.$`));

    expect(Object.keys(given)).toHaveLength(5);
    expect(await counts(page)).toEqual({ labelled: '5', positives: '2', negatives: '3', skipped: '1', left: '4' });
    const states = await page.$$eval('.rv-item', (els) =>
      els.map((e) => [e.querySelector('button')!.title, (e as HTMLElement).dataset.state]),
    );
    expect(states.filter(([, s]) => s === 'skipped').map(([id]) => id)).toEqual([skipped]);
    for (const [id, label] of Object.entries(given)) expect(states).toContainEqual([id, `labelled-${label}`]);
    await page.screenshot({ path: join(OUTPUT_DIR, 'review-labelled.png') });

    // Back to a labelled alert: the card shows its label and source.
    const first = Object.keys(given)[0]!;
    await page.click(`.rv-item-button[title="${first}"]`);
    await page.waitForSelector(`.alert-card[data-alert="${first}"] .ac-label[data-label="1"][data-source="miner"]`);
    expect(await page.textContent('.ac-label')).toContain(LABELLER);

    // Retrain on demand, in the background: the model now has both classes.
    const watch = await page.evaluateHandle(() => {
      const tasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push(e.duration);
      });
      observer.observe({ type: 'longtask', buffered: false });
      return { tasks, stop: () => observer.disconnect() };
    });
    const t0 = Date.now();
    await page.click('.rv-retrain');
    await page.waitForSelector('.rv-model-line[data-trained="true"]', { timeout: 60_000 });
    const wall = Date.now() - t0;
    const tasks = await watch.evaluate((w) => {
      w.stop();
      return w.tasks;
    });
    const longest = Math.max(0, ...tasks);
    console.log(
      `  [review] retrain with a model: ${wall} ms wall; main-thread long tasks ${tasks.length}, longest ${Math.round(longest)} ms, total ${Math.round(tasks.reduce((a, b) => a + b, 0))} ms`,
    );
    // Measured on the sample: at most one long task of 50-80 ms (the feature matrix arriving from
    // DuckDB); the JavaScript steps yield between them (before they did, one task held 130-170 ms).
    // The bound leaves room for a busy machine and still catches a fit moved onto the page.
    expect(longest).toBeLessThan(250);
    // Rows, not alerts: an alert labelled once labels each of its windows.
    const trained =
      /logistic regression trained on 5 labelled alerts \((\d+) rows?: (\d+) illicit \/ (\d+) licit\)/.exec(
        (await page.textContent('.rv-model-line'))!,
      );
    expect(trained).not.toBeNull();
    const [rowsN, pos, neg] = trained!.slice(1).map(Number) as [number, number, number];
    expect(pos + neg).toBe(rowsN);
    expect(pos).toBeGreaterThanOrEqual(2);
    expect(neg).toBeGreaterThanOrEqual(3);
    expect(rowsN).toBeLessThanOrEqual(10);
    // The new batch leaves out what was labelled or skipped; the session's count carries on.
    const fresh = await page.$$eval('.rv-item-button', (els) => els.map((e) => e.getAttribute('title')!));
    expect(fresh).toHaveLength(10);
    for (const id of [...Object.keys(given), skipped]) expect(fresh).not.toContain(id);
    expect(await counts(page)).toEqual({ labelled: '5', positives: '2', negatives: '3', skipped: '1', left: '10' });
    await currentAlert(page);
    await page.screenshot({ path: join(OUTPUT_DIR, 'review-retrained.png'), fullPage: false });

    // Reload: the labels come back from the saved log.
    await page.reload();
    await page.waitForSelector('.table-item[data-table]', { timeout: 60_000 });
    await page.waitForSelector('.load-progress', { state: 'hidden', timeout: 60_000 });
    await openReview(page);
    expect(await page.textContent('.rv-labeler-name')).toBe(LABELLER);
    // The list is read from the restored log; each entry also says the label the alert has now.
    await page.waitForFunction((n) => {
      const items = [...document.querySelectorAll<HTMLElement>('.rv-recent-item')];
      return items.length === n && items.every((e) => e.dataset.now !== 'none');
    }, 5);
    const recent = await page.$$eval('.rv-recent-item', (els) =>
      els.map((e) => [
        (e as HTMLElement).dataset.alert!,
        Number((e as HTMLElement).dataset.given),
        (e as HTMLElement).dataset.now,
      ]),
    );
    expect(recent.map(([id]) => id).sort()).toEqual(Object.keys(given).sort());
    for (const [id, label, now] of recent) {
      expect(label).toBe(given[id as string]);
      expect(now).toBe(String(label));
    }
    // The model after the reload trains on the same five labels.
    await page.waitForSelector('.rv-model-line[data-trained="true"]', { timeout: 60_000 });
    expect(await page.textContent('.rv-model-line')).toContain(
      `trained on 5 labelled alerts (${rowsN} rows: ${pos} illicit / ${neg} licit)`,
    );
    expect(await counts(page)).toMatchObject({ labelled: '0', left: '10' });
    await currentAlert(page);
    await page.screenshot({ path: join(OUTPUT_DIR, 'review-reloaded.png') });
    expect(browser.errors).toEqual([]);
  }, 240_000);

  it('retrains by itself when a batch is done, and a cancelled retrain keeps the queue it had', async () => {
    await page.fill('.rv-batch', '2');
    await page.click('.rv-retrain');
    await page.waitForFunction(
      () => document.querySelectorAll('.rv-item').length === 2 && !document.querySelector('.rv-cancel:not([hidden])'),
      undefined,
      { timeout: 60_000 },
    );
    const before = await page.$$eval('.rv-item-button', (els) => els.map((e) => e.getAttribute('title')!));
    await page.click('.ac-id');
    await currentAlert(page);
    await page.keyboard.press('p');
    await currentAlert(page);
    await page.keyboard.press('n');
    // The last save starts the retrain: a new batch of two, none of the two just labelled.
    await page.waitForFunction(
      (old) => {
        const ids = [...document.querySelectorAll('.rv-item-button')].map((e) => e.getAttribute('title'));
        return (
          ids.length === 2 &&
          ids.every((id) => !old.includes(id!)) &&
          !document.querySelector('.rv-cancel:not([hidden])')
        );
      },
      before,
      { timeout: 60_000 },
    );
    expect(await page.textContent('.rv-model-line')).toMatch(/trained on 7 labelled alerts/);
    expect(await counts(page)).toMatchObject({ labelled: '2', positives: '1', negatives: '1', left: '2' });

    const queue = await page.$$eval('.rv-item-button', (els) => els.map((e) => e.getAttribute('title')!));
    await page.click('.rv-retrain');
    await page.click('.rv-cancel');
    await page.waitForSelector('.rv-progress[data-state="cancelled"]');
    expect(await page.textContent('.rv-progress')).toMatch(/cancelled/);
    // Give a cancelled run time to finish in DuckDB's worker: it must not swap its queue in.
    await page.waitForTimeout(3000);
    expect(await page.$$eval('.rv-item-button', (els) => els.map((e) => e.getAttribute('title')!))).toEqual(queue);
    expect(await page.isEnabled('.rv-retrain')).toBe(true);
    expect(browser.errors).toEqual([]);
  }, 120_000);
});
