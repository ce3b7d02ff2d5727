/** A table cell in the app: its title, its rows, and the total of the result it shows. */
import type { TableResult } from '../notebook/cells/table.ts';
import type { CellKindView } from './cell-kind-view.ts';
import { renderGrid } from './data-grid.ts';
import { formatCount, h, plural } from './dom.ts';

/** A table cell: its title, its rows, and the total of the result it shows. */
export function renderTableResult(value: TableResult): HTMLElement {
  const shown = value.rows.numRows;
  return h(
    'div',
    { class: 'nb-result', 'data-row-count': value.total },
    value.title ? h('h4', { class: 'nb-result-title' }, value.title) : null,
    h(
      'p',
      { class: 'nb-result-facts' },
      h('span', { 'data-fact': 'rows' }, plural(value.total, 'row')),
      h('span', {}, `from ${value.source}`),
      value.total > shown ? h('span', { class: 'muted' }, `showing the first ${formatCount(shown)}`) : null,
    ),
    shown > 0
      ? renderGrid(value.rows)
      : h(
          'p',
          { class: 'muted nb-empty', ...(value.waiting && { 'data-waiting': '' }) },
          value.waiting ? `No rows yet: ${value.waiting}.` : 'No rows.',
        ),
  );
}

export const tableCellView: CellKindView<TableResult> = {
  label: 'Table',
  language: 'yaml',
  add: { label: 'Table', stem: 'table', body: ({ source }) => `data: ${source ?? 'query_1'}\n` },
  output: () => ({ show: (value, _block, place) => place(renderTableResult(value)) }),
};
