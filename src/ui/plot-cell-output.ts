/** A plot cell in the app: its figure, drawn at the cell's width, and what Plot warned about. */
import type { PlotResult } from '../notebook/cells/plot.ts';
import { renderPlot } from '../notebook/cells/plot.ts';
import type { CellKindView } from './cell-kind-view.ts';
import { h } from './dom.ts';

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

export const plotCellView: CellKindView<PlotResult> = {
  label: 'Plot',
  language: 'yaml',
  add: {
    label: 'Plot',
    stem: 'plot',
    body: ({ source, columns }) => {
      const [x = 'x', y = 'y'] = (source && columns(source)) ?? [];
      return `data: ${source ?? 'query_1'}\nmarks:\n  - {type: barX, x: ${y}, y: ${x}}\n`;
    },
  },
  output() {
    const plot = new PlotOutput();
    return {
      show(value, _block, place) {
        place(plot.element);
        plot.show(value);
      },
      dispose: () => plot.dispose(),
    };
  },
};
