/**
 * NotebookDocument → text, and the edits the app makes to a document.
 *
 * Writing concatenates the blocks as they were read, so open → save gives back the same bytes.
 * Only what an edit touches is produced anew: an edited cell keeps its fence lines (unless the
 * new body holds a line that would close them early, then a longer fence is chosen), a new cell
 * gets a plain ```` ```KIND NAME ```` fence, and blank lines keep cells apart.
 */
import { parseCellBody } from './cell-body.ts';
import { parseNotebook } from './parse.ts';
import type { Block, CellBlock, CellKind, NotebookDocument } from './types.ts';

export function writeNotebook(doc: NotebookDocument): string {
  return (doc.frontMatter?.raw ?? '') + doc.blocks.map(blockText).join('');
}

function blockText(b: Block): string {
  return b.type === 'prose' ? b.text : b.open + b.body + b.close;
}

/**
 * Edits return new text rather than mutating a document: the text is the source of truth, and
 * re-parsing it renumbers lines and re-checks names exactly as opening the file would.
 */
function reparse(doc: NotebookDocument, blocks: Block[]): NotebookDocument {
  return parseNotebook(writeNotebook({ ...doc, blocks }), { file: doc.file });
}

function findCell(doc: NotebookDocument, name: string): number {
  const i = doc.blocks.findIndex((b) => b.type === 'cell' && b.name === name);
  if (i < 0) throw new Error(`no cell named ${name}`);
  return i;
}

/** The body with a final newline, as every body line has one between the fences. */
function normaliseBody(body: string): string {
  return body === '' || body.endsWith('\n') ? body : body + '\n';
}

/** A fence that no line of `body` can close: one character longer than any fence-like line in it. */
function fenceFor(body: string, current = '```'): string {
  const char = current[0] === '~' ? '~' : '`';
  let longest = 0;
  for (const m of body.matchAll(new RegExp(`^ {0,3}(\\${char}{3,})`, 'gm'))) longest = Math.max(longest, m[1]!.length);
  return longest >= current.length ? char.repeat(longest + 1) : current;
}

/** Replace a cell's body (the text between its fences). */
export function setCellBody(doc: NotebookDocument, name: string, body: string): NotebookDocument {
  const i = findCell(doc, name);
  const cell = doc.blocks[i] as CellBlock;
  const next = normaliseBody(body);
  if (next === cell.body) return doc;
  const marker = /^ {0,3}(`{3,}|~{3,})/.exec(cell.open)![1]!;
  const fence = fenceFor(next, marker);
  const blocks = [...doc.blocks];
  blocks[i] = fence === marker ? { ...cell, body: next } : { ...cell, open: `${fence}${cell.kind} ${cell.name}\n`, body: next, close: `${fence}\n` };
  return reparse(doc, blocks);
}

export interface NewCell {
  kind: CellKind;
  name: string;
  body: string;
}

/** Insert a cell after the block with `afterId` (a cell name or a prose id), or at the end. */
export function insertCell(doc: NotebookDocument, cell: NewCell, afterId?: string): NotebookDocument {
  const at = afterId === undefined ? doc.blocks.length : doc.blocks.findIndex((b) => (b.type === 'cell' ? b.name : b.id) === afterId) + 1;
  if (at === 0 && afterId !== undefined) throw new Error(`no block ${afterId}`);
  const body = normaliseBody(cell.body);
  const fence = fenceFor(body);
  const check = parseCellBody(cell.kind, cell.name, body, 0);
  const block: CellBlock = { type: 'cell', kind: cell.kind, name: cell.name, open: `${fence}${cell.kind} ${cell.name}\n`, body, close: `${fence}\n`, line: 0, spec: check.spec as CellBlock['spec'] };
  const before = at === 0 ? (doc.frontMatter?.raw ?? '') : blockText(doc.blocks[at - 1]!);
  const blocks = [...doc.blocks];
  const inserted: Block[] = [];
  // A blank line before and after, so the cell reads apart from its neighbours.
  if (before !== '' && !before.endsWith('\n\n')) inserted.push(prose(before.endsWith('\n') ? '\n' : '\n\n'));
  inserted.push(block);
  if (at < blocks.length) inserted.push(prose('\n'));
  blocks.splice(at, 0, ...inserted);
  return reparse(doc, blocks);
}

/** Remove a cell (the prose around it stays as written). */
export function removeCell(doc: NotebookDocument, name: string): NotebookDocument {
  const blocks = [...doc.blocks];
  blocks.splice(findCell(doc, name), 1);
  return reparse(doc, blocks);
}

function prose(text: string): Block {
  return { type: 'prose', id: '', text, line: 0 };
}
