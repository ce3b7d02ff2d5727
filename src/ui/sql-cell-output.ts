/**
 * A sql cell in the app: how many rows and columns its result has, and the first rows.
 *
 * Results are already small when they get here: a sql cell's value holds its first 50 rows (the
 * rest stays in DuckDB) and a table cell at most 1,000, so no result builds DOM for more rows
 * than that whatever the query returned; the count says how many there are.
 *
 * A result that a table cell below shows (tablesShowing) is not shown twice: the sql cell says
 * how many rows it has and which cell shows them, and its own rows open on request.
 */
import type { SqlResult } from '../notebook/cells/sql.ts';
import type { CellKindView } from './cell-kind-view.ts';
import { renderGrid } from './data-grid.ts';
import { formatCount, h, plural } from './dom.ts';

/** A sql cell's result: how many rows and columns, and the first rows. */
export function renderSqlResult(value: SqlResult): HTMLElement {
  const shown = value.preview.numRows;
  return h(
    'div',
    { class: 'nb-result', 'data-row-count': value.rowCount },
    h(
      'p',
      { class: 'nb-result-facts' },
      h('span', { 'data-fact': 'rows' }, plural(value.rowCount, 'row')),
      h('span', {}, plural(value.columns.length, 'column')),
      value.rowCount > shown ? h('span', { class: 'muted' }, `showing the first ${formatCount(shown)}`) : null,
    ),
    shown > 0 ? renderGrid(value.preview) : h('p', { class: 'muted nb-empty' }, 'No rows.'),
  );
}

/** The one-line summary of a result a table cell shows, with its rows behind a toggle. */
export function renderShownElsewhere(value: SqlResult, tables: string[]): HTMLElement {
  const shown = value.preview.numRows;
  const grid = h('div', { class: 'nb-result-rows', hidden: true });
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'link-button',
      'aria-expanded': 'false',
      'data-action': 'show-rows',
      onclick: () => {
        grid.hidden = !grid.hidden;
        if (!grid.hidden && !grid.firstChild)
          grid.append(shown > 0 ? renderGrid(value.preview) : h('p', { class: 'muted nb-empty' }, 'No rows.'));
        toggle.setAttribute('aria-expanded', String(!grid.hidden));
        toggle.textContent = grid.hidden ? 'show them here too' : 'hide them';
      },
    },
    'show them here too',
  );
  return h(
    'div',
    { class: 'nb-result nb-result-summary', 'data-row-count': value.rowCount, 'data-shown-by': tables.join(' ') },
    h(
      'p',
      { class: 'nb-result-facts' },
      h('span', { 'data-fact': 'rows' }, plural(value.rowCount, 'row')),
      h('span', {}, plural(value.columns.length, 'column')),
      h('span', { class: 'muted' }, `shown by table cell ${tables.join(', ')}`),
      toggle,
    ),
    grid,
  );
}

export const sqlCellView: CellKindView<SqlResult> = {
  label: 'SQL',
  language: 'sql',
  add: {
    label: 'SQL',
    stem: 'query',
    body: () => 'SELECT typology_type, count(*) AS alerts\nFROM alerts\nGROUP BY 1\nORDER BY alerts DESC\n',
  },
  output: (host) => ({
    show: (value, block, place) => {
      const tables = host.shownBy(block.name);
      place(tables.length > 0 ? renderShownElsewhere(value, tables) : renderSqlResult(value));
    },
  }),
};
