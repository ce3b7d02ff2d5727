/**
 * Cancel stops a running query in the app (issue #14): a notebook with a recursive CTE that
 * never ends runs, its cell shows Cancel, and Cancel stops DuckDB's query in its worker. The
 * cell says it was cancelled, and the loaded data still answers: the next cell (which waited
 * behind the query on the same connection) shows its rows, and so does the Data tab.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSession, chromiumAvailable, OUTPUT_DIR, shownCounts } from './harness.ts';

const cell = (name: string) => `[data-cell="${name}"]`;

const NOTEBOOK = `---
title: A query that never ends
---

\`\`\`sql forever
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) AS n FROM r
\`\`\`

\`\`\`sql by_severity
SELECT severity, count(*) AS alerts FROM alerts GROUP BY 1 ORDER BY 1
\`\`\`
`;

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('cancelling a query in Chromium', () => {
  const session = appSession();
  let page: Page;
  beforeAll(() => ({ page } = session));

  it('stops the running query on Cancel, says so, and keeps the data queryable', async () => {
    const before = await shownCounts(page);
    expect(before.alerts).toBeGreaterThan(0);
    await page.click('.view-tab[data-view="notebooks"]');
    await page.setInputFiles('input[data-picker="notebook"]', {
      name: 'forever.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(NOTEBOOK),
    });
    await page.waitForSelector(`${cell('forever')}[data-status="running"]`, { timeout: 30_000 });
    const cancel = page.locator(`${cell('forever')} [data-action="cancel-run"]`);
    await cancel.waitFor({ state: 'visible', timeout: 10_000 });
    // Still running after a while: the query does not end by itself.
    await page.waitForTimeout(1000);
    expect(await page.getAttribute(cell('forever'), 'data-status')).toBe('running');
    await page.screenshot({ path: join(OUTPUT_DIR, 'query-cancel-running.png') });
    await cancel.click();

    await page.waitForSelector(`${cell('forever')}[data-status="error"]`, { timeout: 15_000 });
    expect(await page.locator(`${cell('forever')} .nb-error`).innerText()).toMatch(
      /sql forever: cancelled: its query was stopped; the loaded data, the labels and the other cells' results are kept/,
    );
    await page.waitForSelector(`${cell('by_severity')}[data-status="done"]`, { timeout: 30_000 });
    expect(await page.locator(`${cell('by_severity')} .nb-output .grid`).innerText()).toMatch(/high/);
    // It waited behind the cancelled query, and its duration says so apart from its own run.
    expect(await page.locator(`${cell('by_severity')} .nb-duration`).innerText()).toMatch(
      /^\d+ ms · waited \d+(\.\d)? s$/,
    );
    // The same two figures as data attributes, for tests and bench:tour.
    const attrs = await page.locator(cell('by_severity')).evaluate((el) => ({
      total: Number((el as HTMLElement).dataset.durationMs),
      waited: Number((el as HTMLElement).dataset.waitedMs),
    }));
    expect(attrs.waited).toBeGreaterThan(500);
    expect(attrs.total).toBeGreaterThan(attrs.waited);
    await page.screenshot({ path: join(OUTPUT_DIR, 'query-cancel-cancelled.png') });

    await page.click('.view-tab[data-view="data"]');
    expect(await shownCounts(page)).toEqual(before);
    await page.click(`.table-item[data-table="alerts"]`);
    await page.waitForSelector('.grid', { timeout: 15_000 });
  });
});
