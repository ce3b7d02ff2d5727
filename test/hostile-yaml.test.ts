/**
 * The YAML limits (src/util/yaml.ts) refuse only hostile text: every fenced block of the shipped
 * notebooks and the YAML the project writes itself read exactly as the yaml library reads them,
 * and the nesting estimate stays far below the limit (block scalars holding brackets included).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MAX_YAML_DEPTH, nestingDepth, parseDocument, parseYaml } from '../src/util/yaml.ts';

const notebooks = readdirSync('notebooks').filter((f) => f.endsWith('.md'));
const blocks = notebooks.flatMap((f) =>
  [...readFileSync(join('notebooks', f), 'utf8').matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => ({
    file: f,
    text: m[1]!,
  })),
);

describe('ordinary YAML is read as the library reads it', () => {
  it('finds the notebooks’ fenced blocks', () => {
    expect(blocks.length).toBeGreaterThan(10);
  });

  it('every fenced block of the shipped notebooks', () => {
    for (const { file, text } of blocks) {
      let expected: unknown;
      try {
        expected = parse(text);
      } catch {
        continue; // SQL and prose fences are not YAML; the limits only matter for YAML
      }
      expect(nestingDepth(text), file).toBeLessThan(20);
      expect(parseDocument(text).errors, file).toEqual([]);
      expect(parseYaml(text), file).toEqual(expected);
    }
  });

  it('block scalars, quotes and comments with brackets do not count as nesting', () => {
    const text = [
      'title: "a [quoted [bracket"',
      "note: 'and {another'",
      'sql: |',
      '  SELECT [[[[1]]]] AS x -- [[[[',
      '    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
      'folded: >-',
      '  {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{',
      '# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
      'list:',
      '  - a: [1, 2, {b: 3}]',
      '  - - - deep',
    ].join('\n');
    expect(nestingDepth(text)).toBeLessThan(10);
    expect(parseYaml(text)).toEqual(parse(text));
  });

  it('refuses just past the limit, accepts at it', () => {
    const flow = (n: number) => `x: ${'['.repeat(n)}${']'.repeat(n)}`;
    expect(parseDocument(flow(MAX_YAML_DEPTH - 2)).errors).toEqual([]);
    expect(parseDocument(flow(MAX_YAML_DEPTH + 1)).errors.map((e) => e.message)).toEqual([
      `it nests more than ${MAX_YAML_DEPTH} levels deep`,
    ]);
  });
});
