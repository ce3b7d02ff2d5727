/**
 * What a CLI command is, and the two ways to make one: `defineCommand` (a typed option table, its
 * values parsed and checked once before `run`) and `commandGroup` (subcommands such as
 * `lab labels import|quality|export|suspects`, dispatched on the first positional).
 *
 * Adding a command: write its module with `defineCommand` (or `commandGroup`) and add one line to
 * COMMANDS in commands.ts. Nothing here imports a command, so command modules import this file
 * and the registry imports them: no cycle.
 */
import type { ParseArgsConfig } from 'node:util';
import { CliError } from './output.ts';

/** The option table node:util parseArgs takes. */
export type ParseArgsOptions = NonNullable<ParseArgsConfig['options']>;

/** Option values as node:util parseArgs returns them (and as tests pass them). */
export type ArgValues = Readonly<Record<string, string | boolean | readonly (string | boolean)[] | undefined>>;

/** The registry's view of a command: what main.ts needs to parse its arguments and run it. */
export interface Command {
  /** 'load', or for a subcommand its full name, 'labels suspects'. */
  readonly name: string;
  readonly summary: string;
  /** One line per form of the command, each starting 'lab '. */
  readonly usage: string;
  /** Given to parseArgs (strict), which rejects options not in it. */
  readonly options: ParseArgsOptions;
  /** The exit code; a CliError is the user's mistake, printed without a stack. */
  run(values: ArgValues, positionals: string[]): Promise<number>;
}

/**
 * One option of a command. `string`: string | undefined, or string with a default. `list`: a
 * repeatable string, [] when absent. `flag`: a boolean, false when absent. `integer`: a positive
 * integer written as a string, undefined without a default.
 */
export type OptionSpec =
  | { readonly type: 'string'; readonly default?: string }
  | { readonly type: 'list' }
  | { readonly type: 'flag' }
  | { readonly type: 'integer'; readonly default?: number };

export type OptionTable = Readonly<Record<string, OptionSpec>>;

type OptionValue<S extends OptionSpec> = S extends { type: 'flag' }
  ? boolean
  : S extends { type: 'list' }
    ? string[]
    : S extends { type: 'integer'; default: number }
      ? number
      : S extends { type: 'integer' }
        ? number | undefined
        : S extends { default: string }
          ? string
          : string | undefined;

/** The typed values of a table: what a command's run receives. */
export type Options<T extends OptionTable> = { readonly [K in keyof T]: OptionValue<T[K]> };

export interface CommandSpec<T extends OptionTable> {
  name: string;
  summary: string;
  usage: string;
  options: T;
  run(options: Options<T>, positionals: string[]): Promise<number>;
}

export function defineCommand<const T extends OptionTable>(spec: CommandSpec<T>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    options: parseArgsOptions(spec.options),
    // async, so a bad option is a rejected promise like every other failure of run.
    run: async (values, positionals) => spec.run(parseOptions(spec.name, spec.options, values), positionals),
  };
}

/** The parseArgs table for an option table; defaults are applied by parseOptions, not parseArgs. */
function parseArgsOptions(table: OptionTable): ParseArgsOptions {
  const out: ParseArgsOptions = {};
  for (const [name, spec] of Object.entries(table)) {
    out[name] =
      spec.type === 'flag'
        ? { type: 'boolean' }
        : spec.type === 'list'
          ? { type: 'string', multiple: true }
          : { type: 'string' };
  }
  return out;
}

function parseOptions<T extends OptionTable>(command: string, table: T, values: ArgValues): Options<T> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) out[name] = parseOption(command, name, spec, values[name]);
  // Each key of the table was filled by its own spec, which is what Options<T> says.
  return out as Options<T>;
}

function parseOption(command: string, name: string, spec: OptionSpec, value: ArgValues[string]): unknown {
  const wrong = (expected: string) => new CliError(`${command}: --${name} ${expected}, not '${String(value)}'`);
  switch (spec.type) {
    case 'flag':
      if (value === undefined) return false;
      if (typeof value !== 'boolean') throw wrong('takes no value');
      return value;
    case 'list':
      if (value === undefined) return [];
      if (typeof value === 'string') return [value];
      if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return [...value];
      throw wrong('takes a value');
    case 'string':
      if (value === undefined) return spec.default;
      if (typeof value !== 'string') throw wrong('takes one value');
      return value;
    case 'integer': {
      if (value === undefined) return spec.default;
      const n = Number(value);
      if (typeof value !== 'string' || !Number.isInteger(n) || n < 1) throw wrong('must be a positive integer');
      return n;
    }
  }
}

/**
 * A command made of subcommands (each a Command named 'group sub'), chosen by the first
 * positional; the rest go to the subcommand. parseArgs sees every subcommand's options.
 * `ask` words the request for a subcommand ("say import or export"); by default it lists them.
 */
export function commandGroup(group: { name: string; summary: string; subcommands: Command[]; ask?: string }): Command {
  const subName = (c: Command) => c.name.slice(group.name.length + 1);
  for (const c of group.subcommands) {
    if (!c.name.startsWith(`${group.name} `)) throw new Error(`${c.name} is not a subcommand of ${group.name}`);
  }
  const names = group.subcommands.map(subName);
  const ask = group.ask ?? (names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);
  const usage = group.subcommands.map((c) => c.usage).join('\n');
  return {
    name: group.name,
    summary: group.summary,
    usage,
    options: mergeOptions(group.name, group.subcommands),
    async run(values, positionals) {
      const [sub, ...rest] = positionals;
      const command = group.subcommands.find((c) => subName(c) === sub);
      if (!command) throw new CliError(`${group.name}: say ${ask}\n${indent(usage)}`);
      return command.run(values, rest);
    },
  };
}

function mergeOptions(group: string, subcommands: Command[]): ParseArgsOptions {
  const out: ParseArgsOptions = {};
  for (const c of subcommands) {
    for (const [name, option] of Object.entries(c.options)) {
      const seen = out[name];
      if (seen && (seen.type !== option.type || Boolean(seen.multiple) !== Boolean(option.multiple)))
        throw new Error(`${group}: subcommands disagree on the type of --${name}`);
      out[name] = option;
    }
  }
  return out;
}

/** Refuse positionals a command does not take, with its usage. */
export function noArguments(command: { name: string; usage: string }, positionals: string[]): void {
  if (positionals.length > 0)
    throw new CliError(`${command.name}: unexpected arguments ${positionals.join(' ')}\n${indent(command.usage)}`);
}

export function indent(lines: string, by = '  '): string {
  return lines
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}
