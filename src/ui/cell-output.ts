/**
 * What a cell shows under its header: a result grid with its row count, a plot drawn at the
 * cell's width, or the error of a failed cell.
 *
 * Results are already small when they get here: a sql cell's value holds its first 50 rows
 * (the rest stays in DuckDB) and a table cell at most 1,000, so no result builds DOM for more
 * rows than that whatever the query returned; the count says how many there are.
 */
import type { PlotResult } from '../notebook/cells/plot.ts';
import { renderPlot } from '../notebook/cells/plot.ts';
import type { SqlResult } from '../notebook/cells/sql.ts';
import type { TableResult } from '../notebook/cells/table.ts';
import type { CellError } from '../notebook/runtime.ts';
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

/** A cell that reports in sentences (labels and quality cells); its tables and plots are cells of their own. */
export function renderCellLines(lines: string[], data: Record<string, string | number> = {}): HTMLElement {
  return h('div', { class: 'nb-result nb-lines', ...data }, ...lines.map((line) => h('p', {}, line)));
}

/** A failed cell: its message, or which cells it waited on that failed (each a link to it). */
export function renderCellError(error: CellError, goto: (id: string) => void): HTMLElement {
  if (error.upstream?.length) {
    return h(
      'div',
      { class: 'nb-error upstream', role: 'alert' },
      `depends on failed cell${error.upstream.length > 1 ? 's' : ''} `,
      ...error.upstream.flatMap((id, i) => [
        i > 0 ? ', ' : null,
        h('button', { type: 'button', class: 'link-button', onclick: () => goto(id) }, id),
      ]),
    );
  }
  return h('div', { class: 'nb-error', role: 'alert' }, h('pre', { class: 'nb-error-message' }, error.message));
}

/**
 * A plot drawn at the width of its cell, drawn again when the cell's width changes (the window
 * resized, the view shown after being hidden). A spec with its own `width` keeps it.
 * `data-figure` counts the figures drawn, so tests and the benchmark can see a new one land.
 */
export class PlotOutput {
  readonly element = h('div', { class: 'nb-plot', 'data-figure': 0 });
  private readonly figureHost = h('div', { class: 'nb-plot-figure' });
  private readonly warnings = h('ul', { class: 'nb-plot-warnings' });
  private value: PlotResult | null = null;
  private drawnWidth = 0;
  private figures = 0;
  /**
   * The element's width as the ResizeObserver last reported it (null until its first report).
   * Reading clientWidth on every draw would force a layout of the whole page each time, and a
   * notebook whose plots all redraw on one slider move (notebook 02: eight) paid ~50 ms a move
   * for those layouts alone; the observer reports after layout, at no extra cost.
   */
  private observedWidth: number | null = null;
  private readonly resize = new ResizeObserver((entries) => {
    const entry = entries[entries.length - 1];
    if (entry) this.observedWidth = Math.floor(entry.contentRect.width);
    this.redrawIfResized();
  });

  constructor() {
    this.element.append(this.figureHost, this.warnings);
    this.resize.observe(this.element);
  }

  show(value: PlotResult): void {
    this.value = value;
    this.draw();
  }

  dispose(): void {
    this.resize.disconnect();
  }

  private width(): number {
    return this.observedWidth ?? Math.floor(this.element.clientWidth);
  }

  private redrawIfResized(): void {
    const width = this.width();
    // Hidden (width 0) or barely changed: keep the figure; a few pixels are not worth a redraw.
    if (!this.value || width === 0 || Math.abs(width - this.drawnWidth) < 8 || this.value.spec.width !== undefined)
      return;
    this.draw();
  }

  private draw(): void {
    const value = this.value!;
    if (value.waiting) {
      this.figureHost.replaceChildren(
        h('p', { class: 'muted nb-empty', 'data-waiting': '' }, `Nothing to draw yet: ${value.waiting}.`),
      );
      this.warnings.hidden = true;
      this.drawnWidth = 0;
      return;
    }
    const width = this.width();
    const overrides = value.spec.width === undefined && width > 0 ? { width } : {};
    const { figure, warnings } = renderPlot(value, document, overrides);
    this.drawnWidth = width;
    this.figureHost.replaceChildren(figure);
    // Plot's own warnings of this drawing (the runtime draws nothing: it is given no document).
    this.warnings.replaceChildren(...warnings.map((w) => h('li', {}, w)));
    this.warnings.hidden = warnings.length === 0;
    this.element.dataset.figure = String(++this.figures);
  }
}
