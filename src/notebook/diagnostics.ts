/**
 * Parse problems as people read them: `NAME.md:LINE: what is wrong, what was expected`.
 */
import type { z } from 'zod';
import type { Diagnostic } from './types.ts';

export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.line}: ${d.message}`;
}

/** Thrown by `parseNotebookStrict`: every problem of the file, one per line of the message. */
export class NotebookSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(diagnostics.map((d) => formatDiagnostic(file, d)).join('\n'));
    this.name = 'NotebookSyntaxError';
  }
}

/** A key path as written in YAML: `marks[1].transform.binX`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/**
 * One zod issue as a sentence that says what was expected and what was found. zod's own
 * messages are kept for checks written in this project (they already say "expected ...").
 */
export function issueMessage(issue: z.core.$ZodIssue, input: unknown): string {
  const at = formatPath(issue.path);
  const prefix = at ? `${at}: ` : '';
  const got = describe(valueAt(input, issue.path));
  switch (issue.code) {
    case 'invalid_type':
      return `${prefix}expected ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}, got ${got}`;
    case 'unrecognized_keys': {
      return `${prefix}unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    }
    case 'invalid_value':
      return `${prefix}expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${got}`;
    case 'invalid_union': {
      if ('options' in issue && issue.discriminator) {
        // A discriminated union with an unknown discriminator; the path already ends with it.
        const options = (issue.options ?? []) as unknown[];
        return `${prefix}expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}, got ${got}`;
      }
      return `${prefix}expected ${unionExpectation(issue.errors)}, got ${got}`;
    }
    case 'too_small':
      return issue.origin === 'array'
        ? `${prefix}${issue.message.replace(/^Too small: /, '')}`
        : `${prefix}expected at least ${String(issue.minimum)}, got ${got}`;
    case 'too_big':
      return `${prefix}expected at most ${String(issue.maximum)}, got ${got}`;
    default:
      return `${prefix}${issue.message}`;
  }
}

/** What the alternatives of a union wanted, briefly: "a number or a parameter reference like $x". */
function unionExpectation(errors: readonly (readonly z.core.$ZodIssue[])[]): string {
  const wants = new Set<string>();
  for (const branch of errors) {
    const first = branch[0];
    if (!first) continue;
    if (first.code === 'invalid_type') wants.add(`a ${first.expected}`);
    else if (first.code === 'invalid_format' || first.code === 'custom')
      wants.add(first.message.replace(/^expected /, ''));
    else if (first.code === 'invalid_value')
      wants.add(`one of ${first.values.map((v) => JSON.stringify(v)).join(', ')}`);
    else wants.add(first.message);
  }
  return [...wants].join(' or ') || 'another value';
}
