/**
 * The label-quality plots as Observable Plot options, built from a QualityReport. DOM-free, as
 * src/labels/plots.ts: the caller renders with `Plot.plot({...options, document})`. Colours
 * follow that module (positive red, negative blue), and the kappa scale is quantized with a
 * legend drawn as SVG swatches, never a continuous ramp (which needs a canvas).
 */
import * as Plot from '@observablehq/plot';
import { LABEL_COLORS } from '../labels/plots.ts';
import { kappaMatrix, type AgreementReport } from './agreement.ts';
import type { CoverageReport } from './coverage.ts';
import type { Rater } from './source-labels.ts';

/** What each rater is called on an axis. */
export const RATER_TITLES: Record<Rater, string> = {
  proxy: 'proxy',
  miner: 'miner',
  community: 'community',
  validated: 'validated',
  effective: 'effective',
  evolution: 'evolution',
  truth: 'ground truth',
};

interface CoverageBar {
  rater: string;
  rows: number;
  text: string;
}

/**
 * Alert rows each rater labels, with the count and the share of all alert rows written at the
 * bar's end: the ground truth (or the proxy rule) labels nearly every row and a hand-labelled
 * source a few hundred, so the written numbers carry what the short bars cannot. Raters that
 * label nothing keep their row, so a missing source is seen as missing.
 */
export function coveragePlot(coverage: CoverageReport): Plot.PlotOptions {
  const bars: CoverageBar[] = coverage.raters.map((r) => ({
    rater: RATER_TITLES[r.rater],
    rows: r.labelled,
    text: `${r.labelled.toLocaleString('en-US')}${r.share === null ? '' : ` (${(100 * r.share).toFixed(1)}%)`}`,
  }));
  return {
    height: 24 * bars.length + 34,
    marginTop: 6,
    marginLeft: 90,
    marginRight: 110,
    x: { label: 'alert rows labelled', grid: true, domain: [0, Math.max(1, coverage.alertRows)] },
    y: { label: null, domain: bars.map((b) => b.rater) },
    marks: [
      Plot.barX(bars, {
        x: 'rows',
        y: 'rater',
        fill: '#8a94a3',
        title: (d: CoverageBar) => `${d.rater}: ${d.text} of ${coverage.alertRows.toLocaleString('en-US')} alert rows`,
      }),
      Plot.text(bars, { x: 'rows', y: 'rater', text: 'text', textAnchor: 'start', dx: 4 }),
      Plot.ruleX([0]),
    ],
  };
}

interface BalanceBar {
  rater: string;
  label: 'positive' | 'negative';
  rows: number;
  share: number;
}

/**
 * Class balance: each labelling rater's labels split into positive and negative, as shares of
 * its own labels (so a source with 300 labels reads as well as one with 20,000), with the
 * positive rate written beside the bar.
 */
export function classBalancePlot(coverage: CoverageReport): Plot.PlotOptions | null {
  const raters = coverage.raters.filter((r) => r.labelled > 0);
  if (raters.length === 0) return null;
  const bars: BalanceBar[] = raters.flatMap((r) =>
    (['positive', 'negative'] as const).map((label) => {
      const n = label === 'positive' ? r.positive : r.negative;
      return { rater: RATER_TITLES[r.rater], label, rows: n, share: n / r.labelled };
    }),
  );
  const rates = raters.map((r) => ({
    rater: RATER_TITLES[r.rater],
    text: `${(100 * (r.positiveRate ?? 0)).toFixed(1)}% positive`,
  }));
  return {
    height: 24 * raters.length + 34,
    marginTop: 6,
    marginLeft: 90,
    marginRight: 100,
    x: { label: 'share of its labels', percent: true, domain: [0, 100] },
    y: { label: null, domain: rates.map((r) => r.rater) },
    color: { domain: ['positive', 'negative'], range: [LABEL_COLORS.range[0]!, LABEL_COLORS.range[1]!], legend: true },
    marks: [
      Plot.barX(bars, {
        x: 'share',
        y: 'rater',
        fill: 'label',
        order: ['positive', 'negative'],
        title: (d: BalanceBar) =>
          `${d.rater}: ${d.rows.toLocaleString('en-US')} ${d.label} (${(100 * d.share).toFixed(1)}%)`,
      }),
      Plot.text(rates, { x: 1, y: 'rater', text: 'text', textAnchor: 'start', dx: 6 }),
    ],
  };
}

interface KappaCell {
  a: string;
  b: string;
  kappa: number | null;
  n: number;
  text: string;
}

/**
 * Cohen's kappa between every pair of raters as a symmetric heatmap, the value written in each
 * cell with the number of alert rows it rests on in its title. Undefined kappas (no overlap, or
 * both raters giving one class only) are grey with a dash. Null when fewer than two raters label
 * anything.
 */
export function kappaHeatmap(agreement: AgreementReport): Plot.PlotOptions | null {
  if (agreement.pairs.length === 0) return null;
  const names = agreement.raters.map((r) => RATER_TITLES[r]);
  const matrix = kappaMatrix(agreement);
  const overlap = (a: Rater, b: Rater) =>
    agreement.pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a))?.n ?? 0;
  const cells: KappaCell[] = agreement.raters.flatMap((a, i) =>
    agreement.raters.map((b, j) => {
      const kappa = matrix[i]![j]!;
      return {
        a: RATER_TITLES[a],
        b: RATER_TITLES[b],
        kappa,
        n: a === b ? 0 : overlap(a, b),
        text: kappa === null ? '–' : kappa.toFixed(2),
      };
    }),
  );
  const size = 62;
  // Column names are as long as the row names ("ground truth") but a cell is narrower: slanted,
  // they never run into each other.
  return {
    width: 110 + size * names.length + 40,
    height: 110 + size * names.length,
    marginLeft: 100,
    marginRight: 40,
    marginTop: 80,
    marginBottom: 10,
    padding: 0.04,
    x: { label: null, domain: names, axis: 'top', tickRotate: -35 },
    y: { label: null, domain: names },
    color: {
      type: 'quantize',
      n: 8,
      domain: [-1, 1],
      scheme: 'rdbu',
      legend: true,
      label: "Cohen's kappa",
      unknown: '#e6e8eb',
    },
    marks: [
      Plot.cell(cells, {
        x: 'b',
        y: 'a',
        fill: 'kappa',
        title: (d: KappaCell) =>
          d.a === d.b
            ? d.a
            : `${d.a} vs ${d.b}: kappa ${d.text} over ${d.n.toLocaleString('en-US')} alert rows both label`,
      }),
      Plot.text(cells, {
        x: 'b',
        y: 'a',
        text: 'text',
        fill: (d: KappaCell) => (d.kappa !== null && Math.abs(d.kappa) > 0.6 ? 'white' : 'black'),
        fontSize: 12,
      }),
    ],
  };
}
