/** `lab migrations`: the label-column migrations as SQL for DuckDB or ClickHouse. */
import { migrationsAsClickHouse, migrationsAsDuckDB } from '../migrations/index.ts';
import { defineCommand } from './command.ts';
import { CliError } from './output.ts';

export const migrationsCommand = defineCommand({
  name: 'migrations',
  summary: 'print the label-column migrations as DuckDB or ClickHouse SQL',
  usage: 'lab migrations [--dialect duckdb|clickhouse]',
  options: { dialect: { type: 'string', default: 'duckdb' } },
  async run({ dialect }) {
    if (dialect === 'clickhouse') process.stdout.write(migrationsAsClickHouse());
    else if (dialect === 'duckdb') process.stdout.write(migrationsAsDuckDB());
    else throw new CliError(`migrations: --dialect must be duckdb or clickhouse, not '${dialect}'`);
    return 0;
  },
});
