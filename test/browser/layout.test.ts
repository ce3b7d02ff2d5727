/**
 * A newcomer's first minutes, at 1440x900 and 800x900: the start page on a first visit (what is
 * loaded, the notebooks as a path, the sample's warnings explained), a window that never
 * scrolls whatever pane the wheel is over, docs rendered inside the app with their links kept
 * in it (the loaded data stays), and narrow layouts where the notebook list, Review's toolbar
 * and card stay in the window and wide tables show that they scroll.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSession, type Browser, chromiumAvailable, OUTPUT_DIR, shownCounts } from './harness.ts';

const runnable = chromiumAvailable();

/** Wheel down and right over the middle of every pane that scrolls, then say how the window stands. */
async function wheelEveryPane(page: Page): Promise<{ panes: number; scrollTop: number; scrollHeight: number }> {
  const panes = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#app *')]
      .filter((el) => {
        const cs = getComputedStyle(el);
        const scrolls = /(auto|scroll)/.test(cs.overflowY) || /(auto|scroll)/.test(cs.overflowX);
        const r = el.getBoundingClientRect();
        return scrolls && r.width > 20 && r.height > 20 && r.bottom > 0 && r.top < innerHeight;
      })
      .map((el) => {
        const r = el.getBoundingClientRect();
        const x = Math.min(Math.max(r.left + r.width / 2, 1), innerWidth - 1);
        const y = Math.min(Math.max(r.top + r.height / 2, 1), innerHeight - 1);
        return { x, y };
      }),
  );
  for (const { x, y } of panes) {
    await page.mouse.move(x, y);
    await page.mouse.wheel(0, 20_000);
    await page.mouse.wheel(4_000, 0);
  }
  // The bottom edge too, where a page stretched by an element outside the panes would show.
  await page.mouse.move(10, (page.viewportSize()?.height ?? 900) - 5);
  await page.mouse.wheel(0, 20_000);
  await page.waitForTimeout(300);
  const window = await page.evaluate(() => ({
    scrollTop: document.scrollingElement!.scrollTop,
    scrollHeight: document.scrollingElement!.scrollHeight,
    scrollWidth: document.scrollingElement!.scrollWidth,
  }));
  expect(window.scrollWidth, 'the window is no wider than the viewport').toBe(page.viewportSize()!.width);
  return { panes: panes.length, ...window };
}

async function expectWindowStill(page: Page, where: string): Promise<void> {
  const { panes, scrollTop, scrollHeight } = await wheelEveryPane(page);
  expect(panes, `${where}: panes found to scroll`).toBeGreaterThan(0);
  expect(scrollTop, `${where}: the window scrolled`).toBe(0);
  expect(scrollHeight, `${where}: the page is taller than the window`).toBe(page.viewportSize()!.height);
}

async function showTab(page: Page, view: string): Promise<void> {
  await page.click(`.view-tab[data-view="${view}"]`);
  await page.waitForSelector(`.view-tab[data-view="${view}"][aria-current="true"]`);
}

async function shippedNotebooks(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const res = await fetch('/notebooks.json');
    const listing = (await res.json()) as { files: { path: string }[] };
    return listing.files.map((f) => f.path.replace(/\.md$/, ''));
  });
}

/** Open a shipped notebook from the list and wait for its cells to be on the page. */
async function openNotebook(page: Page, name: string): Promise<void> {
  await showTab(page, 'notebooks');
  await page.click(`.nb-item[data-notebook="${name}"]`);
  await page.waitForFunction(
    (n) => document.querySelector('.notebooks-view')?.getAttribute('data-notebook') === n,
    name,
  );
  await page.waitForSelector('.nb-page-host [data-cell]', { timeout: 60_000 });
  // Let the first results arrive: they are what makes a notebook tall.
  await page.waitForTimeout(2_500);
}

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 800, height: 900 },
]) {
  const at = `${viewport.width}x${viewport.height}`;

  describe.skipIf(!runnable)(`layout at ${at} in Chromium`, () => {
    const session = appSession({ viewport, open: false });
    let page: Page;
    let browser: Browser;
    beforeAll(() => ({ page, browser } = session));

    it('opens a first visit on the start page: the path, what is loaded, the warnings explained', async () => {
      await page.goto(session.app.url);
      await page.waitForSelector('.start-page');
      expect(await page.getAttribute('.view-tab[data-view="start"]', 'aria-current')).toBe('true');
      // The notebooks as a path, in the shipped list's order (a new notebook joins it by itself).
      const shipped = await shippedNotebooks(page);
      expect(shipped.length).toBeGreaterThanOrEqual(5);
      await page.waitForSelector('.start-step-title');
      expect(await page.$$eval('.start-step-title', (as) => as.map((a) => a.getAttribute('href')))).toEqual(
        shipped.map((name) => `#nb=${name}`),
      );
      // What is loaded, live: the sample's tables appear with their rows once the load is in.
      await page.waitForSelector('.start-load[data-load="the sample snapshot"]', { timeout: 60_000 });
      await page.waitForSelector('.start-tables tr[data-table="alerts"]');
      const startCounts = await page.$$eval('.start-tables tr[data-table]', (trs) =>
        Object.fromEntries(
          trs.map((tr) => [(tr as HTMLElement).dataset.table!, Number((tr as HTMLElement).dataset.rows)]),
        ),
      );
      expect(startCounts.alerts).toBe(16_000);
      // Every warning the sample gives is one the page explains, with why.
      const load = await page.$eval('.start-load[data-load="the sample snapshot"]', (el) => ({
        warnings: Number((el as HTMLElement).dataset.warnings),
        expected: Number((el as HTMLElement).dataset.expected),
        head: el.querySelector('.start-load-head')!.textContent,
        kinds: [...el.querySelectorAll<HTMLElement>('.start-warning-group')].map((g) => g.dataset.kind),
      }));
      expect(load.warnings).toBeGreaterThan(0);
      expect(load.expected).toBe(load.warnings);
      expect(load.kinds).toEqual(['null-confidence', 'unmatched-features']);
      expect(load.head).toContain('all of them expected');
      await page.screenshot({ path: `${OUTPUT_DIR}/layout-start-${at}.png` });
      await expectWindowStill(page, 'start page');
      // The Data tab counts the same rows.
      await showTab(page, 'data');
      expect(await shownCounts(page)).toEqual(startCounts);
      // The header's name reopens the start page.
      await page.click('.topbar .brand');
      await page.waitForSelector('.view-tab[data-view="start"][aria-current="true"]');
    });

    it('opens a later visit on the data', async () => {
      await page.goto(session.app.url);
      await page.waitForSelector('.view-tab[data-view="data"][aria-current="true"]');
      await page.waitForSelector('.table-item[data-table]', { timeout: 60_000 });
      await page.waitForSelector('.load-progress', { state: 'hidden', timeout: 60_000 });
    });

    it('never scrolls the window, on any tab or notebook, wherever the wheel is', async () => {
      for (const view of ['start', 'data', 'labels', 'review', 'docs']) {
        await showTab(page, view);
        await page.waitForTimeout(1_000);
        await expectWindowStill(page, `the ${view} tab`);
      }
      for (const name of await shippedNotebooks(page)) {
        await openNotebook(page, name);
        await expectWindowStill(page, `notebook ${name}`);
      }
    }, 300_000);

    it('keeps the notebook list reachable beside an open notebook', async () => {
      await openNotebook(page, '01-tour-of-a-snapshot');
      const box = await page.locator('.nb-item[data-notebook="02-proxy-label-thresholds"]').boundingBox();
      expect(box, 'the notebook list is on the page').not.toBeNull();
      expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
      expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: `${OUTPUT_DIR}/layout-notebook-${at}.png` });
    });

    it('renders docs in the app, follows links between docs and back to the notebook, and keeps the data', async () => {
      const before = await shownCounts(page);
      await openNotebook(page, '02-proxy-label-thresholds');
      await page.click('.nb-prose-body a[href="../docs/proxy-labels.md"]');
      await page.waitForSelector('.view-tab[data-view="docs"][aria-current="true"]');
      await page.waitForFunction(() => document.querySelector('.doc-body h1')?.textContent === 'Proxy labels');
      expect(decodeURIComponent(await page.evaluate(() => location.hash))).toBe('#doc=docs/proxy-labels.md');
      // The same renderer as prose: Markdown tables and code, no raw Markdown on the page.
      expect(await page.locator('.doc-body table').count()).toBeGreaterThan(0);
      expect(await page.locator('.doc-body').innerText()).not.toMatch(/^# /m);
      // A link between docs, written relative to the doc.
      await page.click('.doc-body a[data-doc="docs/labelling-guideline.md"]');
      await page.waitForFunction(() => document.querySelector('.doc-body h1')?.textContent === 'Labelling guideline');
      await page.screenshot({ path: `${OUTPUT_DIR}/layout-docs-${at}.png` });
      await expectWindowStill(page, 'a doc');
      // Back twice: the first doc, then the notebook the link was followed from.
      await page.goBack();
      await page.waitForFunction(() => document.querySelector('.doc-body h1')?.textContent === 'Proxy labels');
      await page.goBack();
      await page.waitForSelector('.view-tab[data-view="notebooks"][aria-current="true"]');
      expect(await page.getAttribute('.notebooks-view', 'data-notebook')).toBe('02-proxy-label-thresholds');
      // The sample's README from notebook 03, and a notebook from the start page.
      await openNotebook(page, '03-compare-strategies');
      await page.click('.nb-prose-body a[href="../sample-data/README.md"]');
      await page.waitForFunction(
        () => document.querySelector('.doc-body')?.getAttribute('data-path') === 'sample-data/README.md',
      );
      await showTab(page, 'start');
      await page.click('.start-step-title[data-notebook-link="04-bring-your-own-labels"]');
      await page.waitForSelector('.view-tab[data-view="notebooks"][aria-current="true"]');
      await page.waitForFunction(
        () => document.querySelector('.notebooks-view')?.getAttribute('data-notebook') === '04-bring-your-own-labels',
      );
      // A link to a section of another doc opens that doc at the heading, not at its top.
      await showTab(page, 'docs');
      await page.click('.doc-item[data-doc="docs/proxy-labels.md"]');
      await page.waitForFunction(() => document.querySelector('.doc-body h1')?.textContent === 'Proxy labels');
      await page.click('.doc-body a[href$="section=precedence"]');
      await page.waitForSelector('.doc-body[data-path="docs/labelling-guideline.md"][data-section="precedence"]');
      expect(decodeURIComponent(await page.evaluate(() => location.hash))).toBe(
        '#doc=docs/labelling-guideline.md&section=precedence',
      );
      const { heading, pane } = await page.evaluate(() => {
        const h = [...document.querySelectorAll('.doc-body h2')].find((e) => e.textContent === 'Precedence')!;
        return {
          heading: h.getBoundingClientRect().top,
          pane: document.querySelector('.doc-main')!.getBoundingClientRect().top,
        };
      });
      expect(Math.abs(heading - pane)).toBeLessThan(40);
      await page.screenshot({ path: `${OUTPUT_DIR}/layout-docs-section-${at}.png` });
      // The app ships its icon, also for a page that is not the app (a doc opened raw in a new tab).
      expect(await page.evaluate(async () => (await fetch('/favicon.ico')).status)).toBe(200);
      // Nothing was reloaded: the same tables, and no failed request (a missing favicon included).
      await showTab(page, 'data');
      expect(await shownCounts(page)).toEqual(before);
      expect(browser.errors).toEqual([]);
    }, 180_000);

    it("shows that a wide table scrolls, and keeps Review's toolbar and card in the window", async () => {
      await showTab(page, 'data');
      await page.click('.table-item[data-table="features"]');
      await page.waitForSelector('.grid-scroll[data-scroll-more~="right"]');
      await page.locator('.grid-scroll').evaluate((el) => (el.scrollLeft = el.scrollWidth));
      await page.waitForSelector('.grid-scroll[data-scroll-more="left"]');
      await showTab(page, 'review');
      await page.waitForSelector('.alert-card', { timeout: 90_000 });
      const toolbar = (await page.locator('.rv-actions').boundingBox())!;
      const card = (await page.locator('.alert-card').boundingBox())!;
      const button = (await page.locator('.rv-actions button').first().boundingBox())!;
      expect(toolbar.x + toolbar.width).toBeLessThanOrEqual(viewport.width);
      expect(toolbar.height, 'the toolbar is one row of buttons').toBeLessThan(button.height * 2);
      expect(card.x + card.width).toBeLessThanOrEqual(viewport.width);
      // Nothing in the card reaches past it: its tables scroll inside it.
      const overflow = await page.$eval('.alert-card', (el) => {
        const right = el.getBoundingClientRect().right;
        return [...el.querySelectorAll('table')].filter((t) => {
          let p: Element | null = t;
          // A table inside a pane that scrolls sideways may be wider than the card.
          while (p && p !== el) {
            if (/(auto|scroll)/.test(getComputedStyle(p).overflowX)) return false;
            p = p.parentElement;
          }
          return t.getBoundingClientRect().right > right + 1;
        }).length;
      });
      expect(overflow, 'tables reaching past the card').toBe(0);
      // The side panel's controls fit its width (nothing cut off at its right edge).
      const side = await page.$eval('.review-view aside', (el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(side.scroll).toBeLessThanOrEqual(side.client);
      await page.screenshot({ path: `${OUTPUT_DIR}/layout-review-${at}.png` });
    }, 120_000);

    it("marks a user's copy of a shipped notebook as theirs", async () => {
      await openNotebook(page, '01-tour-of-a-snapshot');
      await page.locator('.nb-prose .nb-prose-tools button', { hasText: 'Edit' }).first().click();
      await page.keyboard.type(' Mine.');
      const mark = page.locator('.nb-list[aria-label="My notebooks"] .nb-item-mark[data-mark="your copy"]');
      await mark.first().waitFor();
      const item = page.locator('.nb-list[aria-label="My notebooks"] .nb-item').first();
      expect(await item.locator('.nb-item-title').innerText()).toMatch(/your copy\s*A tour of a snapshot/i);
      expect(await item.locator('.nb-item-detail').innerText()).toContain('copy of 01-tour-of-a-snapshot');
    });
  });
}
