/** `lab load`: load SOT files, check them, and print the tables they filled. */
import { defineCommand } from './command.ts';
import { loadLab, DATA_OPTIONS, dataLimits } from './load-lab.ts';
import { CliError, formatTable } from './output.ts';

export const loadCommand = defineCommand({
  name: 'load',
  summary: 'load SOT files (snapshot folders, Parquet, Arrow, CSV), check them and print the tables',
  usage: 'lab load --data DIR [--data DIR ...] [FILE ...]',
  options: { ...DATA_OPTIONS },
  async run(options, positionals) {
    const paths = [...options.data, ...positionals];
    if (paths.length === 0) throw new CliError('load: give --data DIR or file paths');
    const { lab, errors } = await loadLab(paths, dataLimits(options));
    const tables = await lab.tables();
    process.stdout.write(
      formatTable(
        ['table', 'rows', 'columns', 'files'],
        tables.map((t) => [t.name, t.rows, t.columns.length, t.files]),
      ),
    );
    return errors > 0 ? 1 : 0;
  },
});
