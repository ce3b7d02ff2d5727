/**
 * Which table cells show a sql cell's result: a sql cell followed by a table cell that reads it
 * would show the same rows twice, so the app collapses the sql cell's own rows to a one-line
 * summary naming the table cell (notebooks 01 and 05 pair every query with its table).
 */
import { cellBlocks, type NotebookDocument } from './types.ts';

/** The table cells after sql cell `name` in the file whose `data` is its result, in file order. */
export function tablesShowing(doc: NotebookDocument, name: string): string[] {
  const blocks = cellBlocks(doc);
  const at = blocks.findIndex((b) => b.kind === 'sql' && b.name === name);
  if (at < 0) return [];
  return blocks
    .slice(at + 1)
    .filter((b) => b.kind === 'table' && b.spec?.kind === 'table' && b.spec.table.data === name)
    .map((b) => b.name);
}
