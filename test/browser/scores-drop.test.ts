/**
 * A scores file dropped on the app, in a real browser: the miner template's shape (alert_id,
 * score, model_version, model_github_url) for the sample's 2025-11-12 30-day snapshot opens the
 * Scores tab with its scorecard (Tier 1 passed, a final score, every figure under its key); a bad
 * one (a score above 1, a duplicate, alerts missing) fails Tier 1 with each reason; a file that is
 * neither a scores file nor an SOT table still goes to the loader, which names it. Nothing loaded
 * is lost: the tables keep their row counts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeParquet } from '../../src/db/node.ts';
import { parquetToIPC } from '../../src/db/parquet.ts';
import { appSession, chromiumAvailable, dropFiles, OUTPUT_DIR, SAMPLE_DIR, shownCounts } from './harness.ts';

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

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('a scores file dropped on the app', () => {
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
});
