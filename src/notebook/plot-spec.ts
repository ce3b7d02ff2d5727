/**
 * A plot cell's declarative spec → Observable Plot options, in one place.
 *
 * Only what the schema whitelists reaches Plot: mark types map to their Plot functions by name,
 * transforms to Plot's transform functions, scale and plot options are copied key by key.
 * Nothing from the file is evaluated. The one liberty taken: a mark with no data whose channels
 * are all constants (`{type: ruleX, x: $min_confidence}`) is drawn once, not once per row.
 *
 * Strings in channels are column names, as in Plot (fill and stroke may also be CSS colours), so
 * a string param in a channel picks a column (`x: $feature`) and a number param is a constant.
 */
import * as Plot from '@observablehq/plot';
import {
  CHANNELS,
  PARAM_REF_PATTERN,
  PlotSpec,
  type Channel,
  type MarkSpec,
  type PlotSpecWithRefs,
} from './cell-schemas.ts';
import type { PlainValue } from '../db/values.ts';
import { issueMessage } from './diagnostics.ts';
import type { ParamValue } from './params.ts';
import type { z } from 'zod';

export interface PlotData {
  columns: string[];
  rows: Record<string, PlainValue>[];
}

type MarkFn = (data: Plot.Data | undefined, options: Record<string, unknown>) => Plot.Markish;

const MARKS: Record<MarkSpec['type'], MarkFn> = {
  areaX: Plot.areaX as MarkFn,
  areaY: Plot.areaY as MarkFn,
  barX: Plot.barX as MarkFn,
  barY: Plot.barY as MarkFn,
  boxX: Plot.boxX as MarkFn,
  boxY: Plot.boxY as MarkFn,
  cell: Plot.cell as MarkFn,
  cellX: Plot.cellX as MarkFn,
  cellY: Plot.cellY as MarkFn,
  dot: Plot.dot as MarkFn,
  dotX: Plot.dotX as MarkFn,
  dotY: Plot.dotY as MarkFn,
  frame: (_data, options) => Plot.frame(options),
  line: Plot.line as MarkFn,
  lineX: Plot.lineX as MarkFn,
  lineY: Plot.lineY as MarkFn,
  link: Plot.link as MarkFn,
  rect: Plot.rect as MarkFn,
  rectX: Plot.rectX as MarkFn,
  rectY: Plot.rectY as MarkFn,
  ruleX: Plot.ruleX as MarkFn,
  ruleY: Plot.ruleY as MarkFn,
  text: Plot.text as MarkFn,
  textX: Plot.textX as MarkFn,
  textY: Plot.textY as MarkFn,
  tickX: Plot.tickX as MarkFn,
  tickY: Plot.tickY as MarkFn,
};

type Outputs = Record<string, string>;
type Options = Record<string, unknown>;

const TRANSFORM_FNS = {
  binX: (o: Outputs, opts: Options) => Plot.binX(o as Plot.BinOutputs, opts),
  binY: (o: Outputs, opts: Options) => Plot.binY(o as Plot.BinOutputs, opts),
  bin: (o: Outputs, opts: Options) => Plot.bin(o as Plot.BinOutputs, opts),
  groupX: (o: Outputs, opts: Options) => Plot.groupX(o as Plot.GroupOutputs, opts),
  groupY: (o: Outputs, opts: Options) => Plot.groupY(o as Plot.GroupOutputs, opts),
  group: (o: Outputs, opts: Options) => Plot.group(o as Plot.GroupOutputs, opts),
  groupZ: (o: Outputs, opts: Options) => Plot.groupZ(o as Plot.GroupOutputs, opts),
} as const;

/** Channels whose string value may be a CSS colour rather than a column (as Plot decides). */
const COLOUR_CHANNELS: ReadonlySet<Channel> = new Set(['fill', 'stroke']);

export class PlotSpecError extends Error {
  override name = 'PlotSpecError';
}

/** Replace every `$name` with the param's value, then check the result against the plain schema. */
export function resolvePlotSpec(
  spec: z.infer<typeof PlotSpecWithRefs>,
  params: ReadonlyMap<string, ParamValue>,
): PlotSpec {
  const substitute = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = PARAM_REF_PATTERN.exec(v);
      if (!m) return v;
      if (!params.has(m[1]!)) throw new PlotSpecError(`unknown parameter ${v}`);
      return params.get(m[1]!);
    }
    if (Array.isArray(v)) return v.map(substitute);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x)]));
    return v;
  };
  const resolved = substitute(spec);
  const parsed = PlotSpec.safeParse(resolved);
  if (!parsed.success) {
    throw new PlotSpecError(
      parsed.error.issues.map((i) => `${issueMessage(i, resolved)} (after parameters were filled in)`).join('; '),
    );
  }
  return parsed.data;
}

/** The result names a resolved spec draws (fetched by the plot cell before `toPlotOptions`). */
export function plotDataNames(spec: PlotSpec): string[] {
  return [...new Set([spec.data, ...spec.marks.map((m) => m.data)].filter((d): d is string => d !== undefined))];
}

function isConstantMark(m: MarkSpec): boolean {
  return CHANNELS.every((c) => {
    const v = m[c];
    return v === undefined || typeof v !== 'string' || COLOUR_CHANNELS.has(c);
  });
}

/** Px each x-faceted plot's x range keeps clear at both ends (room for half a tick label). */
export const X_FACET_INSET = 16;
/** Px at least between x ticks in side-by-side facets: a label such as "100%" is about 26 px. */
export const X_FACET_TICK_SPACING = 50;

/** Plot options for a resolved spec, its marks built over `data` (rows per sql cell name). */
export function toPlotOptions(spec: PlotSpec, data: ReadonlyMap<string, PlotData>): Plot.PlotOptions {
  const marks = spec.marks.map((m, i) => buildMark(m, i, spec, data));
  const options: Record<string, unknown> = { marks };
  for (const key of [
    'title',
    'subtitle',
    'caption',
    'width',
    'height',
    'margin',
    'marginTop',
    'marginRight',
    'marginBottom',
    'marginLeft',
    'inset',
    'grid',
  ] as const) {
    if (spec[key] !== undefined) options[key] = spec[key];
  }
  for (const scale of ['x', 'y', 'fx', 'fy', 'color', 'r', 'opacity', 'symbol'] as const) {
    if (spec[scale]) options[scale] = { ...spec[scale] };
  }
  // Facets side by side put one facet's last x tick label against the next one's first
  // ("100%0%"). Insetting the x range keeps each facet's edge ticks inside it, so neighbouring
  // labels always have X_FACET_INSET * 2 px between their anchors, however narrow the facets.
  // A tick count cannot hold either: the facets' width is known only when drawn (the cell's
  // width over the number of facets), so a count becomes a spacing that fits any facet.
  if (spec.facet?.x !== undefined || spec.marks.some((m) => m.fx !== undefined)) {
    const { ticks, ...x } = (options.x ?? {}) as Record<string, unknown>;
    options.x = {
      insetLeft: X_FACET_INSET,
      insetRight: X_FACET_INSET,
      ...(typeof ticks === 'number' ? { tickSpacing: X_FACET_TICK_SPACING } : ticks === undefined ? {} : { ticks }),
      ...x,
    };
  }
  if (spec.facet) {
    const facetData = spec.data === undefined ? undefined : data.get(spec.data);
    if (!facetData) throw new PlotSpecError("facet: expected the plot to have data (facets split the plot's data)");
    for (const [k, col] of Object.entries(spec.facet)) checkColumn(col, facetData, `facet.${k}`, spec.data!);
    options.facet = { data: facetData.rows, ...spec.facet };
  }
  return options as Plot.PlotOptions;
}

function buildMark(m: MarkSpec, index: number, spec: PlotSpec, data: ReadonlyMap<string, PlotData>): Plot.Markish {
  const label = `mark ${index + 1} (${m.type})`;
  const { type, data: ownData, values, transform, ...rest } = m;
  const options: Options = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));

  let rows: Plot.Data | undefined;
  if (values !== undefined) rows = values;
  else if (type === 'frame') rows = undefined;
  else if (ownData === undefined && isConstantMark(m)) rows = [{}];
  else {
    const name = ownData ?? spec.data;
    if (name === undefined)
      throw new PlotSpecError(
        `${label}: expected data: set data: RESULT on the plot or on the mark (or give values: [...])`,
      );
    const result = data.get(name);
    if (!result) throw new PlotSpecError(`${label}: no result named ${name}`);
    for (const c of CHANNELS) {
      const v = m[c];
      if (typeof v === 'string' && !(COLOUR_CHANNELS.has(c) && !result.columns.includes(v)))
        checkColumn(v, result, `${label}: ${c}`, name);
    }
    rows = result.rows;
  }

  if (transform) {
    const { thresholds, interval, cumulative, offset, order, reverse, stackX, stackY, ...kinds } = transform;
    if (stackX || stackY) {
      const stack = stackX ? Plot.stackX : Plot.stackY;
      const stackOptions = Object.fromEntries(
        Object.entries({ offset, order, reverse }).filter(([, v]) => v !== undefined),
      );
      return MARKS[type](rows, stack(stackOptions, options) as Options);
    }
    const [kind, outputs] = Object.entries(kinds).find(([, v]) => v !== undefined)! as [
      keyof typeof TRANSFORM_FNS,
      Outputs,
    ];
    const binOptions = Object.fromEntries(
      Object.entries({ thresholds, interval, cumulative }).filter(([, v]) => v !== undefined),
    );
    return MARKS[type](rows, TRANSFORM_FNS[kind](outputs, { ...options, ...binOptions }) as Options);
  }
  return MARKS[type](rows, options);
}

function checkColumn(column: string, result: PlotData, where: string, name: string): void {
  if (!result.columns.includes(column)) {
    throw new PlotSpecError(`${where}: no column '${column}' in ${name}: expected one of ${result.columns.join(', ')}`);
  }
}
