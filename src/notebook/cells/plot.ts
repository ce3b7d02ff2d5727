/**
 * A plot cell: the spec with its params filled in, the rows of the results it draws, and (where
 * a document is at hand: the browser, a headless report) the rendered figure.
 */
import * as Plot from '@observablehq/plot';
import { ident } from '../../db/database.ts';
import { plainRows } from '../../db/values.ts';
import { yamlBody, type CellKindModule } from '../cell-kind.ts';
import { PlotSpecWithRefs, type PlotSpec } from '../cell-schemas.ts';
import { paramRefsIn } from '../param-refs.ts';
import { plotDataNames, resolvePlotSpec, toPlotOptions, type PlotData } from '../plot-spec.ts';
import type { ParamValue } from '../params.ts';
import { throwIfStale, type RunContext } from './context.ts';
import type { z } from 'zod';

export interface PlotCellSpec {
  kind: 'plot';
  /** As written: `$param` references still in place. */
  plot: z.infer<typeof PlotSpecWithRefs>;
}

/** More marks than this are a sign the query should aggregate first (and slow any browser). */
export const PLOT_MAX_ROWS = 100_000;

export interface PlotResult {
  kind: 'plot';
  /** The spec as drawn: params filled in. */
  spec: PlotSpec;
  /** Plot options with their marks built over the data; `renderPlot` draws them. */
  options: Plot.PlotOptions;
  /** The figure (an SVG, or a figure element with legends/titles), when a document was given. */
  figure?: Element;
  /** What Plot warned about while drawing (it would otherwise only reach the console). */
  warnings: string[];
  /** Set when a result it draws is waiting (a compare cell not trained yet): nothing is drawn, this is shown. */
  waiting?: string;
}

export async function runPlotCell(spec: z.infer<typeof PlotSpecWithRefs>, ctx: RunContext): Promise<PlotResult> {
  const values = new Map<string, ParamValue>([...ctx.params].map(([k, v]) => [k, v.value]));
  const resolved = resolvePlotSpec(spec, values);
  const data = new Map<string, PlotData>();
  for (const name of plotDataNames(resolved)) {
    // An in-memory result (a proxy cell's) is drawn as it is: no database round trip.
    const memory = ctx.memory.get(name);
    if (memory?.waiting !== undefined)
      return { kind: 'plot', spec: resolved, options: { marks: [] }, warnings: [], waiting: memory.waiting };
    if (memory) {
      if (memory.rows.length > PLOT_MAX_ROWS)
        throw new Error(
          `${name} has ${memory.rows.length.toLocaleString('en-US')} rows; a plot draws at most ${PLOT_MAX_ROWS.toLocaleString('en-US')}`,
        );
      data.set(name, { columns: memory.columns.map((c) => c.name), rows: memory.rows });
      continue;
    }
    const result = ctx.results.get(name);
    if (!result) throw new Error(`no result named ${name}`);
    if (result.rowCount > PLOT_MAX_ROWS) {
      throw new Error(
        `${name} has ${result.rowCount.toLocaleString('en-US')} rows; a plot draws at most ${PLOT_MAX_ROWS.toLocaleString('en-US')}: aggregate or sample in SQL first`,
      );
    }
    data.set(name, plainRows(await ctx.db.query(`SELECT * FROM ${ident(name)}`)));
    throwIfStale(ctx.signal);
  }
  const options = toPlotOptions(resolved, data);
  const result: PlotResult = { kind: 'plot', spec: resolved, options, warnings: [] };
  if (ctx.document) Object.assign(result, renderPlot(result, ctx.document));
  return result;
}

/**
 * Draw a plot result into `document` (again, for example at another width). Plot reports
 * problems such as dates on a band scale through console.warn during the (synchronous) call;
 * they are collected so the cell can show them.
 */
export function renderPlot(
  result: Pick<PlotResult, 'options'>,
  document: Document,
  overrides: Plot.PlotOptions = {},
): { figure: Element; warnings: string[] } {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  try {
    return { figure: Plot.plot({ ...result.options, ...overrides, document }), warnings };
  } finally {
    console.warn = warn;
  }
}

/** The plot kind: it reads its `data` and each mark's `data`, and every `$name` value in the spec. */
export const plotCell: CellKindModule<'plot', PlotCellSpec, PlotResult> = {
  kind: 'plot',
  expected: 'a YAML plot spec ({data, marks: [...]})',
  parse: yamlBody(PlotSpecWithRefs, (plot) => ({ kind: 'plot', plot })),
  uses: ({ plot }) => ({
    params: paramRefsIn(plot),
    data: [...new Set([plot.data, ...plot.marks.map((m) => m.data)].filter((d): d is string => d !== undefined))],
  }),
  run: (cell, ctx) => runPlotCell(cell.spec.plot, ctx),
  report(value, { el, document }) {
    if (value.waiting) return [el('p', { class: 'note' }, `Nothing drawn: ${value.waiting}.`)];
    const figure = value.figure ?? renderPlot(value, document).figure;
    // A copy: the figure may belong to another document (and stays with the cell's value).
    const out: Node[] = [el('div', { class: 'plot' }, document.importNode(figure, true))];
    if (value.warnings.length) out.push(el('p', { class: 'note warning' }, `Plot warned: ${value.warnings.join(' ')}`));
    return out;
  },
};
