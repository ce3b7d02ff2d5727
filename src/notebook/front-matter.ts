/**
 * The front matter: a YAML block between `---` lines at the very top of the file, holding the
 * title and the data a notebook loads by default.
 */
import { z } from 'zod';
import type { Diagnostic, FrontMatterBlock } from './types.ts';
import { parseYamlBody } from './yaml-body.ts';

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min)?\s*$/;

export const FrontMatter = z.strictObject({
  title: z.string().min(1),
  /**
   * Default data to load: a path relative to the repository (`sample-data`), or a list of them.
   * `lab run --data` overrides it.
   */
  data: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  description: z.string().optional(),
  /**
   * How long one query of a cell may run before it is stopped: seconds (`30`), or `30s`,
   * `500ms`, `2min`. `lab run --query-timeout` overrides it; without either, DEFAULT_QUERY_TIMEOUT_MS.
   */
  query_timeout: z
    .union([
      z.number().positive(),
      z.string().regex(DURATION, 'expected seconds, or a duration like 30s, 500ms or 2min'),
    ])
    .optional(),
});
export type FrontMatter = z.infer<typeof FrontMatter>;

/** How long a notebook cell's query may run when neither the notebook nor the CLI says. */
export const DEFAULT_QUERY_TIMEOUT_MS = 60_000;

/** Milliseconds of a duration: seconds as a number, or text like `30`, `30s`, `500ms`, `2min`. */
export function durationMs(value: number | string): number | undefined {
  if (typeof value === 'number') return value > 0 && Number.isFinite(value) ? value * 1000 : undefined;
  const m = DURATION.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const ms = n * (m[2] === 'ms' ? 1 : m[2] === 'min' ? 60_000 : 1000);
  return ms > 0 ? ms : undefined;
}

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
