/**
 * The first rows of a table as a scrolling grid: sticky header and row numbers, numbers
 * right-aligned, every cell one line cut with an ellipsis (its full text on hover), so a long
 * description or address list never widens the layout.
 */
import type { Table } from 'apache-arrow';
import { h } from './dom.ts';
import { formatCell } from './format.ts';

export function renderGrid(table: Table): HTMLElement {
  const fields = table.schema.fields;
  const columns = fields.map((f, i) => ({ field: f, vector: table.getChildAt(i) }));
  const head = h(
    'tr',
    {},
    h('th', { class: 'rownum', scope: 'col' }, '#'),
    ...fields.map((f) => h('th', { scope: 'col', title: `${f.name}: ${String(f.type)}` }, f.name)),
  );
  const body = h('tbody');
  for (let r = 0; r < table.numRows; r++) {
    const tr = h('tr', {}, h('th', { class: 'rownum', scope: 'row' }, String(r + 1)));
    for (const { field, vector } of columns) {
      const cell = formatCell(vector?.get(r), field.type);
      const cls = [cell.numeric ? 'num' : '', cell.isNull ? 'null' : ''].filter(Boolean).join(' ');
      tr.append(h('td', { class: cls || null, title: cell.text.length > 24 ? cell.text : null }, cell.text));
    }
    body.append(tr);
  }
  return h('div', { class: 'grid-scroll', tabindex: 0 }, h('table', { class: 'grid' }, h('thead', {}, head), body));
}
