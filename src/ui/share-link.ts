/**
 * The address of an open notebook and its parameter values, in the URL's hash:
 * `#nb=01-tour-of-a-snapshot&p.typology=PEEL_CHAIN&p.bins=20`.
 *
 * The hash follows the open notebook as it changes, so a reload reopens it with the same values,
 * and "Copy link" hands the same state to someone else. Values are written as text, the way
 * `lab run --set` takes them, and read back through the notebook's own param checks: a link can
 * only ever set a value the notebook's inputs could have set.
 */
import type { NotebookDocument } from '../notebook/types.ts';
import { declaredParams, paramValueFromText, type ParamValue } from '../notebook/params.ts';

/** A shipped notebook by its name, or one of the user's by its id (`nb=my/ID`). */
export type NotebookRef = { kind: 'shipped'; name: string } | { kind: 'mine'; id: string };

export interface NotebookLink {
  ref: NotebookRef;
  /** Param values as text, by param name. */
  params: Map<string, string>;
}

const MINE = 'my/';

export function refKey(ref: NotebookRef): string {
  return ref.kind === 'shipped' ? ref.name : MINE + ref.id;
}

export function sameRef(a: NotebookRef | null | undefined, b: NotebookRef | null | undefined): boolean {
  return !!a && !!b && refKey(a) === refKey(b);
}

/** The link in a URL hash, or null when the hash names no notebook. */
export function parseLink(hash: string): NotebookLink | null {
  const query = new URLSearchParams(hash.replace(/^#/, ''));
  const nb = query.get('nb');
  if (!nb) return null;
  const ref: NotebookRef = nb.startsWith(MINE)
    ? { kind: 'mine', id: nb.slice(MINE.length) }
    : { kind: 'shipped', name: nb };
  const params = new Map<string, string>();
  for (const [key, value] of query) if (key.startsWith('p.')) params.set(key.slice(2), value);
  return { ref, params };
}

function valueText(value: ParamValue): string {
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

/** `#nb=...&p.name=value...` for a notebook and its current param values. */
export function formatLink(ref: NotebookRef, params: Record<string, ParamValue>): string {
  const query = new URLSearchParams({ nb: refKey(ref) });
  for (const [name, value] of Object.entries(params)) query.append(`p.${name}`, valueText(value));
  return '#' + query.toString();
}

/**
 * The values a link sets, checked against the notebook: values it accepts, and one sentence for
 * each it does not (an unknown param, a value out of range), to show rather than to fail on.
 */
export function linkParams(
  doc: NotebookDocument,
  params: ReadonlyMap<string, string>,
): { values: Record<string, ParamValue>; problems: string[] } {
  const specs = declaredParams(doc.blocks);
  const values: Record<string, ParamValue> = {};
  const problems: string[] = [];
  for (const [name, text] of params) {
    const spec = specs.get(name);
    if (!spec) {
      problems.push(`The link sets ${name}, which this notebook has no input for.`);
      continue;
    }
    try {
      values[name] = paramValueFromText(spec, text);
    } catch (err) {
      problems.push(`The link's value for ${(err as Error).message}; the notebook's own value is used.`);
    }
  }
  return { values, problems };
}
