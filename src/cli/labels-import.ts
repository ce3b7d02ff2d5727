/**
 * `lab labels import`: check a label file against the loaded alerts, print the validation report,
 * append on confirmation (--yes, or a y at the prompt), and with --out write the resulting label
 * events as Parquet. The CLI's database lives in memory for one command, so this is a
 * check-and-convert step: other commands take the written events as --labels.
 */
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { describeEarlier, exportLabels, prepareLabelImportOnce } from '../ingest/index.ts';
import { defineCommand, noArguments } from './command.ts';
import { readMapping } from './config-files.ts';
import { formatImportReport } from './label-report.ts';
import { loadLab, readFiles, DATA_OPTIONS, dataLimits } from './load-lab.ts';
import { CliError } from './output.ts';

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export const labelsImportCommand = defineCommand({
  name: 'labels import',
  summary: 'check a label file against the loaded alerts, append it on confirmation',
  usage: 'lab labels import  --data DIR --file F [--mapping M] [--keep-unknown] [--yes] [--out OUT.parquet]',
  options: {
    ...DATA_OPTIONS,
    file: { type: 'string' },
    mapping: { type: 'string' },
    'keep-unknown': { type: 'flag' },
    yes: { type: 'flag' },
    out: { type: 'string' },
  },
  async run(options, positionals) {
    noArguments(labelsImportCommand, positionals);
    if (options.data.length === 0)
      throw new CliError('labels import: give --data DIR (the alerts the labels are checked against)');
    if (!options.file) throw new CliError('labels import: give --file');
    const mapping = await readMapping(options.mapping);
    const [file] = await readFiles([options.file]);
    const { rt } = await loadLab(options.data, dataLimits(options));
    // The same check as the app's (Labels tab and notebooks): the same bytes are never appended twice.
    const { prepared: pending, earlier } = await prepareLabelImportOnce(rt, file!, {
      mapping,
      unknownTargets: options['keep-unknown'] ? 'keep' : 'reject',
    });
    process.stdout.write(formatImportReport(pending.report));
    const code = pending.report.ok ? 0 : 1;
    if (earlier) {
      await pending.discard();
      process.stdout.write(`nothing to append: ${file!.path} was ${describeEarlier(earlier)}\n`);
      return code;
    }
    if (pending.report.accepted === 0) {
      await pending.discard();
      process.stdout.write('nothing to append\n');
      return 1;
    }
    const yes = options.yes || (await confirm(`append ${pending.report.accepted} label events? [y/N] `));
    if (!yes) {
      await pending.discard();
      process.stdout.write('nothing was written (confirm with --yes)\n');
      return code;
    }
    const appended = await pending.commit();
    process.stdout.write(`appended ${appended.events} label events (batch ${appended.batchId})\n`);
    if (options.out) {
      await writeFile(options.out, await exportLabels(rt, 'events'));
      process.stdout.write(`wrote the label events to ${options.out}\n`);
    } else {
      process.stdout.write(
        'the CLI keeps nothing between commands: add --out FILE.parquet to save the label events, then pass them with --labels\n',
      );
    }
    return code;
  },
});
