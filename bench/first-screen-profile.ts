/**
 * `npx tsx bench/first-screen-profile.ts`
 *
 * Where the first screen's time goes, statement by statement: the app's start-up steps with the
 * sample (bench/first-screen-page.ts, in Chromium on the dev server), every DuckDB statement
 * counted and timed by kind, and each loaded file's read, decode, check and merge time.
 */
import { formatTable } from '../src/cli/output.ts';
import { runInBenchPage } from './app-session.ts';
import type { StartProfile } from './first-screen-page.ts';

const r = await runInBenchPage<object, StartProfile>('/bench/first-screen-page.ts', 'profileStart', {});
const ms = (n: number) => n.toFixed(0);
console.log('\nStart-up steps (ms from the page script starting):\n');
process.stdout.write(
  formatTable(
    ['step', 'ms'],
    Object.entries(r.marks).map(([k, v]) => [k, ms(v)]),
  ),
);
const total = (xs: { count: number; ms: number }[]) => [
  xs.reduce((n, s) => n + s.count, 0),
  xs.reduce((n, s) => n + s.ms, 0),
];
const [n = 0, t = 0] = total(r.loadStats);
console.log(`\nThe load's ${n} statements (${ms(t)} ms of statement time, ${r.files} files):\n`);
process.stdout.write(
  formatTable(
    ['statement', 'count', 'ms'],
    r.loadStats.map((s) => [s.kind, String(s.count), ms(s.ms)]),
  ),
);
const phases = ['read', 'decode', 'check', 'merge'] as const;
console.log('\nPer file, summed (ms; decode includes waiting for the Parquet worker):\n');
process.stdout.write(formatTable([...phases], [phases.map((p) => ms(r.perFile.reduce((sum, f) => sum + f[p], 0)))]));
