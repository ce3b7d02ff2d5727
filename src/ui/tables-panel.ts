/** The loaded tables, each with its row and column counts; choosing one opens it. */
import type { TableSummary } from '../sot/lab.ts';
import { h, plural, replaceChildren } from './dom.ts';

export class TablesPanel {
  readonly element: HTMLElement;
  private readonly list = h('ul', { class: 'table-list', 'aria-label': 'Loaded tables' });
  private selected: string | null = null;

  constructor(private readonly onSelect: (table: TableSummary) => void) {
    this.element = h(
      'section',
      { class: 'panel tables-panel', 'aria-label': 'Tables' },
      h('h2', { class: 'panel-title' }, 'Tables'),
      this.list,
    );
    this.render([]);
  }

  update(tables: TableSummary[]): void {
    this.render(tables);
  }

  select(name: string | null): void {
    this.selected = name;
    for (const item of this.list.querySelectorAll<HTMLButtonElement>('button[data-table]')) {
      item.setAttribute('aria-current', String(item.dataset.table === name));
    }
  }

  private render(tables: TableSummary[]): void {
    if (tables.length === 0) {
      replaceChildren(this.list, h('li', { class: 'empty' }, 'No tables loaded yet.'));
      return;
    }
    replaceChildren(
      this.list,
      ...tables.map((t) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'table-item',
              'data-table': t.name,
              'data-rows': t.rows,
              'data-columns': t.columns.length,
              'aria-current': String(t.name === this.selected),
              onclick: () => this.onSelect(t),
            },
            h('span', { class: 'table-name' }, t.name),
            h(
              'span',
              { class: 'table-meta' },
              h('span', { class: 'table-rows' }, plural(t.rows, 'row')),
              h('span', { class: 'table-cols' }, plural(t.columns.length, 'col')),
            ),
          ),
        ),
      ),
    );
  }
}
