/**
 * `npm run bench:load [-- --alerts 1000000 --runs 3 --skip-browser --skip-native | --data DIR]`
 *
 * Generates a snapshot of N alerts (with their features, clusters, money flows and labels) once
 * into bench-data/, then measures the time from "here are the files" to "query-ready" (every
 * file decoded, checked, merged, the views built, and a first aggregate answered):
 *   - in Node, through DuckDB-WASM's Node bundle (the CLI's path);
 *   - in headless Chromium, through the app's own browser runtime (DuckDB-WASM in its worker,
 *     Parquet decoded in the parquet worker), with the files fetched from the dev server.
 *   - in native DuckDB (@duckdb/node-api), reading each table's files in one read_parquet and
 *     checking nothing: the floor the issue measures against (`vs native`).
 * Each runtime runs `--runs` times in a fresh database; the table shows the median and range, the
 * cost per million alerts, and the peak memory (Node: the process's peak RSS; Chromium: the peak
 * of all its processes' RSS summed, sampled every 100 ms).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openNodeRuntime } from '../src/db/node.ts';
import { rows } from '../src/db/database.ts';
import { filesFromPaths } from '../src/node/files.ts';
import { Lab } from '../src/sot/lab.ts';
import { formatTable } from '../src/cli/output.ts';
import { median } from './stats.ts';
import { browserLoadTimes } from './load-browser.ts';
import { nativeLoad } from './load-native.ts';

const { values } = parseArgs({
  options: {
    alerts: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '7' },
    'skip-browser': { type: 'boolean', default: false },
    'skip-native': { type: 'boolean', default: false },
    data: { type: 'string' },
  },
});
const alerts = Number(values.alerts);
const runs = Number(values.runs);
// `--data DIR` measures any snapshot folder (the bundled sample, a real export) instead.
const dir = resolve(values.data ?? `bench-data/alerts-${alerts}-seed-${values.seed}`);

if (!values.data && !existsSync(resolve(dir, 'snapshots'))) {
  console.log(`generating ${alerts.toLocaleString('en-US')} alerts into ${dir} (once) ...`);
  const t0 = performance.now();
  execFileSync(
    'npx',
    ['tsx', 'src/cli/sample-data.ts', '--alerts', String(alerts), '--seed', String(values.seed), '--out', dir],
    {
      stdio: 'inherit',
    },
  );
  console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const files = (await filesFromPaths([dir])).filter((f) => !/(^|\/)labels\//.test(f.path));
const bytes = files.reduce((n, f) => n + f.size, 0);

type Phases = Record<'read' | 'decode' | 'check' | 'merge', number>;
/** Seconds per (table, phase), summed over a run's files. */
type Breakdown = Record<string, Phases>;

function breakdownOf(loaded: { table: string; ms: Phases }[]): Breakdown {
  const out: Breakdown = {};
  for (const l of loaded) {
    const b = (out[l.table] ??= { read: 0, decode: 0, check: 0, merge: 0 });
    for (const k of Object.keys(b) as (keyof Phases)[]) b[k] += l.ms[k] / 1000;
  }
  return out;
}

async function nodeLoad(): Promise<{ ms: number; rows: number; breakdown: Breakdown }> {
  const rt = await openNodeRuntime();
  try {
    const t0 = performance.now();
    const lab = await Lab.open(rt);
    const report = await lab.load(files);
    const errors = report.problems.filter((p) => p.level === 'error');
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
    const [first] = rows<{ n: number }>(
      await lab.db.query(`SELECT count(*) AS n FROM alerts WHERE severity IN ('high', 'critical')`),
    );
    const ms = performance.now() - t0;
    const n = rows<{ n: number }>(await lab.db.query(`SELECT count(*) AS n FROM alerts`))[0]!.n;
    void first;
    return { ms, rows: n, breakdown: breakdownOf(report.loaded) };
  } finally {
    await rt.db.close();
  }
}

const results: { runtime: string; times: number[]; rows: number; breakdown?: Breakdown; peakBytes?: number }[] = [];
const nodeTimes: number[] = [];
let loadedRows = 0;
let nodeBreakdown: Breakdown = {};
for (let i = 0; i < runs; i++) {
  const r = await nodeLoad();
  nodeTimes.push(r.ms);
  loadedRows = r.rows;
  nodeBreakdown = r.breakdown;
  console.log(`node run ${i + 1}: ${(r.ms / 1000).toFixed(2)} s`);
}
results.push({
  runtime: 'Node (DuckDB-WASM blocking bundle)',
  times: nodeTimes,
  rows: loadedRows,
  breakdown: nodeBreakdown,
  // maxRSS is in KiB, the peak over the process's life: the loads above, one after another.
  peakBytes: process.resourceUsage().maxRSS * 1024,
});

if (!values['skip-browser']) {
  const b = await browserLoadTimes(dir, files, runs);
  results.push({
    runtime: 'Chromium (DuckDB-WASM worker + parquet worker)',
    times: b.times,
    rows: b.rows,
    breakdown: breakdownOf(b.loaded),
    peakBytes: b.peakBytes,
  });
}

if (!values['skip-native']) {
  const times: number[] = [];
  let version = '';
  let n = 0;
  for (let i = 0; i < runs; i++) {
    const r = await nativeLoad(files);
    times.push(r.ms);
    version = r.version;
    n = r.alerts;
    console.log(`native run ${i + 1}: ${(r.ms / 1000).toFixed(2)} s`);
  }
  results.push({ runtime: `native DuckDB ${version} (reads only, no checks)`, times, rows: n });
}

console.log(
  `\nLoad to query-ready: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${loadedRows.toLocaleString('en-US')} alert rows, ${runs} runs each\n`,
);
const native = results.find((r) => r.runtime.startsWith('native'));
process.stdout.write(
  formatTable(
    ['runtime', 'median s', 'min s', 'max s', 'alert rows', 's per M alerts', 'peak memory', 'vs native'],
    results.map((r) => [
      r.runtime,
      (median(r.times) / 1000).toFixed(2),
      (Math.min(...r.times) / 1000).toFixed(2),
      (Math.max(...r.times) / 1000).toFixed(2),
      r.rows,
      (median(r.times) / 1000 / (r.rows / 1e6)).toFixed(2),
      r.peakBytes === undefined ? '' : `${(r.peakBytes / 1024 ** 2).toFixed(0)} MiB`,
      native ? `${(median(r.times) / median(native.times)).toFixed(1)}x` : '',
    ]),
  ),
);

for (const r of results) {
  if (!r.breakdown) continue;
  console.log(
    `\nWhere the time goes, last run, ${r.runtime} (seconds summed over files; open and first query not included):\n`,
  );
  const tables = Object.entries(r.breakdown);
  process.stdout.write(
    formatTable(
      ['table', 'read+sha256', 'decode', 'check', 'merge'],
      tables.map(([t, p]) => [t, p.read.toFixed(2), p.decode.toFixed(2), p.check.toFixed(2), p.merge.toFixed(2)]),
    ),
  );
}
