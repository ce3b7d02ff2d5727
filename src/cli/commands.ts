/** The CLI's commands, each a small function over the core. New commands add an entry here. */
import type { ParseArgsConfig } from 'node:util';
import { openNodeRuntime } from '../db/node.ts';
import type { Runtime } from '../db/runtime.ts';
import { importLabels } from '../ingest/index.ts';
import { migrationsAsClickHouse, migrationsAsDuckDB } from '../migrations/index.ts';
import { filesFromPaths } from '../node/files.ts';
import { Lab } from '../sot/lab.ts';
import { activeCommand } from './active.ts';
import { withSuspects } from './label-suspects.ts';
import { LABELS_COMMAND } from './labels.ts';
import { compareCommand } from './compare.ts';
import { CliError, formatTable } from './output.ts';
import { proxyLabelsCommand } from './proxy-labels.ts';
import { runNotebookCommand } from './run-notebook.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Values, positionals: string[]): Promise<number>;
}

export const COMMANDS: Command[] = [
  {
    name: 'load',
    summary: 'load SOT files (snapshot folders, Parquet, Arrow, CSV), check them and print the tables',
    usage: 'lab load --data DIR [--data DIR ...] [FILE ...]',
    options: { data: { type: 'string', multiple: true } },
    async run(values, positionals) {
      const paths = [...((values.data as string[] | undefined) ?? []), ...positionals];
      if (paths.length === 0) throw new CliError('load: give --data DIR or file paths');
      const { lab, errors } = await loadLab(paths);
      await printTables(lab);
      return errors > 0 ? 1 : 0;
    },
  },
  {
    name: 'migrations',
    summary: 'print the label-column migrations as DuckDB or ClickHouse SQL',
    usage: 'lab migrations [--dialect duckdb|clickhouse]',
    options: { dialect: { type: 'string', default: 'duckdb' } },
    async run(values) {
      const dialect = values.dialect;
      if (dialect === 'clickhouse') process.stdout.write(migrationsAsClickHouse());
      else if (dialect === 'duckdb') process.stdout.write(migrationsAsDuckDB());
      else throw new CliError(`migrations: --dialect must be duckdb or clickhouse, not '${String(dialect)}'`);
      return 0;
    },
  },
  runNotebookCommand,
  proxyLabelsCommand,
  withSuspects(LABELS_COMMAND),
  compareCommand,
  activeCommand,
];

export function usage(): string {
  const lines = COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `Label Lab, headless.\n\nUsage: npm run lab -- <command> [options]\n\n${lines.join('\n\n')}\n`;
}

/**
 * Load paths into a fresh lab; print problems to stderr. Shared by every command that reads data.
 * `labels` (a command's --labels FILE) are imported after the SOT files: passing them is the
 * confirmation, so the rows without errors are appended and the rest is reported as errors.
 */
export async function loadLab(
  paths: string[],
  opts: { labels?: string[] } = {},
): Promise<{ lab: Lab; rt: Runtime; errors: number }> {
  const files = await filesFromPaths(paths).catch((e: Error) => {
    throw new CliError(e.message);
  });
  const labelFiles = await filesFromPaths(opts.labels ?? []).catch((e: Error) => {
    throw new CliError(e.message);
  });
  const rt = await openNodeRuntime();
  const lab = await Lab.open(rt);
  const report = await lab.load(files);
  for (const p of report.problems) process.stderr.write(`${p.level}: ${p.message}\n`);
  let errors = report.problems.filter((p) => p.level === 'error').length;
  if (report.loaded.length === 0)
    throw new CliError(errors > 0 ? 'nothing was loaded' : `no SOT files found in ${paths.join(', ')}`);
  for (const file of labelFiles) {
    const { report: labels, appended } = await importLabels(rt, file);
    for (const i of labels.issues) process.stderr.write(`${i.level}: ${i.message}\n`);
    errors += labels.issues.filter((i) => i.level === 'error').length;
    process.stderr.write(
      `labels: appended ${appended?.events ?? 0} label events from ${file.path} (${labels.rejected} rows refused, ${labels.dropped} left out)\n`,
    );
  }
  return { lab, rt, errors };
}

async function printTables(lab: Lab): Promise<void> {
  const tables = await lab.tables();
  process.stdout.write(
    formatTable(
      ['table', 'rows', 'columns', 'files'],
      tables.map((t) => [t.name, t.rows, t.columns.length, t.files]),
    ),
  );
}
