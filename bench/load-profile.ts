/**
 * `npx tsx bench/load-profile.ts [--data DIR] [--set SQL]... [--skip-node] [--skip-browser]`
 *
 * Where a load's time goes on DuckDB's side: every statement the loader sends, summed by kind
 * (staging copies, merges, commits, checks...), in Node and in Chromium, and DuckDB's memory
 * after the load. `--set` applies a setting first (repeatable), to see what it trades:
 *   --set "SET disabled_compression_methods='fsst,dict_fsst'"
 *   --set "SET checkpoint_threshold='100GB'"
 * One run per runtime: whole loads of the same build vary by about 10% on this machine, so
 * compare settings by running them one after another, several times, as bench:load does.
 * In Node the Parquet decode runs on the same thread, between statements; in Chromium it runs in
 * its own worker, and a statement's time includes the round trip to DuckDB's worker.
 */
import { parseArgs } from 'node:util';
import { openNodeRuntime } from '../src/db/node.ts';
import { filesFromPaths } from '../src/node/files.ts';
import { formatTable } from '../src/cli/output.ts';
import { benchSnapshotDir, runInBenchPage } from './app-session.ts';
import { profileLoad, type LoadProfile } from './load-profile-run.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    'skip-browser': { type: 'boolean', default: false },
    'skip-node': { type: 'boolean', default: false },
  },
});
const dir = benchSnapshotDir(values.data);
const settings = values.set ?? [];
const files = (await filesFromPaths([dir])).filter((f) => !/(^|\/)labels\//.test(f.path));
console.log(`snapshot: ${dir} (${files.length} files)${settings.length ? `\nsettings: ${settings.join('; ')}` : ''}`);

function print(runtime: string, p: LoadProfile): void {
  if (p.errors.length > 0) console.log(`  ${p.errors.length} files refused; the first: ${p.errors[0]}`);
  const inStatements = p.stats.reduce((n, s) => n + s.ms, 0);
  console.log(
    `\n${runtime}: ${(p.wallMs / 1000).toFixed(1)} s for ${p.loaded} files, ${(inStatements / 1000).toFixed(1)} s of it in statements; DuckDB memory after: ${p.memoryMiB.toFixed(0)} MiB\n`,
  );
  const shown = p.stats.filter((s) => s.ms >= 50);
  const rest = p.stats.filter((s) => s.ms < 50);
  const body = shown.map((s) => [
    s.kind,
    s.count,
    (s.ms / 1000).toFixed(2),
    `${((100 * s.ms) / p.wallMs).toFixed(0)}%`,
  ]);
  if (rest.length > 0)
    body.push([
      `${rest.length} other kinds`,
      rest.reduce((n, s) => n + s.count, 0),
      (rest.reduce((n, s) => n + s.ms, 0) / 1000).toFixed(2),
      '',
    ]);
  body.push([
    'outside statements (reading, hashing, Parquet decode)',
    '',
    ((p.wallMs - inStatements) / 1000).toFixed(2),
    `${((100 * (p.wallMs - inStatements)) / p.wallMs).toFixed(0)}%`,
  ]);
  process.stdout.write(formatTable(['statement', 'count', 's', 'of the load'], body));
}

if (!values['skip-node']) {
  const rt = await openNodeRuntime();
  try {
    print('Node (DuckDB-WASM blocking bundle)', await profileLoad(rt, files, settings));
  } finally {
    await rt.db.close();
  }
}
if (!values['skip-browser']) {
  const p = await runInBenchPage<{ settings: string[] }, LoadProfile>(
    '/bench/load-profile-page.ts',
    'profileInPage',
    { settings },
    dir,
  );
  print('Chromium (DuckDB-WASM worker + parquet worker)', p);
}
