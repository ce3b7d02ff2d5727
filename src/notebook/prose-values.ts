/**
 * What a prose expression (prose-refs.ts) reads from an open notebook: a cell's state as a
 * RefSource, its rows by part. Published results by `cell.part` (a compare cell's `entries`, a
 * quality cell's `coverage`), a sql cell's first rows (its preview) by the cell alone.
 */
import { plainRows } from '../db/values.ts';
import { cellKind, type CellValueOfKind } from './cell-kinds.ts';
import { memoryResultName } from './memory-results.ts';
import { resolveProseRef, type ProseRef, type RefSource, type RefText } from './prose-refs.ts';
import type { CellState } from './runtime.ts';

export function refSourceOf(name: string, state: CellState | undefined): RefSource {
  if (!state || state.kind === 'markdown') return { state: 'missing' };
  if (state.status === 'error') return { state: 'failed' };
  // A run in progress: the value there is the previous run's, which the text must not quote.
  if (state.status !== 'done' || !state.value || state.value.kind === 'markdown') return { state: 'waiting' };
  const value = state.value as CellValueOfKind;
  const kind = cellKind(value.kind);
  if (kind.publishes) {
    const results = kind.publishes.results(value);
    return {
      state: 'done',
      waiting: results.some((r) => r.waiting !== undefined),
      rows: (part) => {
        const r = part === undefined ? undefined : results.find((x) => x.name === memoryResultName(name, part));
        return r ? { columns: r.columns.map((c) => c.name), rows: r.rows } : null;
      },
    };
  }
  if (value.kind === 'sql')
    return {
      state: 'done',
      rows: (part) => (part === undefined ? plainRows(value.preview) : null),
    };
  return { state: 'done', rows: () => null };
}

/**
 * The cells whose writes wait for the user's Confirm (the app's 'on-confirm' writes): a labels
 * cell's import, a quality cell's proxy rule. What they would write is not in the event log or
 * the label columns yet, so the cells that read those lack its rows until then.
 */
export function awaitingConfirmation(cells: readonly CellState[]): string[] {
  return cells
    .filter((c) => {
      if (c.status !== 'done') return false;
      if (c.value?.kind === 'labels') return c.value.pending > 0 && !c.value.appended;
      return c.value?.kind === 'quality' && c.value.proxyRule?.state === 'pending';
    })
    .map((c) => c.id);
}

/**
 * Prose expressions resolved against a notebook's cells, as the app's page and headless reports
 * both show them: each cell by its id (`cell`, or looked up in `cells`), and the pending writes
 * of `cells` read once.
 */
export function proseResolver(
  cells: readonly CellState[],
  cell: (id: string) => CellState | undefined = (id) => cells.find((c) => c.id === id),
): (ref: ProseRef) => RefText {
  const awaiting = awaitingConfirmation(cells);
  return (ref) => resolveProseRef(ref, (name) => refSourceOf(name, cell(name)), awaiting);
}
