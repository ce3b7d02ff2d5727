/**
 * Notebook 02 in a real browser, on the sample: moving the positive threshold changes the label
 * counts the proxy cell shows and redraws the sweep heatmap with its marker moved; an invalid rule
 * (a severity in both lists) fails the proxy cell naming the field; the rule saves as a YAML
 * config that `loadConfig` reads back, a saved config loads into the inputs (and a bad one is
 * refused with the field), and the labelled alerts export as Parquet.
 *
 * One dev server, one browser and one page: the steps build on each other like a session.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/labels/config.ts';
import { appSession, type Browser, chromiumAvailable, OUTPUT_DIR, openShippedNotebook } from './harness.ts';

const NOTEBOOK = '02-proxy-label-thresholds';
const cell = (name: string) => `[data-cell="${name}"]`;
const PROXY = `${cell('labels')} .proxy-output`;

interface Counts {
  positive: number;
  negative: number;
  uncertain: number;
  evaluations: number;
}

const counts = (page: Page): Promise<Counts> =>
  page.$eval(PROXY, (el) => {
    const d = (el as HTMLElement).dataset;
    return {
      positive: Number(d.positive),
      negative: Number(d.negative),
      uncertain: Number(d.uncertain),
      evaluations: Number(d.evaluations),
    };
  });

/** The sweep's figure: how many times drawn, its marker (the ring at the current thresholds), its cells. */
const sweep = (page: Page) =>
  page.$eval(`${cell('threshold_sweep')} .nb-plot`, (el) => ({
    figures: Number((el as HTMLElement).dataset.figure),
    markers: [...el.querySelectorAll('g[aria-label="dot"] circle')].map(
      (c) => `${c.getAttribute('cx')},${c.getAttribute('cy')}`,
    ),
    cells: el.querySelectorAll('g[aria-label="rect"] rect').length,
  }));

/** Wait until the proxy cell has shown an evaluation after `n` and every plot has settled. */
async function evaluatedAfter(page: Page, n: number): Promise<void> {
  await page.waitForFunction(
    ([sel, before]) => {
      const el = document.querySelector<HTMLElement>(sel as string);
      const busy = document.querySelectorAll('[data-cell][data-status="running"]').length;
      return !!el && Number(el.dataset.evaluations) > (before as number) && busy === 0;
    },
    [PROXY, n] as const,
    { timeout: 30_000 },
  );
}

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('notebook 02 (proxy-label thresholds) in Chromium', () => {
  const session = appSession();
  let browser: Browser;
  let page: Page;
  beforeAll(() => ({ browser, page } = session));

  it('opens, runs every cell on the sample, and shows the default rule', async () => {
    await openShippedNotebook(page, NOTEBOOK, `${cell('agreement_sweep')}[data-status="done"] .nb-plot svg`);
    const c = await counts(page);
    const alerts = Number(await page.getAttribute('.table-item[data-table="alerts"]', 'data-rows'));
    expect(c.positive + c.negative + c.uncertain).toBe(alerts);
    expect(await page.textContent(`${cell('labels')} .proxy-rule code`)).toContain('confidence >= 0.7');
    expect(await page.locator(`${cell('labels')} .proxy-warning[data-warning="severity-is-confidence"]`).count()).toBe(
      1,
    );
    expect(await page.locator(`${cell('labels')} .proxy-agreement [data-reference="truth"]`).textContent()).toMatch(
      /precision 0\.\d{3}/,
    );
  });

  it('moves the positive threshold: the counts change and the heatmap is redrawn with its marker moved', async () => {
    const before = await counts(page);
    const heat = await sweep(page);
    const histogram = await page.innerHTML(`${cell('confidence_with_thresholds')} .nb-plot-figure`);
    const slider = page.locator('[data-param="min_confidence"] input[type="range"]');
    await slider.focus();
    // Each arrow step fires an input event, as a drag does: 0.70 → 0.80.
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    expect(await page.textContent('[data-param="min_confidence"] output')).toBe('0.8');
    await evaluatedAfter(page, before.evaluations);
    await page.waitForFunction(
      ([sel, n]) => Number(document.querySelector<HTMLElement>(sel as string)?.dataset.figure) > (n as number),
      [`${cell('threshold_sweep')} .nb-plot`, heat.figures] as const,
    );
    const after = await counts(page);
    // SOT data: high alerts between 0.75 and 0.8 stop being positive and, with no negative test
    // for them, become uncertain.
    expect(after.positive).toBeLessThan(before.positive);
    expect(after.uncertain).toBeGreaterThan(before.uncertain);
    expect(after.positive + after.negative + after.uncertain).toBe(
      before.positive + before.negative + before.uncertain,
    );
    expect(
      Number(
        await page
          .textContent(`${cell('labels')} .proxy-count.positive .proxy-count-value`)
          .then((t) => t!.replace(/,/g, '')),
      ),
    ).toBe(after.positive);
    const heatAfter = await sweep(page);
    expect(heatAfter.cells).toBe(heat.cells);
    expect(heatAfter.markers).toHaveLength(2);
    expect(heatAfter.markers).not.toEqual(heat.markers);
    expect(await page.innerHTML(`${cell('confidence_with_thresholds')} .nb-plot-figure`)).not.toBe(histogram);
    await page.waitForFunction(() => location.hash.includes('p.min_confidence=0.8'));
    await page.$eval(cell('labels'), (el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'proxy-notebook.png') });
    await page.$eval(cell('threshold_sweep'), (el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(OUTPUT_DIR, 'proxy-notebook-sweep.png') });
  });

  it('fails the proxy cell, naming the field, when a severity is in both lists; recovers when it is not', async () => {
    const before = (await counts(page)).evaluations;
    const box = page.locator('[data-param="negative_severities"] input[value="high"]');
    await box.check();
    await page.waitForSelector(`${cell('labels')}[data-status="error"]`);
    expect(await page.textContent(`${cell('labels')} .nb-error-message`)).toBe(
      "negative_severities ($negative_severities = [low, medium, high]): severity 'high' is in both positive.severities and negative.severities",
    );
    expect(await page.textContent(`${cell('threshold_sweep')} .nb-error`)).toContain('depends on failed cell labels');
    await box.uncheck();
    await page.waitForSelector(`${cell('labels')}[data-status="done"] .proxy-output`);
    await evaluatedAfter(page, before);
    expect(await page.locator('[data-cell][data-status="error"]').count()).toBe(0);
  });

  it('saves the rule as YAML that loads back, and loads a config file into the inputs', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`${cell('labels')} [data-action="save-config"]`),
    ]);
    expect(download.suggestedFilename()).toBe('labels-proxy-labels.yaml');
    const saved = loadConfig(readFileSync((await download.path())!, 'utf8'), 'saved.yaml');
    expect(saved.positive).toEqual({ severities: ['high', 'critical'], min_confidence: 0.8 });
    expect(saved.negative).toEqual({ severities: ['low', 'medium'], max_confidence: 0.3 });

    const before = await counts(page);
    const yaml =
      'positive:\n  severities: [critical]\n  min_confidence: 0.9\nnegative:\n  severities: [low]\n  max_confidence: 0.7\nuncertain: keep\n';
    await page.setInputFiles(`${cell('labels')} input[data-picker="proxy-config"]`, {
      name: 'strict.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(yaml),
    });
    await evaluatedAfter(page, before.evaluations);
    expect(await page.textContent(`${cell('labels')} .proxy-message`)).toContain(
      'Loaded strict.yaml: positive_severities = [critical], min_confidence = 0.9',
    );
    expect(await page.textContent('[data-param="min_confidence"] output')).toBe('0.9');
    expect(await page.isChecked('[data-param="positive_severities"] input[value="high"]')).toBe(false);
    expect(await page.textContent(`${cell('labels')} .proxy-rule code`)).toContain(
      'positive critical & confidence >= 0.9; negative low | confidence < 0.7',
    );
    expect((await counts(page)).positive).toBeLessThan(before.positive);

    // A file that does not validate changes nothing and says which field is wrong.
    const evaluations = (await counts(page)).evaluations;
    await page.setInputFiles(`${cell('labels')} input[data-picker="proxy-config"]`, {
      name: 'broken.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from('positive:\n  severities: [high]\nnegative:\n  severities: [high]\n'),
    });
    await page.waitForSelector(`${cell('labels')} .proxy-message.error`);
    expect(await page.textContent(`${cell('labels')} .proxy-message`)).toContain(
      "negative.severities: severity 'high' is in both positive.severities and negative.severities",
    );
    expect(await page.textContent('[data-param="min_confidence"] output')).toBe('0.9');
    expect((await counts(page)).evaluations).toBe(evaluations);
  });

  it('exports the labelled alerts as Parquet', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.click(`${cell('labels')} [data-action="export-labels"]`),
    ]);
    expect(download.suggestedFilename()).toBe('labels-labelled-alerts.parquet');
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    await page.waitForSelector(`${cell('labels')} .proxy-message.ok`);
    // uncertain: keep (loaded above) exports every alert row, labelled or not.
    const alerts = Number(await page.getAttribute('.table-item[data-table="alerts"]', 'data-rows'));
    expect(await page.textContent(`${cell('labels')} .proxy-message`)).toContain(
      `Exported ${alerts.toLocaleString('en-US')} labelled alert rows`,
    );
    expect(browser.errors).toEqual([]);
  });
});
