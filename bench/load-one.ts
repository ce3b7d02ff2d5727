/**
 * One load for bench/load-sizes.ts, in a process of its own so that its peak memory is this
 * load's alone: `npx tsx bench/load-one.ts DIR` loads DIR's snapshot files (not labels/) through
 * the CLI's path (DuckDB-WASM's Node bundle, every check made) and prints one JSON line: seconds,
 * alerts loaded, the process's peak RSS, the memory DuckDB's tables hold, its memory limit, and
 * the first error if the load stopped (a load that outgrows DuckDB's memory stops with a message
 * naming the limit and keeps what it loaded).
 */
import { openNodeRuntime } from '../src/db/node.ts';
import { rows } from '../src/db/database.ts';
import { filesFromPaths } from '../src/node/files.ts';
import { Lab } from '../src/sot/lab.ts';

export interface OneLoad {
  seconds: number;
  alerts: number;
  files: number;
  bytes: number;
  peakBytes: number;
  tableBytes: number;
  memoryLimit: string;
  stopped?: string;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: npx tsx bench/load-one.ts DIR');
const files = (await filesFromPaths([dir])).filter((f) => !/(^|\/)labels\//.test(f.path));
const rt = await openNodeRuntime();
try {
  const t0 = performance.now();
  const lab = await Lab.open(rt);
  const report = await lab.load(files);
  const seconds = (performance.now() - t0) / 1000;
  const error = report.problems.find((p) => p.level === 'error');
  // With DuckDB's memory full even these small queries can fail: -1 says so in the table.
  const count = async (sql: string) =>
    lab.db
      .query(sql)
      .then((t) => rows<{ v: number | bigint }>(t)[0]?.v ?? 0)
      .catch(() => -1);
  const out: OneLoad = {
    seconds,
    alerts: Number(await count('SELECT count(*) AS v FROM raw_alerts')),
    files: files.length,
    bytes: files.reduce((n, f) => n + f.size, 0),
    // maxRSS is in KiB, the peak over this process's life: this one load.
    peakBytes: process.resourceUsage().maxRSS * 1024,
    tableBytes: Number(await count('SELECT sum(memory_usage_bytes) AS v FROM duckdb_memory()')),
    memoryLimit: await lab.db
      .query(`SELECT current_setting('memory_limit') AS v`)
      .then((t) => String(rows<{ v: string }>(t)[0]?.v ?? ''))
      .catch(() => '?'),
    ...(error ? { stopped: error.message } : {}),
  };
  console.log(JSON.stringify(out));
} finally {
  await rt.db.close();
}
