/**
 * The in-memory results a proxy cell publishes, as tidy rows that plot and table cells draw by
 * name (`labels.by_severity`). Built from the label cube (src/labels/cube.ts) and the stats over
 * it (src/labels/stats.ts): nothing here touches the database.
 *
 * What does not depend on the thresholds is built once per cube and reused on every move, kept in
 * the notebook's memos (RunContext.keep) beside the cube: the histogram (per bin width) and the
 * sweep grids (per severity lists and conflict rule, since the sweep's axes ARE the thresholds).
 * Only the counts, the markers, the rule statistics and the warnings are new on a move.
 */
import type { ProxyLabelConfig } from '../../labels/config.ts';
import type { Breakdown, Evaluation, Key, LabelCube } from '../../labels/cube.ts';
import {
  agreement,
  countRows,
  grid,
  REFERENCES,
  ruleStats,
  summarize,
  sweep,
  type Agreement,
  type SweepCell,
} from '../../labels/stats.ts';
import type { ProxyWarning } from '../../labels/warnings.ts';
import type { PlainValue } from '../../db/values.ts';
import type { RunContext } from './context.ts';
import { memoryResultName, type MemoryColumn, type MemoryColumnType, type MemoryResult } from '../memory-results.ts';

/** Every result a proxy cell publishes, with what one row is: shown in errors and the docs. */
export const PROXY_RESULTS = {
  summary:
    'one row: alerts, positive, negative, uncertain, uncertain_with_confidence (the grey zone the rule means to leave; the rest of the uncertain alerts have no confidence), labelled, positive_rate, uncertain_share',
  overall: 'one row per label: label, alerts, share',
  by_severity: 'severity, label, alerts, share',
  by_typology: 'typology, label, alerts, share',
  by_date: 'processing_date, label, alerts, share',
  by_window: 'window_days, label, alerts, share',
  histogram: 'confidence bins per severity: severity, x0, x1, alerts',
  thresholds: 'the thresholds in the severities they decide: severity, rule, confidence',
  sweep: 'the grid: metric (positive rate, uncertain share), min_confidence, max_confidence, x1, x2, y1, y2, value',
  sweep_marker: 'the current thresholds on the sweep: metric, min_confidence, max_confidence',
  agreement_sweep:
    'the grid against each reference present: reference, metric (precision, recall, kappa), min_confidence, max_confidence, x1, x2, y1, y2, value',
  agreement_marker: 'the current thresholds on the agreement sweep: reference, metric, min_confidence, max_confidence',
  agreement: 'per reference present: reference, compared, coverage, precision, recall, accuracy, kappa, tp, fp, fn, tn',
  agreement_note:
    'one row (note) saying why there is no agreement to show when no reference is loaded; no rows otherwise',
  rule_stats:
    'per rule: rule, votes_for, votes, coverage, overlap, conflict, accuracy_truth, checked_truth, accuracy_explicit, checked_explicit',
  warnings: 'level, warning, message',
} as const;
export type ProxyPart = keyof typeof PROXY_RESULTS;
export const PROXY_PARTS = Object.keys(PROXY_RESULTS) as ProxyPart[];

const REFERENCE_NAMES = { truth: 'ground truth', explicit: 'explicit labels' } as const;
const RATE_METRICS = { positiveRate: 'positive rate', uncertainShare: 'uncertain share' } as const;
const AGREEMENT_METRICS = { precision: 'precision', recall: 'recall', kappa: "Cohen's kappa" } as const;

/** The dimension column each breakdown's key is published as. */
const KEY_COLUMN: Record<'severity' | Breakdown, string> = {
  severity: 'severity',
  typology: 'typology',
  date: 'processing_date',
  window: 'window_days',
};

export interface ProxyGrid {
  positive: number[];
  negative: number[];
}

export interface ProxyInputs {
  cell: string;
  cube: LabelCube;
  /** Names this cube among the notebook's memos: the threshold-independent results are kept under it. */
  cubeKey: string;
  keep: RunContext['keep'];
  config: ProxyLabelConfig;
  evaluation: Evaluation;
  warnings: ProxyWarning[];
  grid: ProxyGrid;
  histogramWidth: number;
}

/** A sweep axis from the cell's `{from, to, step}`. */
export function sweepAxis(a: { from: number; to: number; step: number }): number[] {
  return grid(a.from, a.to, a.step);
}

export function proxyResults(x: ProxyInputs): MemoryResult[] {
  const { cell, cube, config, evaluation } = x;
  // Threshold-independent results, by the cube and what they depend on (and the cell's name, which they carry).
  const cached = (key: unknown[], build: () => MemoryResult[]) =>
    x.keep(JSON.stringify(['proxy-results', x.cubeKey, cell, ...key]), build);
  const make = (
    part: ProxyPart,
    columns: [string, MemoryColumnType][],
    rows: Record<string, PlainValue>[],
  ): MemoryResult => ({
    kind: 'memory',
    name: memoryResultName(cell, part),
    columns: columns.map(([name, type]): MemoryColumn => ({ name, type })),
    rows,
  });
  const s = summarize(evaluation.overall);
  // An alert without a confidence fails both confidence tests: it is uncertain unless its
  // severity is negative outright. Those are not the grey zone between the thresholds.
  const negativeOutright = new Set<Key>(config.negative.severities);
  const uncertainWithout = cube
    .severityRanges()
    .reduce((n, r) => n + (negativeOutright.has(r.severity) ? 0 : r.nulls), 0);
  const out: MemoryResult[] = [
    make(
      'summary',
      [
        ['alerts', 'BIGINT'],
        ['positive', 'BIGINT'],
        ['negative', 'BIGINT'],
        ['uncertain', 'BIGINT'],
        ['uncertain_with_confidence', 'BIGINT'],
        ['labelled', 'BIGINT'],
        ['positive_rate', 'DOUBLE'],
        ['uncertain_share', 'DOUBLE'],
      ],
      [
        {
          alerts: s.total,
          positive: s.positive,
          negative: s.negative,
          uncertain: s.uncertain,
          uncertain_with_confidence: s.uncertain - uncertainWithout,
          labelled: s.positive + s.negative,
          positive_rate: s.positiveRate,
          uncertain_share: s.uncertainShare,
        },
      ],
    ),
  ];

  const counts = countRows(evaluation);
  const countColumns = (key: string): [string, MemoryColumnType][] => [
    [key, 'VARCHAR'],
    ['label', 'VARCHAR'],
    ['alerts', 'BIGINT'],
    ['share', 'DOUBLE'],
  ];
  out.push(
    make(
      'overall',
      [
        ['label', 'VARCHAR'],
        ['alerts', 'BIGINT'],
        ['share', 'DOUBLE'],
      ],
      counts.filter((r) => r.dimension === 'overall').map((r) => ({ label: r.label, alerts: r.count, share: r.share })),
    ),
  );
  for (const dimension of ['severity', 'typology', 'date', 'window'] as const) {
    const key = KEY_COLUMN[dimension];
    const rows = counts
      .filter((r) => r.dimension === dimension)
      .map((r) => ({ [key]: keyText(r.key), label: r.label, alerts: r.count, share: r.share }));
    out.push(make(`by_${dimension}` as ProxyPart, countColumns(key), rows));
  }

  out.push(
    ...cached(['histogram', x.histogramWidth], () => [
      make(
        'histogram',
        [
          ['severity', 'VARCHAR'],
          ['x0', 'DOUBLE'],
          ['x1', 'DOUBLE'],
          ['alerts', 'BIGINT'],
        ],
        cube
          .histogram(x.histogramWidth)
          .map((b) => ({ severity: keyText(b.severity), x0: b.x0, x1: b.x1, alerts: b.count })),
      ),
    ]),
  );
  out.push(
    make(
      'thresholds',
      [
        ['severity', 'VARCHAR'],
        ['rule', 'VARCHAR'],
        ['confidence', 'DOUBLE'],
      ],
      thresholdRows(cube, config),
    ),
  );

  // The sweep depends on the severity lists and the conflict rule, not on the thresholds.
  const sweepKey = ['sweep', config.positive.severities, config.negative.severities, config.on_conflict, x.grid];
  out.push(...cached(sweepKey, () => sweepResults(make, sweep(cube, config, x.grid))));
  const current = { min_confidence: config.positive.min_confidence, max_confidence: config.negative.max_confidence };
  out.push(
    make(
      'sweep_marker',
      [
        ['metric', 'VARCHAR'],
        ['min_confidence', 'DOUBLE'],
        ['max_confidence', 'DOUBLE'],
      ],
      Object.values(RATE_METRICS).map((metric) => ({ metric, ...current })),
    ),
  );
  const references = REFERENCES.filter((r) => (r === 'truth' ? cube.hasTruth : cube.hasExplicit));
  out.push(
    make(
      'agreement_marker',
      [
        ['reference', 'VARCHAR'],
        ['metric', 'VARCHAR'],
        ['min_confidence', 'DOUBLE'],
        ['max_confidence', 'DOUBLE'],
      ],
      references.flatMap((r) =>
        Object.values(AGREEMENT_METRICS).map((metric) => ({ reference: REFERENCE_NAMES[r], metric, ...current })),
      ),
    ),
  );

  out.push(
    make(
      'agreement_note',
      [['note', 'VARCHAR']],
      references.length > 0
        ? []
        : [{ note: 'No ground truth or explicit labels are loaded: nothing to compare the rule with.' }],
    ),
  );
  const agreements = references.map((r) => agreement(evaluation.overall, r)).filter((a): a is Agreement => a !== null);
  out.push(
    make(
      'agreement',
      [
        ['reference', 'VARCHAR'],
        ['compared', 'BIGINT'],
        ['coverage', 'DOUBLE'],
        ['precision', 'DOUBLE'],
        ['recall', 'DOUBLE'],
        ['accuracy', 'DOUBLE'],
        ['kappa', 'DOUBLE'],
        ['tp', 'BIGINT'],
        ['fp', 'BIGINT'],
        ['fn', 'BIGINT'],
        ['tn', 'BIGINT'],
      ],
      agreements.map((a) => ({
        reference: REFERENCE_NAMES[a.reference],
        compared: a.tp + a.fp + a.fn + a.tn,
        coverage: a.coverage,
        precision: a.precision,
        recall: a.recall,
        accuracy: a.accuracy,
        kappa: a.kappa,
        tp: a.tp,
        fp: a.fp,
        fn: a.fn,
        tn: a.tn,
      })),
    ),
  );
  out.push(
    make(
      'rule_stats',
      [
        ['rule', 'VARCHAR'],
        ['votes_for', 'VARCHAR'],
        ['votes', 'BIGINT'],
        ['coverage', 'DOUBLE'],
        ['overlap', 'DOUBLE'],
        ['conflict', 'DOUBLE'],
        ['accuracy_truth', 'DOUBLE'],
        ['checked_truth', 'BIGINT'],
        ['accuracy_explicit', 'DOUBLE'],
        ['checked_explicit', 'BIGINT'],
      ],
      ruleStats(evaluation.overall).map((r) => ({
        rule: r.rule,
        votes_for: r.polarity === 1 ? 'positive (1)' : 'negative (0)',
        votes: r.votes,
        coverage: r.coverage,
        overlap: r.overlap,
        conflict: r.conflict,
        accuracy_truth: r.accuracy.truth,
        checked_truth: r.checked.truth,
        accuracy_explicit: r.accuracy.explicit,
        checked_explicit: r.checked.explicit,
      })),
    ),
  );
  out.push(
    make(
      'warnings',
      [
        ['level', 'VARCHAR'],
        ['warning', 'VARCHAR'],
        ['message', 'VARCHAR'],
      ],
      x.warnings.map((w) => ({ level: w.level, warning: w.id, message: w.message })),
    ),
  );
  return out;
}

type Make = (
  part: ProxyPart,
  columns: [string, MemoryColumnType][],
  rows: Record<string, PlainValue>[],
) => MemoryResult;

/**
 * The sweep as heatmap cells: one rectangle per grid point and metric, centred on its thresholds
 * (x1..x2 around the negative threshold, y1..y2 around the positive one).
 */
function sweepResults(make: Make, cells: SweepCell[]): MemoryResult[] {
  const half = (values: number[]) => {
    const sorted = [...new Set(values)].sort((a, b) => a - b);
    return (sorted.length > 1 ? sorted[1]! - sorted[0]! : 0.05) / 2;
  };
  const dx = half(cells.map((c) => c.maxConfidence));
  const dy = half(cells.map((c) => c.minConfidence));
  const at = (c: SweepCell) => ({
    min_confidence: c.minConfidence,
    max_confidence: c.maxConfidence,
    x1: c.maxConfidence - dx,
    x2: c.maxConfidence + dx,
    y1: c.minConfidence - dy,
    y2: c.minConfidence + dy,
  });
  const gridColumns: [string, MemoryColumnType][] = [
    ['min_confidence', 'DOUBLE'],
    ['max_confidence', 'DOUBLE'],
    ['x1', 'DOUBLE'],
    ['x2', 'DOUBLE'],
    ['y1', 'DOUBLE'],
    ['y2', 'DOUBLE'],
    ['value', 'DOUBLE'],
  ];
  const rates = cells.flatMap((c) =>
    (Object.keys(RATE_METRICS) as (keyof typeof RATE_METRICS)[]).map((m) => ({
      metric: RATE_METRICS[m],
      ...at(c),
      value: c[m],
    })),
  );
  const agreementRows = cells.flatMap((c) =>
    REFERENCES.flatMap((r) => {
      const a = c[r];
      if (!a) return [];
      return (Object.keys(AGREEMENT_METRICS) as (keyof typeof AGREEMENT_METRICS)[]).map((m) => ({
        reference: REFERENCE_NAMES[r],
        metric: AGREEMENT_METRICS[m],
        ...at(c),
        value: a[m],
      }));
    }),
  );
  return [
    make('sweep', [['metric', 'VARCHAR'], ...gridColumns], rates),
    make('agreement_sweep', [['reference', 'VARCHAR'], ['metric', 'VARCHAR'], ...gridColumns], agreementRows),
  ];
}

/** Each threshold in the panels of the severities it decides (as stats.confidenceHistogram says). */
function thresholdRows(cube: LabelCube, config: ProxyLabelConfig): Record<string, PlainValue>[] {
  const negativeOutright = new Set<Key>(config.negative.severities);
  const present = new Set(cube.severities);
  const rows: Record<string, PlainValue>[] = [];
  for (const s of config.positive.severities)
    if (present.has(s)) rows.push({ severity: s, rule: 'positive', confidence: config.positive.min_confidence });
  for (const s of cube.severities)
    if (!negativeOutright.has(s))
      rows.push({ severity: keyText(s), rule: 'negative', confidence: config.negative.max_confidence });
  return rows;
}

const keyText = (k: Key) => (k === null ? '(none)' : k);
