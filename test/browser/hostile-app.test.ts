/**
 * The hostile-input corpus (test/hostile/corpus.ts) through the app itself, in Chromium: the
 * bundled sample loaded and a good labels file imported first, then bad files chosen or dropped
 * one after another, through the loader and through the Labels tab's import. Each case checks
 * that the app names the file (and the column, where the corpus expects one) and that,
 * afterwards, every table's row count and the imported labels are exactly what they were.
 *
 * The bad bytes are built in the test by the corpus's own cases (through a Node DuckDB), so the
 * app sees what `npm run hostile` checks in Node; a few cases only the app has (a limit set in
 * its Limits field, a mapping file loaded into its form) are built here.
 *
 * One dev server, one browser, one page, cases in sequence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../../src/db/node.ts';
import type { Runtime } from '../../src/db/runtime.ts';
import { labelsCases, sotCases, type LabelsCase, type SotCase } from '../hostile/corpus.ts';
import {
  type App,
  appSession,
  type Browser,
  chromiumAvailable,
  dropFiles,
  openApp,
  SAMPLE_DIR,
  shownCounts,
} from './harness.ts';

const EXAMPLE = join(SAMPLE_DIR, 'labels/example-labels-v1.csv');
const exampleRows = readFileSync(EXAMPLE, 'utf8').trim().split('\n').slice(1);
const exampleAlert = (i: number) => exampleRows[i]!.split(',')[0]!;

/** The corpus's loader cases run here: one bad file each, refused (or warned about) by name. */
const SOT_CASES: [cls: string, name: string][] = [
  ['Parquet bytes', 'truncated to half'],
  ['Arrow IPC bytes', 'file format, metadata overwritten (apache-arrow looped on it)'],
  ['CSV shape', 'a record with too few fields'],
  ['CSV shape', 'only a header: no rows, nothing loaded'],
  ["loader's own names", 'a column named _file_id'],
  ['wrong types', 'alerts.window_days'],
  ['duplicate keys', 'alerts: a key twice in the file'],
  ['out-of-range values', 'a severity nobody knows'],
  ['names differing in case', 'severity and SEVERITY (CSV)'],
  ['decode size limit', 'a ZSTD file decoding past the limit, by its footer'],
];

/** The corpus's labels files refused before any mapping: the import's status names them. */
const LABEL_CASES: [cls: string, name: string][] = [
  ['label files', 'only a header'],
  ['label files', 'a ragged CSV'],
  ['label files', 'JSON that is not JSON'],
];

function findCase<T extends { class: string; name: string }>(cases: T[], cls: string, name: string): T {
  const c = cases.find((x) => x.class === cls && x.name === name);
  if (!c) throw new Error(`test/hostile/corpus.ts has no case ${cls}: ${name}`);
  return c;
}

interface Shown {
  file: string;
  column: string | null;
  level: string;
  /** The message as the loader wrote it: the panel shows it without its "file: " prefix. */
  message: string;
}

/** The problems of the newest load, once it has ended and added its group. */
async function nextProblems(page: Page, groupsBefore: number): Promise<Shown[]> {
  await page.waitForFunction((n) => document.querySelectorAll('.problem-group').length > n, groupsBefore, {
    timeout: 30_000,
  });
  await page.waitForSelector('.load-progress', { state: 'hidden', timeout: 30_000 });
  return page.$$eval('.problem-group:first-child .problem', (els) =>
    els.map((el) => {
      const e = el as HTMLElement;
      const file = e.dataset.file ?? '';
      const text = e.querySelector('.problem-message')?.textContent ?? '';
      const message = text.startsWith(file) ? text : `${file}: ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
      return { file, column: e.dataset.column ?? null, level: e.dataset.level ?? '', message };
    }),
  );
}

/** What must not change: the tables' row counts and the label events, per rater. */
async function state(page: Page): Promise<{ tables: Record<string, number>; labels: Record<string, string> }> {
  await page.click('.view-tab[data-view="data"]');
  await page.waitForSelector('.table-item[data-table]');
  // The import's own table joins the list at the next refresh: its count is the events, below.
  const { label_events: events, ...tables } = await shownCounts(page);
  await page.click('.view-tab[data-view="labels"]');
  await page.waitForSelector('.label-quality[data-state="ready"]', { timeout: 60_000 });
  const labels = await page.$$eval('.label-quality [data-table="coverage"] tr[data-rater]', (rows) =>
    Object.fromEntries(rows.map((r) => [(r as HTMLElement).dataset.rater!, (r as HTMLElement).dataset.labelled!])),
  );
  labels.events = (await page.getAttribute('.label-quality', 'data-events')) ?? '';
  if (events !== undefined) expect(String(events), 'label_events rows').toBe(labels.events);
  await page.click('.view-tab[data-view="data"]');
  return { tables, labels };
}

/** The tables and labels exactly as before, said in full when they are not. */
async function expectUnchanged(page: Page, before: Awaited<ReturnType<typeof state>>): Promise<void> {
  const after = await state(page);
  expect(JSON.stringify(after), 'row counts or labels changed').toBe(JSON.stringify(before));
}

async function pickLabels(page: Page, name: string, bytes: Uint8Array | string): Promise<void> {
  await page.click('.view-tab[data-view="labels"]');
  await page.setInputFiles('input[data-picker="labels"]', {
    name,
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes),
  });
}

/** Wait for the import's status to be an error that mentions every one of `words`. */
async function importError(page: Page, words: string[]): Promise<string> {
  await page
    .waitForFunction(
      (ws) => {
        const s = document.querySelector<HTMLElement>('.import-status');
        return s?.dataset.state === 'error' && ws.every((w) => (s.textContent ?? '').includes(w));
      },
      words,
      { timeout: 30_000 },
    )
    .catch(async (e: Error) => {
      const phase = await page.getAttribute('.label-import', 'data-phase');
      throw new Error(
        `${e.message}: the import is in phase ${phase}, saying: ${await page.textContent('.import-status')}`,
      );
    });
  return (await page.textContent('.import-status')) ?? '';
}

const runnable = chromiumAvailable();

describe.skipIf(!runnable)('hostile files through the app, in Chromium', () => {
  const session = appSession({ viewport: { width: 1400, height: 1600 }, open: false });
  let app: App;
  let browser: Browser;
  let page: Page;
  let rt: Runtime;
  let before: Awaited<ReturnType<typeof state>>;
  const started = Date.now();
  beforeAll(async () => {
    ({ app, browser, page } = session);
    rt = await openNodeRuntime();
  });

  it('loads the sample and imports a good labels file first', async () => {
    await openApp(page, app.url);
    await pickLabels(page, 'example-labels-v1.csv', readFileSync(EXAMPLE));
    await page.waitForSelector('.label-import[data-phase="mapping"] [data-action="check-labels"]:not([disabled])');
    await page.click('[data-action="check-labels"]');
    await page.waitForSelector('.label-import[data-phase="report"] .import-report', { timeout: 30_000 });
    await page.click('[data-action="confirm-import"]');
    await page.waitForSelector('.label-import[data-phase="done"] .import-done', { timeout: 30_000 });
    await page.waitForSelector(`.label-quality[data-state="ready"][data-events="${exampleRows.length}"]`, {
      timeout: 60_000,
    });
    await page.click('.view-tab[data-view="data"]');
    before = await state(page);
    expect(before.labels.events).toBe(String(exampleRows.length));
    expect(before.tables.alerts).toBeGreaterThan(0);
  }, 120_000);

  const sot = sotCases();
  SOT_CASES.forEach(([cls, name], i) => {
    it(`loader: ${cls}: ${name}`, async () => {
      const c: SotCase = findCase(sot, cls, name);
      const files = await c.files(rt);
      const limit = c.options?.maxDecodedBytes;
      if (limit !== undefined) {
        await page.click('.load-limits summary');
        await page.fill('.load-limit-input', String(limit / 1024 ** 2));
      }
      const groups = await page.locator('.problem-group').count();
      const payload = await Promise.all(files.map(async (f) => ({ name: f.path, bytes: await f.read() })));
      // Half the cases are chosen with Add files…, half dropped on the window.
      if (i % 2 === 0) {
        await page.setInputFiles(
          'input[data-picker="files"]',
          payload.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: Buffer.from(f.bytes) })),
        );
      } else await dropFiles(page, payload);
      const shown = await nextProblems(page, groups);
      if (limit !== undefined) {
        await page.fill('.load-limit-input', '1024');
        await page.click('.load-limits summary');
      }
      const wanted = c.expect.refused?.length
        ? c.expect.refused.map((r) => ({ ...r, level: 'error' }))
        : (c.expect.warnings ?? []).map((w) => ({ ...w, level: 'warning', column: undefined }));
      expect(wanted.length).toBeGreaterThan(0);
      for (const want of wanted) {
        const hit = shown.find((p) => p.file === want.file && p.level === want.level && want.message.test(p.message));
        expect(
          hit,
          `${want.level} for ${want.file} matching ${want.message} in ${JSON.stringify(shown)}`,
        ).toBeDefined();
        if (want.column !== undefined) expect(hit!.column).toBe(want.column);
      }
      expect(shown.filter((p) => p.level === 'error').length).toBe(c.expect.refused?.length ?? 0);
      await expectUnchanged(page, before);
    }, 60_000);
  });

  const labels = labelsCases();
  for (const [cls, name] of LABEL_CASES) {
    it(`labels import: ${cls}: ${name}`, async () => {
      const c: LabelsCase = findCase(labels, cls, name);
      const file = await c.file(rt);
      await pickLabels(page, file.path, await file.read());
      const text = await importError(page, [file.path]);
      expect(text).toMatch((c.expect as { refused: RegExp }).refused);
      await expectUnchanged(page, before);
    }, 60_000);
  }

  it('labels import: unknown alerts and addresses and label values nobody spells, reported, nothing written', async () => {
    const csv = [
      'alert_id,address,label',
      'no-such-alert,,1',
      ',no-such-address,0',
      `${exampleAlert(1)},,maybe`,
      `${exampleAlert(2)},,illicit?`,
    ].join('\n');
    await pickLabels(page, 'hostile-labels.csv', csv);
    await page.waitForSelector('.label-import[data-phase="mapping"] [data-action="check-labels"]:not([disabled])');
    await page.click('[data-action="check-labels"]');
    await page.waitForSelector('.label-import[data-phase="report"] .import-report', { timeout: 30_000 });
    expect(await page.textContent('.import-report .import-facts')).toContain('hostile-labels.csv');
    const issue = (code: string) => page.locator(`.import-report .problem[data-code="${code}"]`);
    expect(await issue('unknown-alert').getAttribute('data-level')).toBe('error');
    expect(await issue('unknown-address').getAttribute('data-level')).toBe('error');
    expect(await issue('label-unknown').getAttribute('data-column')).toBe('label');
    expect(await issue('label-unknown').locator('.issue-examples').textContent()).toContain('maybe');
    expect(await page.getAttribute('.import-report', 'data-accepted')).toBe('0');
    expect(await page.isDisabled('[data-action="confirm-import"]')).toBe(true);
    await page.click('[data-action="cancel-import"]');
    await page.waitForSelector('.label-import[data-phase="idle"]');
    await expectUnchanged(page, before);
  }, 60_000);

  it('labels import: a YAML bomb as the mapping file, refused by name, the form untouched', async () => {
    const bomb =
      [
        'a: &a [x, x, x, x, x, x, x, x, x]',
        ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`),
      ].join('\n') + '\n';
    await pickLabels(page, 'example-labels-v1.csv', readFileSync(EXAMPLE));
    await page.waitForSelector('.label-import[data-phase="mapping"] [data-action="check-labels"]:not([disabled])');
    const labelColumn = await page.inputValue('select[data-field="label"]');
    await page.setInputFiles('input[data-picker="mapping"]', {
      name: 'bomb.mapping.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from(bomb),
    });
    expect(await importError(page, ['bomb.mapping.yaml'])).toMatch(/YAML bomb/);
    expect(await page.inputValue('select[data-field="label"]')).toBe(labelColumn);
    await page.click('[data-action="cancel-import"]');
    await page.waitForSelector('.label-import[data-phase="idle"]');
    await expectUnchanged(page, before);
  }, 60_000);

  it('logged no errors in the browser console', () => {
    expect(browser.errors).toEqual([]);
    console.log(`[hostile-app] ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
