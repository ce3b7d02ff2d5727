/**
 * YAML text validated by a zod schema, with every problem placed on its line of the file.
 *
 * The YAML is parsed as a Document (not just to a value) so that a zod issue's key path can be
 * traced back to the node it came from, and the node's offset to a line.
 */
import { isNode, parseDocument, type Document } from '../util/yaml.ts';
import type { z } from 'zod';
import { issueMessage } from './diagnostics.ts';
import type { Diagnostic } from './types.ts';

export type YamlResult<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

/** 1-based line (within `text`) of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Parse `text` (which starts at line `firstLine` of the file) and validate it.
 * `what` names the thing for messages ("plot cell by_severity").
 */
export function parseYamlBody<S extends z.ZodType>(
  text: string,
  schema: S,
  firstLine: number,
  what: string,
): YamlResult<z.output<S>> {
  const at = (line: number) => firstLine + line - 1;
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((e) => ({
        line: at(e.linePos?.[0].line ?? 1),
        message: `${what}: invalid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    };
  }
  const value: unknown = doc.toJS();
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    diagnostics: parsed.error.issues.map((issue) => ({
      // An unknown key is reported on its own line, not on the mapping that holds it.
      line: at(
        lineOfPath(doc, text, issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path),
      ),
      message: `${what}: ${issueMessage(issue, value)}`,
    })),
  };
}

/** The line of the deepest node on `path` that exists (a missing key is reported on its parent). */
function lineOfPath(doc: Document, text: string, path: readonly PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return lineOfOffset(text, node.range[0]);
  }
  return 1;
}
