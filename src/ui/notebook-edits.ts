/**
 * The edits the notebook view makes beyond write.ts's cell edits: new cells with a starting body
 * and a free name, and prose (edited, or added below a cell). Like write.ts, every edit produces
 * new text and parses it again, so line numbers and checks are exactly those of opening the file.
 */
import { declaredParams } from '../notebook/params.ts';
import { parseNotebook } from '../notebook/parse.ts';
import { cellBlocks, type Block, type CellKind, type NotebookDocument } from '../notebook/types.ts';
import { writeNotebook, type NewCell } from '../notebook/write.ts';
import { CELL_KIND_VIEWS } from './cell-kind-views.ts';

/** What "add below" offers: the cell kinds, and prose. */
export type NewBlockKind = CellKind | 'markdown';

export const NEW_BLOCK_KINDS: { kind: NewBlockKind; label: string }[] = [
  ...(Object.keys(CELL_KIND_VIEWS) as CellKind[]).map((kind) => ({ kind, label: CELL_KIND_VIEWS[kind].add.label })),
  { kind: 'markdown', label: 'Text' },
];

/** `stem_N` with the first N no cell or param uses. */
function freeName(doc: NotebookDocument, stem: string): string {
  const taken = new Set([...cellBlocks(doc).map((c) => c.name), ...declaredParams(doc.blocks).keys()]);
  for (let n = 1; ; n++) if (!taken.has(`${stem}_${n}`)) return `${stem}_${n}`;
}

/** The sql cell a new plot or table most likely wants: the nearest one above, else the first. */
function nearestSql(doc: NotebookDocument, afterId: string | undefined): string | undefined {
  const blocks = doc.blocks;
  const at = afterId === undefined ? blocks.length - 1 : blocks.findIndex((b) => blockId(b) === afterId);
  for (let i = at; i >= 0; i--) {
    const b = blocks[i]!;
    if (b.type === 'cell' && b.kind === 'sql') return b.name;
  }
  return cellBlocks(doc).find((c) => c.kind === 'sql')?.name;
}

export function blockId(b: Block): string {
  return b.type === 'cell' ? b.name : b.id;
}

/**
 * A starting cell of `kind` (its view's `add.body`): it runs as it is where it can (a count of
 * alerts, a table of the query above), so the user edits something that works rather than a blank.
 * `columns`: the columns of the sql cell a plot will draw, when its result is known.
 */
export function newCell(
  doc: NotebookDocument,
  kind: CellKind,
  afterId: string | undefined,
  columns: (sqlCell: string) => string[] | undefined,
): NewCell {
  const { add } = CELL_KIND_VIEWS[kind];
  const body = add.body({ source: nearestSql(doc, afterId), columns, freeName: (stem) => freeName(doc, stem) });
  return { kind, name: freeName(doc, add.stem), body };
}

function reparse(doc: NotebookDocument, blocks: Block[]): NotebookDocument {
  return parseNotebook(writeNotebook({ ...doc, blocks }), { file: doc.file });
}

/** A prose block's text as an editor shows it: without the blank lines that separate it. */
export function proseCore(text: string): { lead: string; core: string; trail: string } {
  const lead = /^(?:[ \t]*\n)*/.exec(text)![0];
  const rest = text.slice(lead.length);
  const trail = /(?:\n[ \t]*)*$/.exec(rest)![0];
  const core = rest.slice(0, rest.length - trail.length);
  return { lead, core, trail };
}

/** Replace the text of the prose block `id`, keeping the blank lines around it. */
export function setProse(doc: NotebookDocument, id: string, text: string): NotebookDocument {
  const at = doc.blocks.findIndex((b) => b.type === 'prose' && b.id === id);
  if (at < 0) throw new Error(`no prose block ${id}`);
  const old = proseCore((doc.blocks[at] as Extract<Block, { type: 'prose' }>).text);
  const core = text.replace(/^\n+|\n+$/g, '');
  // The block's final newline lives in `trail`; a block that ended the file without one keeps that.
  const trail = old.trail === '' && at < doc.blocks.length - 1 ? '\n' : old.trail;
  const blocks = [...doc.blocks];
  blocks[at] = { ...(blocks[at] as Extract<Block, { type: 'prose' }>), text: old.lead + core + trail };
  return reparse(doc, blocks);
}

/** Add a paragraph of prose below the block `afterId` (at the end when undefined). */
export function addProse(doc: NotebookDocument, text: string, afterId: string | undefined): NotebookDocument {
  const at = afterId === undefined ? doc.blocks.length : doc.blocks.findIndex((b) => blockId(b) === afterId) + 1;
  if (at === 0 && afterId !== undefined) throw new Error(`no block ${afterId}`);
  const before =
    at === 0
      ? (doc.frontMatter?.raw ?? '')
      : writeNotebook({ ...doc, frontMatter: null, blocks: [doc.blocks[at - 1]!] });
  const lead = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  const blocks = [...doc.blocks];
  blocks.splice(at, 0, {
    type: 'prose',
    id: '',
    line: 0,
    text: `${lead}${text.replace(/\n+$/, '')}\n${at < blocks.length ? '\n' : ''}`,
  });
  return reparse(doc, blocks);
}
