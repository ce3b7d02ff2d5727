/**
 * What the lab shows about a rule: agreement metrics on hand tables, weak-supervision rule
 * statistics, the sweep, the warnings measured on SOT-like data, and the plots rendering.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { openNodeRuntime } from '../src/db/node.ts';
import type { Runtime } from '../src/db/runtime.ts';
import { DEFAULT_CONFIG, parseConfig, withThresholds } from '../src/labels/config.ts';
import { LabelCube } from '../src/labels/cube.ts';
import { countsPlot, histogramPlot, overallPlot, sweepPlot } from '../src/labels/plots.ts';
import {
  agreement,
  cohensKappa,
  confidenceHistogram,
  countRows,
  grid,
  ruleStats,
  summarize,
  sweep,
} from '../src/labels/stats.ts';
import { proxyWarnings } from '../src/labels/warnings.ts';
import { addLabelEvents, handAlertsSql, labWith, truthSql, type AlertRow } from './labels-fixtures.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await openNodeRuntime();
});

/** The SOT's own severity for a confidence (sot-schema.md). */
const sotSeverity = (c: number) => (c >= 0.9 ? 'critical' : c >= 0.75 ? 'high' : c >= 0.6 ? 'medium' : 'low');

/**
 * Alerts as the SOT emits them: confidence above 0.6 (0.7 for PING_PONG), skewed low, severity
 * bucketed from it, FRESH_TO_EXCHANGE (one in six) fixed at 0.9. About 45% come out positive.
 */
function sotLikeAlerts(n: number): AlertRow[] {
  const out: AlertRow[] = [];
  for (let i = 0; i < n; i++) {
    const typology = ['PEEL_CHAIN', 'PEEL_CHAIN', 'PEEL_CHAIN', 'PING_PONG', 'PING_PONG', 'FRESH_TO_EXCHANGE'][i % 6]!;
    const floor = typology === 'PING_PONG' ? 0.7 : 0.6;
    const u = ((i * 37) % 100) / 100;
    const c = typology === 'FRESH_TO_EXCHANGE' ? 0.9 : Math.round((floor + u ** 3 * (1 - floor)) * 1000) / 1000;
    out.push({
      id: `s${i}`,
      severity: sotSeverity(c),
      confidence: c,
      typology,
      date: i % 2 ? '2026-01-05' : '2026-01-12',
      window: i % 4 ? 7 : 30,
    });
  }
  return out;
}

/** `n` alerts of one severity and confidence. */
const many = (n: number, prefix: string, severity: string, confidence: number): AlertRow[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, severity, confidence }));

describe('agreement metrics', () => {
  it("computes Cohen's kappa from a 2x2 table", () => {
    // po = 35/50 = 0.7; pe = (25*30 + 25*20) / 2500 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    expect(cohensKappa(20, 5, 10, 15)).toBeCloseTo(0.4, 12);
    expect(cohensKappa(10, 0, 0, 10)).toBe(1);
    expect(cohensKappa(0, 10, 10, 0)).toBe(-1);
    expect(cohensKappa(5, 0, 0, 0)).toBeNull(); // both constant and equal: chance agreement is 1
    expect(cohensKappa(0, 0, 0, 0)).toBeNull();
  });

  it('measures precision, recall and coverage against ground truth and explicit labels', async () => {
    const alerts: AlertRow[] = [
      { id: 'p1', severity: 'high', confidence: 0.9 },
      { id: 'p2', severity: 'high', confidence: 0.8 },
      { id: 'p3', severity: 'critical', confidence: 0.95 },
      { id: 'n1', severity: 'medium', confidence: 0.65 },
      { id: 'n2', severity: 'low', confidence: 0.5 },
      { id: 'u1', severity: 'high', confidence: 0.6 },
    ];
    const truth = `SELECT alert_id, processing_date, alert_id IN ('p1', 'p2', 'n1', 'u1') AS is_illicit FROM (${handAlertsSql(alerts)}) WHERE alert_id != 'p3'`;
    const lab = await labWith(rt, handAlertsSql(alerts), { truthSql: truth });
    await addLabelEvents(lab, [
      { alertId: 'p3', label: 0, source: 'validated' },
      { alertId: 'n2', label: 0, source: 'miner' },
    ]);
    const cube = await LabelCube.build(lab.db);
    const t = cube.evaluate(DEFAULT_CONFIG).overall;
    // truth: p1, p2 true positives; n1 a false negative; n2 a true negative; u1 uncertain; p3 unknown.
    expect(agreement(t, 'truth')).toEqual({
      reference: 'truth',
      tp: 2,
      fp: 0,
      fn: 1,
      tn: 1,
      referenceTotal: 5,
      coverage: 4 / 5,
      precision: 1,
      recall: 2 / 3,
      accuracy: 3 / 4,
      kappa: cohensKappa(2, 0, 1, 1),
    });
    const explicit = agreement(t, 'explicit')!;
    expect([explicit.tp, explicit.fp, explicit.fn, explicit.tn]).toEqual([0, 1, 0, 1]);
    // With the explicit labels winning, p3 becomes a negative.
    expect(summarize(t).effective).toEqual({ positive: 2, negative: 3, uncertain: 1 });
  });
});

describe('rule statistics, counts and the sweep', () => {
  it('reports coverage, overlap, conflict and accuracy of the positive and negative rule', async () => {
    const alerts: AlertRow[] = [
      { id: 'b1', severity: 'high', confidence: 0.6 },
      { id: 'b2', severity: 'high', confidence: 0.85 },
      { id: 'b3', severity: 'high', confidence: 0.4 },
      { id: 'b4', severity: 'medium', confidence: 0.6 },
    ];
    const truth = `SELECT alert_id, processing_date, alert_id IN ('b2', 'b1') AS is_illicit FROM (${handAlertsSql(alerts)})`;
    const lab = await labWith(rt, handAlertsSql(alerts), { truthSql: truth });
    const cube = await LabelCube.build(lab.db);
    const config = parseConfig({ positive: { min_confidence: 0.5 }, negative: { max_confidence: 0.8 } });
    const [pos, neg] = ruleStats(cube.evaluate(config).overall);
    // positive votes: b1, b2; negative votes: b1, b3 (confidence < 0.8), b4 (medium); both: b1.
    expect(pos).toMatchObject({
      rule: 'positive',
      polarity: 1,
      votes: 2,
      coverage: 0.5,
      overlap: 0.25,
      conflict: 0.25,
    });
    expect(neg).toMatchObject({
      rule: 'negative',
      polarity: 0,
      votes: 3,
      coverage: 0.75,
      overlap: 0.25,
      conflict: 0.25,
    });
    expect(pos!.accuracy).toEqual({ truth: 1, explicit: null });
    expect(neg!.accuracy.truth).toBeCloseTo(2 / 3, 12); // b3 and b4 are licit, b1 is not
    expect(ruleStats(cube.evaluate(DEFAULT_CONFIG).overall)[0]!.conflict).toBe(0);
  });

  it('gives tidy count rows for every dimension, each summing to all alerts', async () => {
    const lab = await labWith(rt, handAlertsSql(sotLikeAlerts(120)));
    const cube = await LabelCube.build(lab.db);
    const rows = countRows(cube.evaluate(DEFAULT_CONFIG));
    for (const dim of ['overall', 'severity', 'typology', 'date', 'window'] as const) {
      expect(rows.filter((r) => r.dimension === dim).reduce((a, r) => a + r.count, 0)).toBe(120);
    }
    expect(rows.filter((r) => r.dimension === 'window').map((r) => r.key)).toEqual(['7', '7', '7', '30', '30', '30']);
  });

  it('sweeps a grid of thresholds with the same numbers as evaluating each pair', async () => {
    const alerts = sotLikeAlerts(300);
    const sql = handAlertsSql(alerts);
    const lab = await labWith(rt, sql, { truthSql: truthSql(sql, 3) });
    const cube = await LabelCube.build(lab.db);
    expect(grid(0.5, 0.8, 0.1)).toEqual([0.5, 0.6, 0.7, 0.8]);
    expect(grid(0, 1, 0.025)).toContain(0.7);
    const positive = [0.6, 0.7, 0.75, 0.9];
    const negative = [0, 0.3, 0.65, 0.8];
    const cells = sweep(cube, DEFAULT_CONFIG, { positive, negative });
    expect(cells).toHaveLength(16);
    for (const cell of cells) {
      const t = cube.evaluate(withThresholds(DEFAULT_CONFIG, cell.minConfidence, cell.maxConfidence)).overall;
      const s = summarize(t);
      expect([cell.positive, cell.negative, cell.uncertain, cell.positiveRate, cell.uncertainShare]).toEqual([
        s.positive,
        s.negative,
        s.uncertain,
        s.positiveRate,
        s.uncertainShare,
      ]);
      expect(cell.truth).toEqual(agreement(t, 'truth'));
      expect(cell.explicit).toBeNull();
    }
  });
});

describe('warnings', () => {
  it('on SOT-like data: the uncertain group is empty and severity is measured to be a bucketing of confidence', async () => {
    const lab = await labWith(rt, handAlertsSql(sotLikeAlerts(300)));
    const cube = await LabelCube.build(lab.db);
    const warnings = proxyWarnings(cube, DEFAULT_CONFIG);
    expect(warnings.map((w) => w.id)).toEqual(['uncertain-empty', 'severity-is-confidence']);
    const [empty, derived] = warnings;
    expect(empty!.measured).toMatchObject({ uncertain: 0, lowestConfidence: 0.6, belowNegativeThreshold: 0 });
    expect(empty!.message).toMatch(/^No alert is uncertain: all 300 get a label/);
    expect(derived!.measured).toMatchObject({
      matchingSotBuckets: 1,
      disjointRanges: 1,
      equivalentThreshold: 0.75,
      equivalent: 1,
    });
    expect(derived!.message).toMatch(/100\.0% of 300 alerts have exactly the severity the SOT gives their confidence/);
    expect(derived!.message).toMatch(/picks exactly the \d+ alerts with confidence >= 0\.75/);
  });

  it('does not claim severity is derived where it is not', async () => {
    const alerts = sotLikeAlerts(200).map((a, i) =>
      i % 3 === 0 ? { ...a, severity: ['low', 'medium', 'high', 'critical'][i % 4]! } : a,
    );
    const lab = await labWith(rt, handAlertsSql(alerts));
    const cube = await LabelCube.build(lab.db);
    expect(proxyWarnings(cube, DEFAULT_CONFIG).map((w) => w.id)).not.toContain('severity-is-confidence');
  });

  it('flags a single class and positive rates under 1% or over 60%', async () => {
    const lab = await labWith(rt, handAlertsSql(sotLikeAlerts(300)));
    const cube = await LabelCube.build(lab.db);
    const ids = (c: LabelCube, config: Parameters<typeof proxyWarnings>[1]) =>
      proxyWarnings(c, config).map((w) => w.id);
    expect(ids(cube, DEFAULT_CONFIG)).not.toContain('positive-rate-high');
    expect(ids(cube, parseConfig({ positive: { min_confidence: 1 } }))).toContain('single-class'); // no confidence reaches 1
    // No low alerts and nothing under 0.3: with only low negative, every labelled alert is positive.
    expect(
      ids(
        cube,
        parseConfig({
          positive: { severities: ['medium', 'high', 'critical'], min_confidence: 0.6 },
          negative: { severities: ['low'] },
        }),
      ),
    ).toContain('single-class');

    const rare = await LabelCube.build(
      (await labWith(rt, handAlertsSql([...many(200, 'm', 'medium', 0.65), ...many(1, 'c', 'critical', 0.95)]))).db,
    );
    const low = proxyWarnings(rare, DEFAULT_CONFIG).find((w) => w.id === 'positive-rate-low');
    expect(low?.measured).toEqual({ positiveRate: 1 / 201, positive: 1, labelled: 201 });

    const common = await LabelCube.build(
      (await labWith(rt, handAlertsSql([...many(10, 'm', 'medium', 0.65), ...many(90, 'h', 'high', 0.8)]))).db,
    );
    const high = proxyWarnings(common, DEFAULT_CONFIG).find((w) => w.id === 'positive-rate-high');
    expect(high?.measured).toEqual({ positiveRate: 0.9, positive: 90, labelled: 100 });
    expect(high?.message).toMatch(/^90\.0% of the labelled alerts are positive/);
  });

  it('notes alerts without a confidence and severities in neither list', async () => {
    const alerts: AlertRow[] = [
      ...sotLikeAlerts(50),
      { id: 'x1', severity: 'high', confidence: null },
      { id: 'x2', severity: 'info', confidence: 0.5 },
    ];
    const lab = await labWith(rt, handAlertsSql(alerts));
    const cube = await LabelCube.build(lab.db);
    const warnings = proxyWarnings(cube, DEFAULT_CONFIG);
    // x1 (high, no confidence) and x2 (info, 0.5) are uncertain: x2 is a grey zone, so no warning.
    const ids = warnings.map((w) => w.id);
    expect(ids).not.toContain('uncertain-empty');
    expect(ids).toEqual(expect.arrayContaining(['null-confidence', 'unlisted-severity']));
    expect(warnings.find((w) => w.id === 'null-confidence')!.measured).toEqual({ nullConfidence: 1 });
    expect(warnings.find((w) => w.id === 'unlisted-severity')!.message).toMatch(
      /^1 alerts have a severity in neither list \('info'\)/,
    );
  });
});

describe('plots', () => {
  it('render to SVG without a browser, with the thresholds drawn', async () => {
    const alerts = sotLikeAlerts(200);
    const sql = handAlertsSql(alerts);
    const lab = await labWith(rt, sql, { truthSql: truthSql(sql, 5) });
    const cube = await LabelCube.build(lab.db);
    const config = withThresholds(DEFAULT_CONFIG, 0.8, 0.65);
    const rows = countRows(cube.evaluate(config));
    const cells = sweep(cube, config, { positive: grid(0.6, 1, 0.1), negative: grid(0, 0.8, 0.2) });
    const { document } = parseHTML('<!doctype html><html><body></body></html>');
    const render = (o: Plot.PlotOptions) => Plot.plot({ ...o, document: document as unknown as Document }).outerHTML;
    for (const options of [
      overallPlot(rows),
      countsPlot(rows, 'severity'),
      countsPlot(rows, 'typology'),
      countsPlot(rows, 'date'),
      countsPlot(rows, 'window'),
    ]) {
      expect(render(options)).toMatch(/<svg[\s\S]*<rect/);
    }
    const histogram = histogramPlot(confidenceHistogram(cube, config));
    const svg = render(histogram);
    expect(svg).toContain('Confidence by severity');
    // One positive rule per positive severity, one negative rule per severity it decides.
    const data = confidenceHistogram(cube, config).thresholds;
    expect(data).toEqual([
      { rule: 'positive', value: 0.8, severities: ['high', 'critical'] },
      { rule: 'negative', value: 0.65, severities: ['high', 'critical'] },
    ]);
    expect(render(sweepPlot(cells, config, null)!)).toContain('uncertain share');
    expect(render(sweepPlot(cells, config, 'truth')!)).toContain('kappa');
    expect(sweepPlot(cells, config, 'explicit')).toBeNull();
  });
});
