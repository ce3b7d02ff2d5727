/**
 * The proxy-label plots as Observable Plot options, built from stats.ts data. DOM-free: the
 * caller renders with `Plot.plot({...options, document})` (the page's document, or linkedom's in
 * Node). Colour scales are categorical or quantized, never continuous ramps: a continuous legend
 * needs a canvas, which headless reports lack.
 *
 * Every plot here is cheap to redraw on a threshold change: the counts are a few dozen bars, the
 * histogram is binned once, and the sweep grid is computed once per severity choice (only the
 * marker of the current thresholds moves).
 */
import * as Plot from '@observablehq/plot';
import type { ProxyLabelConfig } from './config.ts';
import type { Breakdown } from './cube.ts';
import { LABELS, type CountRow, type HistogramData, type SweepCell } from './stats.ts';

/** One colour per label, everywhere: positive red, negative blue, uncertain grey. */
export const LABEL_COLORS = { domain: [...LABELS], range: ['#d6604d', '#4393c3', '#bababa'] };

const DIMENSION_TITLES: Record<'severity' | Breakdown, string> = {
  severity: 'Labels by severity',
  typology: 'Labels by typology',
  date: 'Labels by processing date',
  window: 'Labels by window (days)',
};

const keyText = (k: string | null) => (k === null ? '(none)' : k);

/** Stacked label counts per value of one dimension (horizontal bars, values in data order). */
export function countsPlot(rows: CountRow[], dimension: 'severity' | Breakdown): Plot.PlotOptions {
  const data = rows.filter((r) => r.dimension === dimension).map((r) => ({ ...r, key: keyText(r.key) }));
  const keys = [...new Set(data.map((r) => r.key))];
  return {
    title: DIMENSION_TITLES[dimension],
    height: Math.max(90, 22 * keys.length + 50),
    marginLeft: dimension === 'typology' ? 140 : 90,
    x: { label: 'alerts', grid: true },
    y: { label: null, domain: keys },
    color: { ...LABEL_COLORS, legend: true },
    marks: [
      Plot.barX(data, {
        x: 'count',
        y: 'key',
        fill: 'label',
        order: [...LABELS],
        title: (d: CountRow) => `${d.label}: ${d.count.toLocaleString('en-US')} (${(100 * d.share).toFixed(1)}%)`,
      }),
      Plot.ruleX([0]),
    ],
  };
}

/** The overall split as one stacked bar with shares. */
export function overallPlot(rows: CountRow[]): Plot.PlotOptions {
  const data = rows.filter((r) => r.dimension === 'overall');
  return {
    title: 'Labels overall',
    height: 80,
    x: { label: 'share of alerts', percent: true },
    color: { ...LABEL_COLORS, legend: true },
    marks: [
      Plot.barX(data, {
        x: 'share',
        fill: 'label',
        order: [...LABELS],
        title: (d: CountRow) => `${d.label}: ${d.count.toLocaleString('en-US')}`,
      }),
    ],
  };
}

/**
 * Confidence histogram, one panel per severity, with the positive threshold drawn in the panels
 * of positive severities and the negative threshold in the panels it decides.
 */
export function histogramPlot(h: HistogramData): Plot.PlotOptions {
  const bins = h.bins.map((b) => ({ ...b, severity: keyText(b.severity) }));
  const severities = [...new Set(bins.map((b) => b.severity))];
  const rules = h.thresholds.flatMap((t) =>
    t.severities
      .map(keyText)
      .filter((s) => severities.includes(s))
      .map((severity) => ({ severity, value: t.value, rule: t.rule })),
  );
  return {
    title: 'Confidence by severity, with the thresholds',
    height: 70 * Math.max(1, severities.length) + 50,
    marginRight: 70,
    x: { label: 'alert confidence', domain: [0, 1] },
    y: { label: 'alerts', ticks: 2 },
    fy: { label: null, domain: severities },
    color: { domain: ['positive', 'negative'], range: [LABEL_COLORS.range[0]!, LABEL_COLORS.range[1]!], legend: true },
    marks: [
      Plot.rectY(bins, {
        x1: 'x0',
        x2: 'x1',
        y: 'count',
        fy: 'severity',
        fill: '#999',
        title: (b: { x0: number; x1: number; count: number }) => `${b.x0.toFixed(2)}-${b.x1.toFixed(2)}: ${b.count}`,
      }),
      Plot.ruleX(rules, { x: 'value', fy: 'severity', stroke: 'rule', strokeWidth: 2 }),
      Plot.ruleY([0]),
    ],
  };
}

export type SweepMetric = 'positiveRate' | 'uncertainShare' | 'precision' | 'recall' | 'kappa';

const METRIC_TITLES: Record<SweepMetric, string> = {
  positiveRate: 'positive rate',
  uncertainShare: 'uncertain share',
  precision: 'precision',
  recall: 'recall',
  kappa: "Cohen's kappa",
};

/** The sweep's metrics that can be drawn: agreement only where a reference exists. */
export function sweepMetrics(cells: SweepCell[], reference: 'truth' | 'explicit' | null): SweepMetric[] {
  if (reference === null) return ['positiveRate', 'uncertainShare'];
  return cells.some((c) => c[reference] !== null) ? ['precision', 'recall', 'kappa'] : [];
}

/**
 * Heatmaps over (negative threshold x positive threshold), one panel per metric, with the
 * current thresholds marked. `reference` null draws positive rate and uncertain share; 'truth'
 * or 'explicit' draws precision, recall and kappa against that reference.
 */
export function sweepPlot(
  cells: SweepCell[],
  config: ProxyLabelConfig,
  reference: 'truth' | 'explicit' | null,
): Plot.PlotOptions | null {
  const metrics = sweepMetrics(cells, reference);
  if (metrics.length === 0 || cells.length === 0) return null;
  const step = (values: number[]) => {
    const sorted = [...new Set(values)].sort((a, b) => a - b);
    return sorted.length > 1 ? sorted[1]! - sorted[0]! : 0.05;
  };
  const dx = step(cells.map((c) => c.maxConfidence)) / 2;
  const dy = step(cells.map((c) => c.minConfidence)) / 2;
  const data = cells.flatMap((c) =>
    metrics.map((metric) => {
      const a = reference === null ? null : c[reference];
      const value =
        metric === 'positiveRate'
          ? c.positiveRate
          : metric === 'uncertainShare'
            ? c.uncertainShare
            : (a?.[metric] ?? null);
      return {
        metric: METRIC_TITLES[metric],
        x1: c.maxConfidence - dx,
        x2: c.maxConfidence + dx,
        y1: c.minConfidence - dy,
        y2: c.minConfidence + dy,
        value,
      };
    }),
  );
  const current = metrics.map((metric) => ({
    metric: METRIC_TITLES[metric],
    x: config.negative.max_confidence,
    y: config.positive.min_confidence,
  }));
  const kappa = metrics.includes('kappa');
  return {
    title:
      reference === null
        ? 'Sweep: positive rate and uncertain share'
        : `Sweep: agreement with ${reference === 'truth' ? 'ground truth' : 'explicit labels'}`,
    height: 260,
    marginLeft: 50,
    x: { label: 'negative.max_confidence' },
    y: { label: 'positive.min_confidence' },
    fx: { label: null, domain: metrics.map((m) => METRIC_TITLES[m]) },
    color: {
      type: 'quantize',
      n: 10,
      domain: kappa ? [-1, 1] : [0, 1],
      scheme: kappa ? 'rdbu' : 'viridis',
      legend: true,
      unknown: '#eee',
    },
    marks: [
      // No per-cell title: it would double the elements of the costliest plot to redraw.
      Plot.rect(data, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fx: 'metric', fill: 'value' }),
      Plot.dot(current, { x: 'x', y: 'y', fx: 'metric', stroke: 'white', strokeWidth: 2, r: 5 }),
    ],
  };
}
