/**
 * `npm run bench:load-sizes [-- --from bench-data/alerts-1000000-seed-7 --sizes 0.25,0.5,1,2,5]`
 *
 * Issue #13, point 4: how the load grows with the snapshot. Each size (millions of alerts) is a
 * folder made once from the 1M-alert bench snapshot by bench/scale-snapshot.ts (fewer snapshot
 * dates for a smaller size, date-shifted copies for a larger one), loaded by bench/load-one.ts in
 * a process of its own, so each peak memory is that load's alone. DuckDB-WASM's Node bundle is the
 * engine the app runs in its worker, with the same memory limit: where a size outgrows it, the
 * load stops with the message a user sees, and the table shows how far it got.
 *
 * Columns: seconds to query-ready (or to the stop), alerts loaded, seconds per million of them,
 * the process's peak RSS and its cost per million alerts, DuckDB's table memory, and the outcome.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable } from '../src/cli/output.ts';
import type { OneLoad } from './load-one.ts';

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: 'bench-data/alerts-1000000-seed-7' },
    sizes: { type: 'string', default: '0.25,0.5,1,2,5' },
  },
});
const from = resolve(values.from);
if (!existsSync(resolve(from, 'snapshots'))) {
  throw new Error(
    `no snapshot at ${from}: make it with npm run sample-data -- --alerts 1000000 --seed 7 --out ${values.from}`,
  );
}
const sizes = values.sizes.split(',').map(Number);

/** The scale-snapshot arguments for a size, against the 1M source (five dates, 200k alerts each). */
function scaling(size: number): string[] | null {
  if (size === 1) return null;
  if (size < 1) {
    // 0.25: one date of two windows; 0.5: one date, two copies.
    const copies = Math.max(1, Math.round(size / 0.25));
    return ['--dates', '1', '--copies', String(copies)];
  }
  return ['--copies', String(Math.round(size))];
}

const mib = (b: number) => `${(b / 1024 ** 2).toFixed(0)} MiB`;
const rowsOut: string[][] = [];
for (const size of sizes) {
  const args = scaling(size);
  const dir = args ? resolve(`bench-data/scaled-${size}M-from-${from.split('/').pop()}`) : from;
  if (args && !existsSync(resolve(dir, 'snapshots'))) {
    execFileSync('npx', ['tsx', 'bench/scale-snapshot.ts', '--from', from, '--out', dir, ...args], {
      stdio: 'inherit',
    });
  }
  const line = execFileSync('npx', ['tsx', 'bench/load-one.ts', dir], { encoding: 'utf8', maxBuffer: 1 << 26 })
    .trim()
    .split('\n')
    .pop()!;
  const r = JSON.parse(line) as OneLoad;
  const perM = Math.max(0, r.alerts) / 1e6;
  console.log(
    `${size}M: ${r.alerts.toLocaleString('en-US')} alerts in ${r.seconds.toFixed(1)} s${r.stopped ? ' (stopped)' : ''}`,
  );
  rowsOut.push([
    `${size}M`,
    `${r.files} files, ${(r.bytes / 1e6).toFixed(0)} MB`,
    r.seconds.toFixed(1),
    r.alerts < 0 ? 'not countable (memory full)' : r.alerts.toLocaleString('en-US'),
    perM > 0 ? (r.seconds / perM).toFixed(1) : '-',
    mib(r.peakBytes),
    perM > 0 ? mib(r.peakBytes / perM) : '-',
    r.tableBytes < 0 ? `? of ${r.memoryLimit}` : `${mib(r.tableBytes)} of ${r.memoryLimit}`,
    r.stopped ? `stopped: ${r.stopped}` : 'loaded',
  ]);
}
console.log('\nLoad to query-ready per size, DuckDB-WASM (Node bundle), every check made, one run each\n');
process.stdout.write(
  formatTable(
    [
      'size',
      'input',
      'seconds',
      'alerts loaded',
      's per M alerts',
      'peak RSS',
      'peak per M alerts',
      'DuckDB tables',
      'outcome',
    ],
    rowsOut,
  ),
);
