/**
 * `lab run notebooks/NAME.md [--data DIR] [--set name=value] [--query-timeout S] --out report.html`:
 * run every cell of a notebook in Node through the same runtime as the browser and write one
 * self-contained HTML report. The report is written even when cells fail; the exit code then
 * says so. Each query of a cell is stopped after --query-timeout (else the front matter's
 * `query_timeout`, else 60 s), so a query that never ends (a recursive CTE without a bound)
 * fails its cell instead of hanging the run.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve, relative } from 'node:path';
import { parseNotebook } from '../notebook/parse.ts';
import { formatDiagnostic } from '../notebook/diagnostics.ts';
import { ParamValueError } from '../notebook/params.ts';
import { DEFAULT_QUERY_TIMEOUT_MS, durationMs } from '../notebook/front-matter.ts';
import type { NotebookDocument } from '../notebook/types.ts';
import { paramOverrides, runHeadless } from '../node/notebook-headless.ts';
import { notebookFilesIn } from '../node/notebook-files.ts';
import { literal } from '../db/database.ts';
import { STAGED_FILES_DIR } from '../sot/stage.ts';
import { defineCommand } from './command.ts';
import { DATA_OPTIONS, dataLimits, loadLab } from './load-lab.ts';
import { CliError } from './output.ts';

export const runNotebookCommand = defineCommand({
  name: 'run',
  summary: `run a notebook headless and write its HTML report; each query of a cell is stopped after --query-timeout S (seconds, or 30s, 500ms, 2min), else the front matter's query_timeout, else ${DEFAULT_QUERY_TIMEOUT_MS / 1000} s`,
  usage: 'lab run NOTEBOOK.md [--data DIR] [--set name=value] [--query-timeout S] --out FILE.html',
  options: {
    ...DATA_OPTIONS,
    set: { type: 'list' },
    out: { type: 'string' },
    'query-timeout': { type: 'string' },
  },
  async run(options, positionals) {
    if (positionals.length !== 1)
      throw new CliError('run: give exactly one notebook file, like notebooks/01-tour-of-a-snapshot.md');
    const out = options.out;
    if (!out) throw new CliError('run: give --out FILE.html for the report');
    const path = positionals[0]!;
    const timeoutText = options['query-timeout'];
    const timeoutMs = timeoutText === undefined ? undefined : durationMs(timeoutText);
    if (timeoutText !== undefined && timeoutMs === undefined)
      throw new CliError(
        `run: --query-timeout ${timeoutText}: expected seconds, or a duration like 30s, 500ms or 2min`,
      );
    const text = await readFile(path, 'utf8').catch(() => {
      throw new CliError(`run: ${path}: no such file`);
    });
    const doc = parseNotebook(text, { file: path });
    // Problems outside any cell (front matter, a fence never closed) leave nothing sensible to
    // run; a problem inside a cell fails that cell, in the report, like any other cell error.
    const general = doc.diagnostics.filter((d) => d.cell === undefined);
    if (general.length > 0) throw new CliError(general.map((d) => formatDiagnostic(path, d)).join('\n'));

    // Check --set against the notebook's params before any data is loaded: a typo fails fast.
    let params;
    try {
      params = paramOverrides(doc, parseSets(options.set));
    } catch (e) {
      if (e instanceof ParamValueError) throw new CliError(`run: ${path}: --set ${e.message}`);
      throw e;
    }
    const data = dataPaths(doc, path, options.data);
    // Files that fail to load are reported by loadLab on stderr; the notebook runs on the rest,
    // and only cell failures decide the exit code.
    const { lab } = await loadLab(data, dataLimits(options));
    // The data is in; from here on the notebook's SQL reads only that. Without this, a query in
    // a notebook from anywhere could read local files (read_csv('/etc/passwd')) into its report.
    // DuckDB cannot turn it back on, which is fine: this process ends with the run.
    // Only the staging folder stays open, so labels cells can still import CSV files.
    await lab.db.exec(`SET allowed_directories = [${literal(STAGED_FILES_DIR)}]`);
    await lab.db.exec('SET enable_external_access = false');

    const run = await runHeadless(doc, {
      db: lab.db,
      params,
      data: data.map((p) => relative(process.cwd(), p) || '.'),
      generatedAt: new Date(),
      files: notebookFilesIn(lab.runtime, data),
      ...(timeoutMs !== undefined && { queryTimeout: { ms: timeoutMs, source: 'lab run --query-timeout' } }),
    });
    await mkdir(dirname(resolve(out)), { recursive: true });
    await writeFile(out, run.html);
    await run.nb.dispose();

    const cells = run.nb.cells.filter((c) => c.kind !== 'markdown').length;
    for (const f of run.failures)
      process.stderr.write(`${basename(path)}: ${f.kind} ${f.id} failed: ${f.error?.message ?? 'unknown error'}\n`);
    process.stdout.write(`wrote ${out}: ${cells} cells, ${run.failures.length} failed\n`);
    if (run.failures.length > 0)
      throw new CliError(`run: ${run.failures.length} of ${cells} cells failed (the report shows where)`);
    return 0;
  },
});

function parseSets(sets: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new CliError(`run: --set ${s}: expected name=value`);
    out[s.slice(0, eq).trim()] = s.slice(eq + 1);
  }
  return out;
}

/**
 * --data as given, or the front matter's `data`, which is relative to the repository: the
 * nearest folder above the notebook that holds a package.json (else the current folder).
 */
function dataPaths(doc: NotebookDocument, notebookPath: string, given: string[]): string[] {
  if (given.length > 0) return given;
  const data = doc.frontMatter?.data?.data;
  if (!data) throw new CliError('run: the notebook names no data (front matter `data:`): give --data DIR');
  let dir = dirname(resolve(notebookPath));
  while (!existsSync(resolve(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const root = existsSync(resolve(dir, 'package.json')) ? dir : process.cwd();
  return (Array.isArray(data) ? data : [data]).map((d) => resolve(root, d));
}
