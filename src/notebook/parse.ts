/**
 * Notebook text → NotebookDocument, never running anything: the parser only splits the text
 * into front matter, prose and fenced cells and validates each cell's body.
 *
 * A fence whose info string starts with a cell kind (```` ```sql by_severity ````) is a cell;
 * any other fenced block (```` ```text ````, ```` ```bash ````) is prose and is kept as written.
 * Fences follow CommonMark: three or more backticks or tildes, indented at most three spaces,
 * closed by a line of at least as many of the same character.
 *
 * Problems never stop the parse: they are collected as diagnostics with their line, and a cell
 * with a problem in its body is kept (with `spec: null`) so the rest of the notebook can run.
 */
import { CONTRACTS } from '../sot/contracts.ts';
import { parseCellBody } from './cell-body.ts';
import { NAME_PATTERN } from './cell-schemas.ts';
import { NotebookSyntaxError } from './diagnostics.ts';
import { splitFrontMatter } from './front-matter.ts';
import { isCellKind } from './cell-kinds.ts';
import type { Block, CellBlock, CellKind, Diagnostic, NotebookDocument } from './types.ts';

const OPEN_FENCE = /^( {0,3})(`{3,}|~{3,})([^\r]*)\r?$/;

/** Names a sql cell may not take: its result table would hide the SOT table or view. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...CONTRACTS.flatMap((c) => [c.name, c.raw]),
  'label_events',
  'effective_labels',
]);

export interface ParseOptions {
  /** The file name used in messages. */
  file?: string;
}

export function parseNotebook(text: string, opts: ParseOptions = {}): NotebookDocument {
  const file = opts.file ?? 'notebook.md';
  const fm = splitFrontMatter(text);
  const diagnostics: Diagnostic[] = [...fm.diagnostics];
  const blocks: Block[] = [];
  let proseCount = 0;

  // Lines of the rest of the file, each with its newline (the last may have none).
  const rest = text.slice(fm.rest);
  const lines = rest.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let prose = '';
  let proseLine = fm.restLine;
  const flushProse = (nextLine: number) => {
    if (prose !== '') blocks.push({ type: 'prose', id: `md-${++proseCount}`, text: prose, line: proseLine });
    prose = '';
    proseLine = nextLine;
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const lineNo = fm.restLine + i;
    const open = OPEN_FENCE.exec(line.replace(/\n$/, ''));
    if (!open || (open[2]![0] === '`' && open[3]!.includes('`'))) {
      prose += line;
      i++;
      continue;
    }
    const [, , marker, info] = open as unknown as [string, string, string, string];
    const closeAt = findClose(lines, i + 1, marker);
    const words = info.trim().split(/\s+/).filter(Boolean);
    const kind = words[0] ?? '';

    if (!isCellKind(kind)) {
      // Some other fenced block: prose, up to and including its closing fence.
      const end = closeAt < 0 ? lines.length : closeAt + 1;
      prose += lines.slice(i, end).join('');
      i = end;
      continue;
    }

    const problem = cellHeaderProblem(kind, words, marker);
    if (problem || closeAt < 0) {
      diagnostics.push({
        line: lineNo,
        message:
          problem ??
          `${kind} cell ${words[1]}: this ${marker} fence is never closed: expected a closing ${marker} line`,
      });
      const end = closeAt < 0 ? lines.length : closeAt + 1;
      prose += lines.slice(i, end).join('');
      i = end;
      continue;
    }

    flushProse(lineNo);
    const name = words[1]!;
    const body = lines.slice(i + 1, closeAt).join('');
    const parsed = parseCellBody(kind, name, body, lineNo + 1);
    diagnostics.push(...parsed.diagnostics);
    blocks.push({
      type: 'cell',
      kind,
      name,
      open: line,
      body,
      close: lines[closeAt]!,
      line: lineNo,
      spec: parsed.spec,
    } as CellBlock);
    i = closeAt + 1;
    proseLine = fm.restLine + i;
  }
  flushProse(fm.restLine + lines.length);

  diagnostics.push(...nameProblems(blocks));
  diagnostics.sort((a, b) => a.line - b.line);
  return { file, frontMatter: fm.block, blocks, diagnostics };
}

/** Like parseNotebook, but any problem is an error: for the CLI and the shipped-notebook tests. */
export function parseNotebookStrict(text: string, opts: ParseOptions = {}): NotebookDocument {
  const doc = parseNotebook(text, opts);
  if (doc.diagnostics.length > 0) throw new NotebookSyntaxError(doc.file, doc.diagnostics);
  return doc;
}

function findClose(lines: string[], from: number, marker: string): number {
  const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*\\r?\\n?$`);
  for (let j = from; j < lines.length; j++) if (close.test(lines[j]!)) return j;
  return -1;
}

function cellHeaderProblem(kind: CellKind, words: string[], marker: string): string | undefined {
  const example = `${marker}${kind} ${kind === 'params' ? 'filters' : kind === 'sql' ? 'by_severity' : `${kind}_by_severity`}`;
  if (words.length < 2) {
    return `a ${kind} cell needs a name: expected ${example} (to show ${kind} as text in prose, use ${marker}text)`;
  }
  const name = words[1]!;
  if (!NAME_PATTERN.test(name)) {
    return `${kind} cell '${name}': expected a lowercase name of letters, digits and _ starting with a letter, like ${example}`;
  }
  if (words.length > 2)
    return `${kind} cell ${name}: expected nothing after the name, got '${words.slice(2).join(' ')}'`;
  if (kind === 'sql' && RESERVED_NAMES.has(name)) {
    return `sql cell ${name}: the name is taken by the SOT table or view ${name}: expected another name`;
  }
  return undefined;
}

/** Every cell and param name must be unique: they are the names the cells refer to. */
function nameProblems(blocks: Block[]): Diagnostic[] {
  const seen = new Map<string, string>();
  const out: Diagnostic[] = [];
  const claim = (name: string, what: string, line: number, cell: string) => {
    const first = seen.get(name);
    if (first)
      out.push({
        line,
        cell,
        message: `${what}: the name ${name} is already used by ${first}: expected a unique name`,
      });
    else seen.set(name, `${what} at line ${line}`);
  };
  for (const b of blocks) {
    if (b.type !== 'cell') continue;
    claim(b.name, `${b.kind} cell ${b.name}`, b.line, b.name);
    if (b.spec?.kind === 'params') for (const p of b.spec.params) claim(p.name, `param ${p.name}`, b.line, b.name);
  }
  return out;
}
