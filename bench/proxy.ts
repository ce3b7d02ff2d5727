/**
 * `npm run bench:proxy [-- --sizes 100000,1000000 --moves 31 --rescans 11 --skip-chromium --skip-native]`
 * `npm run bench:proxy -- --data DIR[,DIR]` (snapshot folders of your own: a real export)
 *
 * What a threshold change costs at 100k and 1M alerts (snapshots generated once into
 * bench-data/proxy-<size>/ by the sample generator, seed 7):
 *   - Node: DuckDB-WASM's Node bundle (the CLI's path), plots drawn into linkedom;
 *   - Chromium: the app's browser runtime, plots drawn into the page;
 *   - native DuckDB (@duckdb/node-api): the same counts SQL, rescanning every alert.
 * In the WASM runtimes a move is answered from the cube (src/labels/cube.ts); the SQL rescan
 * there is the design's way, timed for comparison. Medians over the moves; the table prints the
 * ratios. Targets: counts <= 10 ms and every plot <= 100 ms in Chromium at 1M alerts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseHTML } from 'linkedom';
import { formatTable } from '../src/cli/output.ts';
import { openNodeRuntime } from '../src/db/node.ts';
import { filesFromPaths } from '../src/node/files.ts';
import { Lab } from '../src/sot/lab.ts';
import { LABEL_INPUTS, measureProxy, thresholdMoves, type LabelTotals, type ProxyTimings } from './proxy-measure.ts';
import { nativeRescan, type NativeTimings } from './proxy-native.ts';
import { runInBenchPage } from './app-session.ts';
import { median } from './stats.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    data: { type: 'string' },
    moves: { type: 'string', default: '31' },
    rescans: { type: 'string', default: '11' },
    seed: { type: 'string', default: '7' },
    'skip-chromium': { type: 'boolean', default: false },
    'skip-native': { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const moves = Number(values.moves);
const rescans = Number(values.rescans);
/** The design's pandas function at 1M alerts on this machine, as given in the issue (not measured here). */
const PANDAS_1M_MS = 117;

const sizeName = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}m` : `${n / 1000}k`);

function snapshot(size: number): string {
  const dir = resolve(`bench-data/proxy-${sizeName(size)}`);
  if (!existsSync(join(dir, 'snapshots'))) {
    console.log(`generating ${size.toLocaleString('en-US')} alerts into ${dir} (once) ...`);
    execFileSync(
      'npx',
      ['tsx', 'src/cli/sample-data.ts', '--alerts', String(size), '--seed', values.seed, '--out', dir],
      { stdio: 'inherit' },
    );
  }
  return dir;
}

async function nodeRun(dir: string): Promise<ProxyTimings & { loadMs: number }> {
  const rt = await openNodeRuntime();
  try {
    const t0 = performance.now();
    const lab = await Lab.open(rt);
    const files = (await filesFromPaths([dir])).filter((f) => LABEL_INPUTS.test(f.path));
    const report = await lab.load(files);
    const errors = report.problems.filter((p) => p.level === 'error');
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
    const loadMs = performance.now() - t0;
    const { document } = parseHTML('<!doctype html><html><body></body></html>');
    const timings = await measureProxy(lab.db, {
      moves,
      rescans,
      document: document as unknown as Document,
      container: null,
    });
    return { ...timings, loadMs };
  } finally {
    await rt.db.close();
  }
}

function chromiumRun(dir: string): Promise<ProxyTimings & { loadMs: number }> {
  return runInBenchPage('/bench/proxy-page.ts', 'runProxyBench', { moves, rescans }, dir);
}

/** Every runtime's cube and rescan must give the same counts for the first move. */
function checkAgreement(size: number, results: [string, LabelTotals][]): void {
  const [first, ...rest] = results;
  for (const [name, t] of rest) {
    if (JSON.stringify(t) !== JSON.stringify(first![1])) {
      throw new Error(
        `${size.toLocaleString('en-US')} alerts: ${name} counts ${JSON.stringify(t)} differ from ${first![0]}'s ${JSON.stringify(first![1])}`,
      );
    }
  }
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const table: (string | number)[][] = [];
const ratios: string[] = [];

// The sample generator may fall a few percent short of the size asked for: names and the 1M
// target below go by the alerts actually loaded.
const dirs = values.data ? values.data.split(',').map((d) => resolve(d)) : sizes.map(snapshot);
for (const dir of dirs) {
  console.log(`\n== ${dir}`);
  const node = await nodeRun(dir);
  const size = node.alerts;
  console.log(
    `node: loaded ${node.alerts.toLocaleString('en-US')} alerts in ${(node.loadMs / 1000).toFixed(1)} s; cube ${ms(node.buildMs)} ms (${node.cubeRows.toLocaleString('en-US')} rows)`,
  );
  const rows: (string | number)[][] = [];
  const row = (runtime: string, t: ProxyTimings & { loadMs: number }) => [
    runtime,
    t.alerts.toLocaleString('en-US'),
    `${(t.loadMs / 1000).toFixed(1)} s`,
    `${ms(t.buildMs)} ms`,
    `${ms(t.sweepMs)} ms`,
    `${ms(median(t.countsMs))} ms`,
    `${ms(median(t.plotsMs))} ms (${t.plots})`,
    `${ms(median(t.rescanMs))} ms`,
    `${(median(t.rescanMs) / median(t.countsMs)).toFixed(0)}x`,
  ];
  rows.push(row('Node, DuckDB-WASM', node));

  let chromium: (ProxyTimings & { loadMs: number }) | null = null;
  if (!values['skip-chromium']) {
    chromium = await chromiumRun(dir);
    rows.push(row('Chromium, DuckDB-WASM', chromium));
  }
  let native: NativeTimings | null = null;
  if (!values['skip-native']) {
    native = await nativeRescan(join(dir, 'snapshots/*/*/*/alerts.parquet'), thresholdMoves(rescans));
    rows.push([
      `native DuckDB ${native.version}`,
      native.alerts.toLocaleString('en-US'),
      `${(native.loadMs / 1000).toFixed(1)} s`,
      '-',
      '-',
      '-',
      '-',
      `${ms(median(native.rescanMs))} ms`,
      '-',
    ]);
  }
  table.push(...rows);
  checkAgreement(size, [
    ['the Node cube', node.cubeFirst],
    ['the Node rescan', node.rescanFirst],
    ...(chromium
      ? ([
          ['the Chromium cube', chromium.cubeFirst],
          ['the Chromium rescan', chromium.rescanFirst],
        ] as [string, LabelTotals][])
      : []),
    ...(native ? ([['the native rescan', native.rescanFirst]] as [string, LabelTotals][]) : []),
  ]);

  const best = chromium ?? node;
  const where = chromium ? 'Chromium' : 'Node';
  const at = `${size.toLocaleString('en-US')} alerts`;
  if (native) {
    ratios.push(
      `${at}: a move's counts from the cube in ${where} (${ms(median(best.countsMs))} ms) are ` +
        `${(median(native.rescanMs) / median(best.countsMs)).toFixed(0)}x faster than native DuckDB rescanning (${ms(median(native.rescanMs))} ms)`,
    );
  }
  if (size >= 500_000) {
    ratios.push(
      `${at}: and ${(PANDAS_1M_MS / median(best.countsMs)).toFixed(0)}x faster than the design's pandas function ` +
        `(${PANDAS_1M_MS} ms at 1M on this machine, the issue's figure, not measured here)`,
    );
  }
  if (chromium) {
    const okCounts = median(chromium.countsMs) <= 10;
    const okPlots = median(chromium.plotsMs) <= 100;
    ratios.push(
      `${at}, targets in Chromium: counts ${ms(median(chromium.countsMs))} ms (<= 10 ms: ${okCounts ? 'met' : 'MISSED'}), ` +
        `every plot ${ms(median(chromium.plotsMs))} ms (<= 100 ms: ${okPlots ? 'met' : 'MISSED'})`,
    );
  }
}

console.log('\nA threshold change (medians over the moves; "once" columns are per load):\n');
console.log(
  formatTable(
    ['runtime', 'alerts', 'load', 'cube (once)', 'sweep (once)', 'counts', 'all plots', 'SQL rescan', 'rescan/counts'],
    table,
  ),
);
for (const r of ratios) console.log(r);
console.log(
  `\n${moves} threshold moves per runtime (rescans: ${rescans}); counts = labels overall and by severity, typology, date, window, agreement, rule stats, warnings.`,
);
