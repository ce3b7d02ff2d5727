/**
 * NotebookDocument → text, and the edits the app makes to a document.
 *
 * Writing concatenates the blocks as they were read, so open → save gives back the same bytes.
 * Only what an edit touches is produced anew: an edited cell keeps its fence lines (unless the
 * new body holds a line that would close them early, then a longer fence is chosen), a new cell
 * gets a plain ```` ```KIND NAME ```` fence, and blank lines keep cells apart (a moved cell leaves
 * them where they were).
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
  blocks[i] =
    fence === marker
      ? { ...cell, body: next }
      : { ...cell, open: `${fence}${cell.kind} ${cell.name}\n`, body: next, close: `${fence}\n` };
  return reparse(doc, blocks);
}

export interface NewCell {
  kind: CellKind;
  name: string;
  body: string;
}

/** Insert a cell after the block with `afterId` (a cell name or a prose id), or at the end. */
export function insertCell(doc: NotebookDocument, cell: NewCell, afterId?: string): NotebookDocument {
  const at =
    afterId === undefined
      ? doc.blocks.length
      : doc.blocks.findIndex((b) => (b.type === 'cell' ? b.name : b.id) === afterId) + 1;
  if (at === 0 && afterId !== undefined) throw new Error(`no block ${afterId}`);
  const body = normaliseBody(cell.body);
  const fence = fenceFor(body);
  const check = parseCellBody(cell.kind, cell.name, body, 0);
  const block: CellBlock = {
    type: 'cell',
    kind: cell.kind,
    name: cell.name,
    open: `${fence}${cell.kind} ${cell.name}\n`,
    body,
    close: `${fence}\n`,
    line: 0,
    spec: check.spec as CellBlock['spec'],
  };
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

/**
 * Move a cell past its neighbour above (-1) or below (+1): the nearest cell, or the prose between
 * two cells (one unit, as the app shows it). Blank lines stay where they were, so a move and its
 * reverse give back the same bytes. At either end of the notebook nothing changes.
 */
export function moveCell(doc: NotebookDocument, name: string, direction: -1 | 1): NotebookDocument {
  findCell(doc, name);
  // The notebook as units (cells, prose without its blank lines at either end) and the blank
  // lines between them: gaps[i] comes before units[i], the last gap ends the file.
  const units: string[] = [];
  const gaps: string[] = [''];
  let at = -1;
  for (const b of doc.blocks) {
    if (b.type === 'cell') {
      if (b.name === name && at < 0) at = units.length;
      units.push(blockText(b));
      gaps.push('');
      continue;
    }
    const lines = b.text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
    const blank = (l: string) => l.trim() === '';
    let first = 0;
    while (first < lines.length && blank(lines[first]!)) first++;
    let last = lines.length;
    while (last > first && blank(lines[last - 1]!)) last--;
    gaps[gaps.length - 1] += lines.slice(0, first).join('');
    if (first === last) continue;
    units.push(lines.slice(first, last).join(''));
    gaps.push(lines.slice(last).join(''));
  }
  const to = at + direction;
  if (to < 0 || to >= units.length) return doc;
  [units[at], units[to]] = [units[to]!, units[at]!];
  // Only the file's last unit may end without a newline; one that moves up needs it back.
  for (let i = 0; i < units.length - 1; i++) if (!units[i]!.endsWith('\n')) units[i] += '\n';
  const text = (doc.frontMatter?.raw ?? '') + units.map((u, i) => gaps[i] + u).join('') + gaps[units.length];
  return parseNotebook(text, { file: doc.file });
}

function prose(text: string): Block {
  return { type: 'prose', id: '', text, line: 0 };
}
