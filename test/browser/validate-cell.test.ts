/**
 * Validate cells in a real browser. Notebook 06 opens without training: its validate cells wait
 * for their compare cells, saying so. A notebook of the user's (opened from a file) with a quick
 * board (the rule and the SOT's anomaly score learn nothing, so Run comparison takes seconds)
 * shows, once it has run, the scorecard of the strategy the validator would pay most and of the
 * one it names, a scorecard per held-out snapshot, every figure under its key.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSession, chromiumAvailable, OUTPUT_DIR, openShippedNotebook } from './harness.ts';

const cell = (name: string) => `[data-cell="${name}"]`;

const NOTEBOOK = `---
title: Quick validator check
---

\`\`\`compare board
strategies: [rule, sot-anomaly]
split: {method: time}
\`\`\`

\`\`\`validate best
from: board
\`\`\`

\`\`\`validate named
from: board
strategy: rule
\`\`\`
`;

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('validate cells in Chromium', () => {
  const session = appSession({ viewport: { width: 1440, height: 900 } });
  let page: Page;
  beforeAll(() => {
    page = session.page;
  });

  it('notebook 06 opens without training: its validate cells wait for their compare cells', async () => {
    await openShippedNotebook(page, '06-score-like-the-validator', `${cell('paid_most')} .validate-output`);
    for (const [name, board] of [
      ['paid_most', 'board'],
      ['evolved_paid_most', 'evolved'],
    ] as const)
      expect(await page.textContent(`${cell(name)} .validate-output[data-state="ready"]`)).toContain(
        `waiting for compare cell ${board} to train (Run comparison)`,
      );
    expect(await page.locator('[data-section="scorecard"]').count()).toBe(0);
  });

  it("shows the scorecards of a board's best and of a named strategy once it has trained", async () => {
    await page.click('.view-tab[data-view="notebooks"]');
    await page.setInputFiles('input[data-picker="notebook"]', {
      name: 'quick-validator.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(NOTEBOOK),
    });
    await page.waitForSelector(`${cell('board')} [data-action="run-comparison"]`, { timeout: 60_000 });
    await page.click(`${cell('board')} [data-action="run-comparison"]`);
    await page.waitForSelector(`${cell('board')} .compare-output[data-state="done"]`, { timeout: 180_000 });
    const best = page.locator(`${cell('best')} .validate-output[data-state="done"]`);
    await best.waitFor({ timeout: 30_000 });
    const text = (await best.textContent()) ?? '';
    expect(text).toMatch(/(rule|sot-anomaly) on compare cell board: final score 0\.\d{4} \(mean over 2 snapshots\)/);
    expect(text).toContain('is the strategy the validator would pay most on this board');
    const cards = best.locator('[data-section="scorecard"]');
    expect(await cards.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.snapshot))).toEqual([
      '2025-11-12/7',
      '2025-11-12/30',
    ]);
    expect(await cards.nth(1).getAttribute('data-status')).toBe('complete');
    expect(
      await best.locator('tr[data-key="final_score"] td.num[data-snapshot="2025-11-12/30"]').textContent(),
    ).toMatch(/^0\.\d{4}$/);
    const named = page.locator(`${cell('named')} .validate-output[data-state="done"]`);
    expect(await named.textContent()).toContain('rule on compare cell board');
    expect(await named.textContent()).toMatch(/rule is number [12] of 2 on this board by mean final score/);
    await best.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUTPUT_DIR, 'validate-cell-1440.png') });
    await page.setViewportSize({ width: 800, height: 900 });
    await best.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUTPUT_DIR, 'validate-cell-800.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
