/**
 * `npm run bench:first-screen [-- --runs 5 --no-build]`
 *
 * How long the app takes from navigation to its first screen with the bundled sample loaded, as a
 * user gets it: the production build (`vite build`, served by `vite preview`) and, per run,
 *   - a first visit (a fresh Chromium profile), which restores the checked copy the build shipped
 *     (vite.config.ts checkedSample);
 *   - a first visit with that copy withheld (as a build without it: every file checked in the
 *     browser), then a reload in the same profile (a second visit, which finds the checked sample
 *     kept in IndexedDB by the first: src/ui/load-cache.ts). The app's own
 * milestones (src/ui/timeline.ts, User Timing marks) say where the time goes:
 *   engine ready    DuckDB-WASM instantiated, tables, migrations and views created;
 *   load queued     the sample's listing fetched (and hashed) and its load started;
 *   tables listed   the sample loaded, checked and merged (or restored from the kept copy), and the
 *                   tables panel filled: the first screen.
 * The reload waits until the first visit has kept its copy (after its first screen), and fails
 * if the second visit did not restore it.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { build, preview } from 'vite';
import { formatTable } from '../src/cli/output.ts';
import { CHECKED_SAMPLE_FILE } from '../src/sot/checked-file.ts';
import { MILESTONES } from '../src/ui/timeline.ts';
import { ROOT, chromiumAvailable, launchBrowser } from '../test/browser/harness.ts';
import { quietLogger } from '../vite.config.ts';
import { median } from './stats.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'no-build': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const outDir = join(ROOT, 'bench-data/first-screen-dist');
if (!chromiumAvailable()) process.exit(1);

if (!values['no-build']) {
  console.log(`building the app into ${outDir} ...`);
  await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}
const server = await preview({
  root: ROOT,
  customLogger: quietLogger('warn'),
  build: { outDir },
  preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
});
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('vite preview did not report a URL');

type Visit = Record<keyof typeof MILESTONES, number>;

/** Navigate and wait for the first screen; the milestones, in ms from navigation start. */
async function visit(page: Page, how: 'goto' | 'reload'): Promise<Visit> {
  if (how === 'goto') await page.goto(url!);
  else await page.reload();
  await page.waitForFunction(
    (name) => performance.getEntriesByName(name, 'mark').length > 0,
    MILESTONES.firstTablesListed,
    {
      timeout: 120_000,
    },
  );
  const errors = await page.locator('.problem.error').allInnerTexts();
  if (errors.length > 0) throw new Error(`the sample loaded with errors:\n${errors.join('\n')}`);
  // No named functions inside: tsx's transform would reference a helper the page does not have.
  return page.evaluate(
    (names) =>
      Object.fromEntries(
        Object.entries(names).map(([k, name]) => [k, performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN]),
      ) as Visit,
    MILESTONES,
  );
}

/** Where the first screen's tables came from: 'shipped' or 'kept' (a checked copy), else 'loaded'. */
const source = (page: Page) =>
  page.evaluate(
    ([kept, shipped]) =>
      performance.getEntriesByName(kept, 'mark').length > 0
        ? 'kept'
        : performance.getEntriesByName(shipped, 'mark').length > 0
          ? 'shipped'
          : 'loaded',
    [MILESTONES.restoredFromCache, MILESTONES.restoredFromShipped] as const,
  );

const shipped: Visit[] = [];
const first: Visit[] = [];
const second: Visit[] = [];
const expect = async (page: Page, want: string, visit: string) => {
  const got = await source(page);
  if (got !== want) throw new Error(`${visit}: the sample came from ${got}, not ${want}`);
};
/**
 * Each visit starts on a quiet machine: a closed Chromium's processes take a moment to wind down,
 * and on 2 cores the visit after one that checked every file otherwise shares its CPU with them.
 */
const SETTLE_MS = 2000;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
try {
  for (let i = 0; i < runs; i++) {
    await settle();
    // The harness's browser: a fresh profile each launch, so each run is a first visit.
    let browser = await launchBrowser();
    try {
      const page = await browser.newPage({ width: 1440, height: 900 });
      shipped.push(await visit(page, 'goto'));
      await expect(page, 'shipped', 'a first visit with the shipped copy');
    } finally {
      await browser.close();
    }
    await settle();
    browser = await launchBrowser();
    try {
      const page = await browser.newPage({ width: 1440, height: 900 });
      // As an app built without the shipped copy: every file checked in the browser.
      await page.route(`**/${CHECKED_SAMPLE_FILE}`, (route) => route.fulfill({ status: 404 }));
      first.push(await visit(page, 'goto'));
      await expect(page, 'loaded', 'a first visit without the shipped copy');
      await page.waitForFunction(
        (n) => performance.getEntriesByName(n, 'mark').length > 0,
        MILESTONES.checkedCopyKept,
        {
          timeout: 120_000,
        },
      );
      second.push(await visit(page, 'reload'));
      await expect(page, 'kept', 'the second visit');
      console.log(
        `run ${i + 1}: first visit ${(shipped.at(-1)!.firstTablesListed / 1000).toFixed(2)} s (shipped copy), ${(first.at(-1)!.firstTablesListed / 1000).toFixed(2)} s (files checked); second ${(second.at(-1)!.firstTablesListed / 1000).toFixed(2)} s`,
      );
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}

const s = (xs: number[]) => (median(xs) / 1000).toFixed(2);
const row = (label: string, visits: Visit[]) => [
  label,
  s(visits.map((v) => v.engineReady)),
  s(visits.map((v) => v.loadQueued)),
  s(visits.map((v) => v.firstTablesListed)),
  `${(Math.min(...visits.map((v) => v.firstTablesListed)) / 1000).toFixed(2)}-${(Math.max(...visits.map((v) => v.firstTablesListed)) / 1000).toFixed(2)}`,
];
console.log(`\nThe sample's first screen, production build, medians of ${runs} runs (seconds from navigation):\n`);
process.stdout.write(
  formatTable(
    ['visit', 'engine ready', 'load queued', 'tables listed (first screen)', 'range'],
    [
      row('first (fresh profile, shipped copy)', shipped),
      row('first (fresh profile, files checked)', first),
      row('second (reload, kept copy)', second),
    ],
  ),
);
