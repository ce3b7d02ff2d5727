/**
 * The CLI's commands, in the order `lab help` lists them. A new command is one module (see
 * command.ts) and one line here; nothing imports this file but main.ts and tests.
 */
import type { Command } from './command.ts';
import { indent } from './command.ts';
import { activeCommand } from './active.ts';
import { compareCommand } from './compare.ts';
import { labelsCommand } from './labels.ts';
import { loadCommand } from './load.ts';
import { migrationsCommand } from './migrations.ts';
import { proxyLabelsCommand } from './proxy-labels.ts';
import { runNotebookCommand } from './run-notebook.ts';
import { validateCommand } from './validate.ts';

export const COMMANDS: readonly Command[] = [
  loadCommand,
  migrationsCommand,
  runNotebookCommand,
  proxyLabelsCommand,
  labelsCommand,
  compareCommand,
  validateCommand,
  activeCommand,
];

/** Said once rather than on every usage line: what every command that reads --data also takes. */
export const DATA_OPTIONS_NOTE =
  'Every command that takes --data also takes --max-decoded-bytes SIZE (e.g. 4GiB; default 1GiB):\n' +
  'a file that would decode to more is refused by name before it can exhaust memory.';

export function usage(): string {
  const lines = COMMANDS.map((c) => `${indent(c.usage)}\n      ${c.summary}`);
  return `Label Lab, headless.\n\nUsage: npm run lab -- <command> [options]\n\n${lines.join('\n\n')}\n\n${DATA_OPTIONS_NOTE}\n`;
}
