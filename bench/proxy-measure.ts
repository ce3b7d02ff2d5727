/**
 * The part of bench:proxy that runs the same in Node and in Chromium: given a database with the
 * alerts (and ground truth) loaded and a DOM document, time what a threshold change costs.
 *
 * - counts: everything numeric the notebook shows after a move, from the cube: labels overall,
 *   per severity, typology, date and window; agreement; rule statistics; warnings.
 * - plots: every plot of the notebook built from those numbers and drawn by Observable Plot
 *   (in the browser also put into the page and laid out).
 * - rescan: the same counts the design's way, the SQL rule over every alert (overall only,
 *   the cheapest rescan there is).
 * The sweep grid does not depend on the thresholds (only on the severity lists and conflict
 * handling), so it is computed once and its time reported apart.
 */
import * as Plot from '@observablehq/plot';
import { rows, type Database } from '../src/db/database.ts';
import { DEFAULT_CONFIG, withThresholds, type ProxyLabelConfig } from '../src/labels/config.ts';
import { LabelCube } from '../src/labels/cube.ts';
import { countsPlot, histogramPlot, overallPlot, sweepPlot } from '../src/labels/plots.ts';
import { proxyCountsQuery } from '../src/labels/proxy-sql.ts';
import {
  agreement,
  confidenceHistogram,
  countRows,
  ruleStats,
  summarize,
  sweep,
  type SweepCell,
} from '../src/labels/stats.ts';
import { proxyWarnings } from '../src/labels/warnings.ts';

/** Only what the labels need: the other tables are most of the bytes and play no part. */
export const LABEL_INPUTS = /(^|\/)(alerts|ground_truth)\.parquet$/;

export interface ProxyTimings {
  alerts: number;
  /** Distinct (severity, typology, date, window, confidence) rows in the cube. */
  cubeRows: number;
  buildMs: number;
  sweepMs: number;
  plots: number;
  countsMs: number[];
  plotsMs: number[];
  rescanMs: number[];
  /** The first move's overall counts, from the cube and from the rescan: they must agree. */
  cubeFirst: LabelTotals;
  rescanFirst: LabelTotals;
}

export interface LabelTotals {
  positive: number;
  negative: number;
  uncertain: number;
}

/** {positive, negative, uncertain} from the counts query's (label, n) rows. */
export function totalsOf(result: { label: number | null; n: number }[]): LabelTotals {
  const t = { positive: 0, negative: 0, uncertain: 0 };
  for (const r of result) t[r.label === 1 ? 'positive' : r.label === 0 ? 'negative' : 'uncertain'] += Number(r.n);
  return t;
}

/** Threshold moves as a slider makes them: 3-decimal values, different every time. */
export function thresholdMoves(n: number): ProxyLabelConfig[] {
  return Array.from({ length: n }, (_, i) =>
    withThresholds(
      DEFAULT_CONFIG,
      Number((0.6 + ((i * 37) % 360) / 1000).toFixed(3)),
      Number((((i * 53) % 650) / 1000).toFixed(3)),
    ),
  );
}

/** Everything numeric a threshold change updates; returns something so nothing is optimised away. */
export function updateCounts(cube: LabelCube, config: ProxyLabelConfig): number {
  const ev = cube.evaluate(config);
  const rows = countRows(ev);
  const summary = summarize(ev.overall);
  const stats = ruleStats(ev.overall);
  const truth = agreement(ev.overall, 'truth');
  const explicit = agreement(ev.overall, 'explicit');
  const warnings = proxyWarnings(cube, config, ev);
  return rows.length + summary.total + stats.length + (truth?.tp ?? 0) + (explicit?.tp ?? 0) + warnings.length;
}

/** Every plot's options for one configuration, the sweep grid given. */
export function allPlots(cube: LabelCube, config: ProxyLabelConfig, cells: SweepCell[]): Plot.PlotOptions[] {
  const rows = countRows(cube.evaluate(config));
  const plots = [
    overallPlot(rows),
    countsPlot(rows, 'severity'),
    countsPlot(rows, 'typology'),
    countsPlot(rows, 'date'),
    countsPlot(rows, 'window'),
    histogramPlot(confidenceHistogram(cube, config)),
    sweepPlot(cells, config, null),
    sweepPlot(cells, config, 'truth'),
    sweepPlot(cells, config, 'explicit'),
  ];
  return plots.filter((p): p is Plot.PlotOptions => p !== null);
}

export interface MeasureOptions {
  moves: number;
  /** Rescans are slow at 1M rows: time only this many of the moves. */
  rescans: number;
  document: Document;
  /** Where drawn plots go (the browser: a container in the page); null draws detached (Node). */
  container: Element | null;
}

export async function measureProxy(db: Database, opts: MeasureOptions): Promise<ProxyTimings> {
  let t0 = performance.now();
  const cube = await LabelCube.build(db);
  const buildMs = performance.now() - t0;
  t0 = performance.now();
  const cells = sweep(cube, DEFAULT_CONFIG);
  const sweepMs = performance.now() - t0;

  const moves = thresholdMoves(opts.moves);
  // Warm-up: the first call of each path compiles code and fills caches.
  updateCounts(cube, moves[0]!);
  const countsMs: number[] = [];
  const plotsMs: number[] = [];
  let sink = 0;
  let plotCount = 0;
  const slots: Element[] = [];
  for (const config of moves) {
    t0 = performance.now();
    sink += updateCounts(cube, config);
    countsMs.push(performance.now() - t0);

    t0 = performance.now();
    const figures = allPlots(cube, config, cells).map((o) => Plot.plot({ ...o, document: opts.document }));
    if (opts.container) {
      // Swap each figure into its place and force a layout, as a notebook redraw does.
      figures.forEach((f, i) => {
        const old = slots[i];
        if (old) opts.container!.replaceChild(f, old);
        else opts.container!.appendChild(f);
        slots[i] = f;
      });
      sink += (opts.container as HTMLElement).offsetHeight;
    }
    plotsMs.push(performance.now() - t0);
    plotCount = figures.length;
  }

  const rescanMs: number[] = [];
  let rescanFirst: LabelTotals | null = null;
  for (const config of moves.slice(0, opts.rescans)) {
    const { sql, params } = proxyCountsQuery(config);
    t0 = performance.now();
    const result = await db.query(sql, params);
    rescanMs.push(performance.now() - t0);
    rescanFirst ??= totalsOf(rows<{ label: number | null; n: number }>(result));
  }
  if (sink === -1) console.log(sink);
  const first = summarize(cube.evaluate(moves[0]!).overall);
  return {
    alerts: cube.alerts,
    cubeRows: cube.rowCount,
    buildMs,
    sweepMs,
    plots: plotCount,
    countsMs,
    plotsMs,
    rescanMs,
    cubeFirst: { positive: first.positive, negative: first.negative, uncertain: first.uncertain },
    rescanFirst: rescanFirst ?? { positive: 0, negative: 0, uncertain: 0 },
  };
}
