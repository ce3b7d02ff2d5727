/**
 * One table: its size, its columns (name and DuckDB type) and its first rows in a grid.
 */
import type { Lab, TableSummary } from '../sot/lab.ts';
import { formatCount, h, plural, replaceChildren } from './dom.ts';
import { renderGrid } from './data-grid.ts';

/** Enough rows to see what the data looks like; the grid is for reading, not for analysis. */
const PREVIEW_ROWS = 100;

export const NOTHING_LOADED = 'Nothing loaded yet. Add files, or drop a snapshot folder anywhere on the window.';

export class TableView {
  readonly element = h('section', { class: 'table-view', 'aria-live': 'polite' });
  /** Which `show` call is current: a slow preview must not overwrite a newer selection. */
  private generation = 0;

  constructor(private readonly lab: Lab) {
    this.clear(NOTHING_LOADED);
  }

  /** Nothing selected: say why, and what to do. */
  clear(message = 'Choose a table on the left to see its columns and first rows.'): void {
    this.generation++;
    replaceChildren(this.element, h('div', { class: 'empty-state' }, h('p', {}, message)));
  }

  async show(table: TableSummary): Promise<void> {
    const generation = ++this.generation;
    const preview = h('div', { class: 'preview-body' }, h('p', { class: 'muted' }, 'Reading rows…'));
    const shown = Math.min(PREVIEW_ROWS, table.rows);
    replaceChildren(
      this.element,
      h(
        'header',
        { class: 'table-header' },
        h('h2', { class: 'table-title' }, table.name),
        h(
          'p',
          { class: 'table-facts' },
          h('span', { 'data-fact': 'rows' }, plural(table.rows, 'row')),
          h('span', { 'data-fact': 'columns' }, plural(table.columns.length, 'column')),
          table.files > 0 ? h('span', { 'data-fact': 'files' }, `from ${plural(table.files, 'file')}`) : null,
        ),
      ),
      h(
        'div',
        { class: 'table-panes' },
        h(
          'section',
          { class: 'pane columns-pane', 'aria-label': 'Columns' },
          h('h3', { class: 'pane-title' }, 'Columns'),
          renderColumns(table),
        ),
        h(
          'section',
          { class: 'pane preview-pane', 'aria-label': 'First rows' },
          h(
            'h3',
            { class: 'pane-title' },
            table.rows > shown
              ? `First ${formatCount(shown)} of ${formatCount(table.rows)} rows`
              : plural(table.rows, 'row'),
          ),
          preview,
        ),
      ),
    );
    try {
      const rows = await this.lab.preview(table.name, PREVIEW_ROWS);
      if (generation !== this.generation) return;
      replaceChildren(preview, rows.numRows > 0 ? renderGrid(rows) : h('p', { class: 'muted' }, 'The table is empty.'));
    } catch (err) {
      if (generation !== this.generation) return;
      replaceChildren(
        preview,
        h('p', { class: 'inline-error' }, `The rows could not be read: ${(err as Error).message}`),
      );
    }
  }
}

function renderColumns(table: TableSummary): HTMLElement {
  return h(
    'div',
    { class: 'columns-scroll' },
    h(
      'table',
      { class: 'columns-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Type'))),
      h(
        'tbody',
        {},
        ...table.columns.map((c) =>
          h(
            'tr',
            {},
            h('td', { class: 'col-name', title: c.name }, c.name),
            h('td', { class: 'col-type', title: c.type }, c.type),
          ),
        ),
      ),
    ),
  );
}
