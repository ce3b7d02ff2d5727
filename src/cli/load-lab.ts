/**
 * Loading the data a command works on: SOT files into a fresh lab, then label files. Problems go
 * to stderr as they are found; the count of errors comes back for the command's exit code.
 */
import { openNodeRuntime } from '../db/node.ts';
import type { Runtime } from '../db/runtime.ts';
import { importLabels } from '../ingest/index.ts';
import { filesFromPaths } from '../node/files.ts';
import { classify, type SourceFile } from '../sot/files.ts';
import { Lab } from '../sot/lab.ts';
import { parseByteSize } from '../util/byte-size.ts';
import { CliError } from './output.ts';

/**
 * The options of every command that loads data: `--data DIR` (repeatable) and the per-file
 * decoded-size limit (`--max-decoded-bytes 4GiB`; default 1 GiB, stage.ts), which refuses a file
 * by name before it can exhaust memory.
 */
export const DATA_OPTIONS = {
  data: { type: 'list' },
  'max-decoded-bytes': { type: 'string' },
} as const;

/** What DATA_OPTIONS hold once parsed, as loadLab takes them. */
export function dataLimits(options: { 'max-decoded-bytes'?: string }): { maxDecodedBytes?: number } {
  const text = options['max-decoded-bytes'];
  if (text === undefined) return {};
  try {
    return { maxDecodedBytes: parseByteSize(text, '--max-decoded-bytes') };
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

export interface LoadedLab {
  lab: Lab;
  rt: Runtime;
  /** Errors reported on stderr (files or label rows refused). */
  errors: number;
  /** The tables that received rows ('alerts', 'ground_truth', ...). */
  tables: ReadonlySet<string>;
}

/** Files on disk, a missing one a CliError naming it. */
export async function readFiles(paths: string[]): Promise<SourceFile[]> {
  return filesFromPaths(paths).catch((e: Error) => {
    throw new CliError(e.message);
  });
}

/**
 * Load paths into a fresh lab; print problems to stderr. Shared by every command that reads data.
 * `labels` (a command's --labels FILE) are imported after the SOT files: passing them is the
 * confirmation, so the rows without errors are appended and the rest is reported as errors.
 * `truth` (any file name, `lab compare --truth`) is loaded as the ground truth in place of a
 * ground_truth file found among the paths.
 */
export async function loadLab(
  paths: string[],
  opts: { labels?: string[]; truth?: string; maxDecodedBytes?: number } = {},
): Promise<LoadedLab> {
  let files = await readFiles(paths);
  if (opts.truth) files = withTruth(files, (await readFiles([opts.truth]))[0]!);
  const labelFiles = await readFiles(opts.labels ?? []);
  const rt = await openNodeRuntime();
  const lab = await Lab.open(rt);
  const report = await lab.load(files, { maxDecodedBytes: opts.maxDecodedBytes });
  for (const p of report.problems) process.stderr.write(`${p.level}: ${p.message}\n`);
  let errors = report.problems.filter((p) => p.level === 'error').length;
  if (report.loaded.length === 0)
    throw new CliError(errors > 0 ? 'nothing was loaded' : `no SOT files found in ${paths.join(', ')}`);
  if (opts.truth && !report.loaded.some((l) => l.table === 'ground_truth'))
    throw new CliError(`the truth file ${opts.truth} did not load (see the errors above)`);
  for (const file of labelFiles) {
    const { report: labels, appended } = await importLabels(rt, file);
    for (const i of labels.issues) process.stderr.write(`${i.level}: ${i.message}\n`);
    errors += labels.issues.filter((i) => i.level === 'error').length;
    process.stderr.write(
      `labels: appended ${appended?.events ?? 0} label events from ${file.path} (${labels.rejected} rows refused, ${labels.dropped} left out)\n`,
    );
  }
  return { lab, rt, errors, tables: new Set(report.loaded.map((l) => l.table)) };
}

/** The files with `truth` named as the ground truth, any ground_truth file among them left out. */
function withTruth(files: SourceFile[], truth: SourceFile): SourceFile[] {
  const isTruth = (f: SourceFile) => {
    const c = classify(f);
    return c.kind === 'table' && c.contract.name === 'ground_truth';
  };
  const ext = truth.path.slice(truth.path.lastIndexOf('.'));
  return [...files.filter((f) => !isTruth(f)), { ...truth, path: `ground_truth${ext}` }];
}
