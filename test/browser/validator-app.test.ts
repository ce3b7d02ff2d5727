/**
 * The validator in the app, in a real browser, one page for the session:
 * - a scores file dropped on the app (the miner template's shape, for the sample's 2025-11-12
 *   30-day snapshot) opens the Scores tab with its scorecard (Tier 1 passed, a final score, every
 *   figure under its key); a bad one (a score above 1, a duplicate, alerts missing) fails Tier 1
 *   with each reason; a file that is neither a scores file nor an SOT table still goes to the
 *   loader, which names it; the loaded tables keep their row counts;
 * - notebook 06 opens without training: its validate cells wait for their compare cells; a
 *   notebook of the user's (opened from a file) with a quick board (the rule and the SOT's anomaly
 *   score learn nothing, so Run comparison takes seconds) shows, once it has run, the scorecard of
 *   the strategy the validator would pay most and of the one it names, per held-out snapshot.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeParquet } from '../../src/db/node.ts';
import { parquetToIPC } from '../../src/db/parquet.ts';
import {
  appSession,
  chromiumAvailable,
  dropFiles,
  OUTPUT_DIR,
  openShippedNotebook,
  SAMPLE_DIR,
  shownCounts,
} from './harness.ts';

const SNAPSHOT = join(SAMPLE_DIR, 'snapshots/torus/2025-11-12/30/alerts.parquet');

async function sampleAlertIds(): Promise<string[]> {
  await initNodeParquet();
  const ids: string[] = [];
  for await (const part of parquetToIPC(readFileSync(SNAPSHOT))) {
    const t = tableFromIPC(part.ipc);
    for (const id of t.getChild('alert_id')!.toArray() as Iterable<string>) ids.push(String(id));
  }
  return ids;
}

const csv = (rows: [string, number | string][]) =>
  `alert_id,score,model_version,model_github_url\n${rows.map(([id, s]) => `${id},${s},v1,https://github.com/miner/model`).join('\n')}\n`;
const bytes = (text: string) => new TextEncoder().encode(text);

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

describe.skipIf(!runnable)('the validator in the app', () => {
  const session = appSession({ viewport: { width: 1440, height: 900 } });
  let page: Page;
  let ids: string[];
  beforeAll(async () => {
    page = session.page;
    ids = await sampleAlertIds();
  });

  it('opens its scorecard in the Scores tab', async () => {
    const before = await shownCounts(page);
    // A score per alert, spread over 0..1 by position, as a template's output would be.
    const good = csv(ids.map((id, i) => [id, ((i * 37) % 100) / 100]));
    await dropFiles(page, [{ name: 'template-scores.csv', bytes: bytes(good), type: 'text/csv' }]);
    const card = page.locator('.scores-result[data-scored="template-scores.csv"] [data-section="scorecard"]');
    await card.waitFor({ timeout: 60_000 });
    expect(await page.locator('.view-tab[data-view="scores"]').getAttribute('aria-current')).toBe('true');
    expect(await card.getAttribute('data-snapshot')).toBe('2025-11-12/30');
    expect(await card.getAttribute('data-status')).toBe('complete');
    expect(Number(await card.getAttribute('data-final'))).toBeGreaterThan(0);
    expect(
      await page
        .locator('.scores-result[data-scored="template-scores.csv"] tr[data-key="tier1_passed"] td.num')
        .textContent(),
    ).toBe('yes');
    expect(
      await page
        .locator('.scores-result[data-scored="template-scores.csv"] tr[data-key="tier3_evolution_score"]')
        .getAttribute('title'),
    ).toContain('0.4 AUC');
    expect(await page.textContent('.scores-result[data-scored="template-scores.csv"]')).toContain(
      "chosen by alert ids (2434 of the file's 2434 ids are in it)",
    );
    await page.screenshot({ path: join(OUTPUT_DIR, 'scores-dropped.png') });
    await page.click('.view-tab[data-view="data"]');
    expect(await shownCounts(page)).toEqual(before);
  });

  it('fails Tier 1 on a bad file, each reason with its first rows', async () => {
    const rows: [string, number | string][] = ids.slice(0, 100).map((id) => [id, 0.5]);
    rows[3] = [ids[3]!, 1.5];
    rows.push([ids[0]!, 0.2]);
    await dropFiles(page, [{ name: 'bad-scores.csv', bytes: bytes(csv(rows)), type: 'text/csv' }]);
    const card = page.locator('.scores-result[data-scored="bad-scores.csv"] [data-section="scorecard"]');
    await card.waitFor({ timeout: 60_000 });
    expect(await card.getAttribute('data-status')).toBe('rejected');
    expect(await card.getAttribute('data-final')).toBe('0');
    const checks = await card
      .locator('[data-check]')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.check));
    expect(checks).toEqual(
      expect.arrayContaining(['tier1_has_all_alerts', 'tier1_score_range_valid', 'tier1_no_duplicates']),
    );
    expect(await card.locator('[data-check="tier1_score_range_valid"]').textContent()).toContain(
      `row 4, alert ${ids[3]} (1.5)`,
    );
  });

  it('leaves a file that is no scores file to the loader, which names it', async () => {
    await dropFiles(page, [{ name: 'notes-table.csv', bytes: bytes('a,b\n1,2\n'), type: 'text/csv' }]);
    // The loader's report is in the Data view, as for any dropped file.
    await page.click('.view-tab[data-view="data"]');
    const problem = page.locator('.problem[data-file="notes-table.csv"] .problem-message');
    await problem.waitFor({ state: 'attached', timeout: 30_000 });
    expect(await problem.textContent()).toContain('The file name does not name an SOT table');
    expect(await page.locator('.scores-result[data-scored="notes-table.csv"]').count()).toBe(0);
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
