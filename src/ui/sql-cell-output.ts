/**
 * A sql cell in the app: how many rows and columns its result has, and the first rows.
 *
 * Results are already small when they get here: a sql cell's value holds its first 50 rows (the
 * rest stays in DuckDB) and a table cell at most 1,000, so no result builds DOM for more rows
 * than that whatever the query returned; the count says how many there are.
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

export const sqlCellView: CellKindView<SqlResult> = {
  label: 'SQL',
  language: 'sql',
  add: {
    label: 'SQL',
    stem: 'query',
    body: () => 'SELECT typology_type, count(*) AS alerts\nFROM alerts\nGROUP BY 1\nORDER BY alerts DESC\n',
  },
  output: () => ({ show: (value, _block, place) => place(renderSqlResult(value)) }),
};
