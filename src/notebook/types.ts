/**
 * The notebook document: what a notebook file holds once parsed, kept close enough to the text
 * that writing it back gives the same bytes.
 *
 * A file is an optional front-matter block, then a sequence of blocks that together cover every
 * byte of the rest of the file: prose (plain Markdown, kept verbatim) and cells (fenced blocks
 * whose info string is `KIND NAME`). Each cell keeps its raw fence lines and body, so an unedited
 * cell is written back exactly as it was read.
 */
import type { FrontMatter } from './front-matter.ts';
import type { CellKind, CellSpec } from './cell-kinds.ts';

/** Kinds of fenced cell (the registry, cell-kinds.ts, lists them). */
export type { CellKind } from './cell-kinds.ts';

/** One problem found while parsing, at a 1-based line of the file. */
export interface Diagnostic {
  line: number;
  message: string;
  /** The cell the problem is in, if any: such a cell cannot run, the rest of the notebook can. */
  cell?: string;
}

export interface FrontMatterBlock {
  /** The exact text, from the opening `---` line through the closing one (with its newline). */
  raw: string;
  /** The parsed fields, or null when they did not validate (see the document's diagnostics). */
  data: FrontMatter | null;
}

export interface ProseBlock {
  type: 'prose';
  /** `md-1`, `md-2`, ... in document order: prose has no name of its own. */
  id: string;
  text: string;
  /** 1-based line of the block's first line. */
  line: number;
}

export interface CellBlock<K extends CellKind = CellKind> {
  type: 'cell';
  kind: K;
  name: string;
  /** The opening fence line as written, newline included (```` ```sql by_severity\n ````). */
  open: string;
  /** Everything between the fences, each line with its newline. */
  body: string;
  /** The closing fence line as written (with its newline, or without one at the end of a file). */
  close: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The validated body, or null when it has problems (listed in the document's diagnostics). */
  spec: Extract<CellSpec, { kind: K }> | null;
}

export type Block = ProseBlock | CellBlock;

export interface NotebookDocument {
  /** The file name used in messages (`01-tour-of-a-snapshot.md`). */
  file: string;
  frontMatter: FrontMatterBlock | null;
  blocks: Block[];
  diagnostics: Diagnostic[];
}

export function cellBlocks(doc: NotebookDocument): CellBlock[] {
  return doc.blocks.filter((b): b is CellBlock => b.type === 'cell');
}
