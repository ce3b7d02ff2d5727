/**
 * The front matter: a YAML block between `---` lines at the very top of the file, holding the
 * title and the data a notebook loads by default.
 */
import { z } from 'zod';
import type { Diagnostic, FrontMatterBlock } from './types.ts';
import { parseYamlBody } from './yaml-body.ts';

export const FrontMatter = z.strictObject({
  title: z.string().min(1),
  /**
   * Default data to load: a path relative to the repository (`sample-data`), or a list of them.
   * `lab run --data` overrides it.
   */
  data: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  description: z.string().optional(),
});
export type FrontMatter = z.infer<typeof FrontMatter>;

export interface FrontMatterSplit {
  block: FrontMatterBlock | null;
  /** Offset and line where the rest of the file starts. */
  rest: number;
  restLine: number;
  diagnostics: Diagnostic[];
}

const FENCE = /^---[ \t]*\r?$/;

/** Split the front matter off `text`; a file without a leading `---` line has none. */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const lines = text.split('\n');
  if (!FENCE.test(lines[0] ?? '')) return { block: null, rest: 0, restLine: 1, diagnostics: [] };
  let offset = lines[0]!.length + 1;
  for (let i = 1; i < lines.length; i++) {
    if (FENCE.test(lines[i]!)) {
      const end = Math.min(text.length, offset + lines[i]!.length + 1);
      const yaml = text.slice(lines[0]!.length + 1, offset);
      const parsed = parseYamlBody(yaml, FrontMatter, 2, 'front matter');
      return {
        block: { raw: text.slice(0, end), data: parsed.ok ? parsed.value : null },
        rest: end,
        restLine: i + 2,
        diagnostics: parsed.ok ? [] : parsed.diagnostics,
      };
    }
    offset += lines[i]!.length + 1;
  }
  return {
    block: null,
    rest: 0,
    restLine: 1,
    diagnostics: [
      { line: 1, message: 'front matter: this --- is never closed: expected a --- line after the title and data' },
    ],
  };
}
