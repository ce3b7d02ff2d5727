/**
 * The one way YAML is read (notebook cell bodies, proxy and training configs, label mappings,
 * the validator's config): the `yaml` library behind two limits that make hostile text a plain
 * error instead of a crash.
 *
 * - Nesting: the library recurses per level and fails near 800 levels with "Maximum call stack
 *   size exceeded", and later code (toJS, zod) recurses too. Text nested deeper than
 *   MAX_YAML_DEPTH is refused before it is parsed.
 * - Aliases: a "YAML bomb" (anchors whose aliases repeat each other) expands exponentially; the
 *   library's maxAliasCount stops it with a ReferenceError that read like an internal fault and,
 *   thrown from toJS, escaped the callers that only look at parse errors.
 *
 * Callers name the file: messages here say what is wrong with the text.
 */
import {
  Document,
  isNode,
  parseDocument as yamlParseDocument,
  stringify,
  YAMLParseError,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';

export { Document, isNode, stringify as stringifyYaml };

/** Far beyond any configuration or cell body (they nest 3 to 6 levels), far below the library's limit. */
export const MAX_YAML_DEPTH = 100;
/** Alias uses allowed while building values (the library's own default, now explicit). */
export const MAX_YAML_ALIASES = 100;

export class YamlLimitError extends Error {}

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/** Parse to a plain value, as `yaml`'s `parse`; throws an Error saying what is wrong. */
export function parseYaml(text: string, options: Options = {}): unknown {
  const doc = parseDocument(text, options);
  if (doc.errors.length > 0) throw doc.errors[0]!;
  return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
}

/**
 * Parse to a Document, as `yaml`'s `parseDocument`, except that text over the limits comes back
 * as a Document whose `errors` say so (callers already report parse errors), and that building
 * its value (`toJS`) is checked here once, so it cannot throw later.
 */
export function parseDocument(text: string, options: Options = {}): ReturnType<typeof yamlParseDocument> {
  const refuse = (message: string) => {
    const doc = new Document(null) as ReturnType<typeof yamlParseDocument>;
    doc.errors.push(new YAMLParseError([0, Math.min(1, text.length)], 'IMPOSSIBLE', message));
    return doc;
  };
  const depth = nestingDepth(text, MAX_YAML_DEPTH);
  if (depth > MAX_YAML_DEPTH) return refuse(`it nests more than ${MAX_YAML_DEPTH} levels deep`);
  const doc = yamlParseDocument(text, options);
  for (const e of doc.errors) {
    if (/Maximum call stack size exceeded/.test(e.message)) return refuse('it nests too deeply to be read');
  }
  if (doc.errors.length > 0) return doc;
  try {
    doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      return refuse(
        `its aliases (*name) expand to too many values (more than ${MAX_YAML_ALIASES} uses): a "YAML bomb" is refused`,
      );
    }
    if (e instanceof RangeError) return refuse('it nests too deeply to be read');
    throw e;
  }
  return doc;
}

/**
 * An upper estimate of how deep `text` nests, stopping once past `limit`: flow brackets outside
 * quotes and comments, plus block levels (each deeper indentation opens one, "- " items count
 * as the level they open).
 */
export function nestingDepth(text: string, limit = Infinity): number {
  let max = 0;
  let flow = 0;
  const indents: number[] = [];
  // Inside a block scalar (`key: |`), lines indented past its parent are text, not structure.
  let scalarParent = -1;
  for (const line of text.split('\n')) {
    const body = line.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    const lineIndent = line.length - body.length;
    if (scalarParent >= 0) {
      if (lineIndent > scalarParent) continue;
      scalarParent = -1;
    }
    if (flow === 0 && /(^|[\s:-])[|>][-+0-9]*\s*(#.*)?$/.test(body)) scalarParent = lineIndent;
    if (flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! >= lineIndent) indents.pop();
      indents.push(lineIndent);
      // "- - - x" nests a level per dash on one line.
      let extra = lineIndent;
      for (
        let rest = body.slice(1);
        /^-(\s|$)/.test(body) && /^\s+-(\s|$)/.test(rest);
        rest = rest.trimStart().slice(1)
      )
        indents.push(++extra);
    }
    let quote: string | null = null;
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (quote) {
        if (c === quote) quote = null;
        else if (c === '\\' && quote === '"') i++;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(body[i - 1]!))) break;
      else if (c === '[' || c === '{') {
        flow++;
        max = Math.max(max, indents.length + flow);
        if (max > limit) return max;
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
    max = Math.max(max, indents.length + flow);
    if (max > limit) return max;
  }
  return max;
}
