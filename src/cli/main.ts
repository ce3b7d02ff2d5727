/**
 * `lab`: the headless front of Label Lab (`npm run lab -- <command> ...`).
 * Every command is a thin layer over the same core the app uses.
 */
import { parseArgs } from 'node:util';
import { indent } from './command.ts';
import { COMMANDS, DATA_OPTIONS_NOTE, usage } from './commands.ts';
import { CliError } from './output.ts';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const asksHelp = (word: string | undefined) => word === 'help' || word === '--help' || word === '-h';
  // `lab help compare` and `lab compare --help` print that command's usage; `lab help`, all of them.
  const about = asksHelp(name) ? rest[0] : rest.some(asksHelp) ? name : undefined;
  if (!name || asksHelp(name) || about !== undefined) {
    const command = COMMANDS.find((c) => c.name === about);
    if (about !== undefined && !command) throw new CliError(`unknown command '${about}'\n\n${usage()}`);
    const note = command && 'max-decoded-bytes' in command.options ? `\n${DATA_OPTIONS_NOTE}\n` : '';
    process.stdout.write(command ? `${indent(command.usage)}\n      ${command.summary}\n${note}` : usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new CliError(`unknown command '${name}'\n\n${usage()}`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: command.options,
    allowPositionals: true,
    strict: true,
  });
  return command.run(values, positionals);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    // Users get the message, not a stack trace; a bug (not a CliError) still says where it came from.
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`lab: ${message}\n`);
    if (
      !(e instanceof CliError) &&
      !(e instanceof TypeError && /parseArgs|option/i.test(message)) &&
      process.env.LAB_DEBUG
    ) {
      process.stderr.write(`${(e as Error).stack}\n`);
    }
    process.exit(e instanceof CliError ? e.exitCode : 2);
  },
);
