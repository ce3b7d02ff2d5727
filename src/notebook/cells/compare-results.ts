/**
 * The in-memory results a compare cell publishes, as tidy rows that plot and table cells draw by
 * name (`board.roc`), and the leaderboard's metric columns, shared by the cell's results, the
 * app's leaderboard view and the headless report so the three always agree.
 *
 * Everything here is measured on the held-out alerts, per label source, the way the board is
 * (training/evaluation.ts: an alert's windows reduce to its highest score and label). Curves
 * and score distributions are thinned so a notebook's plots stay small whatever the data size.
 */
import type { PlainValue } from '../../db/values.ts';
import type { SourceMetrics } from '../../metrics/evaluate.ts';
import { SOURCE_ORDER, type BoardEntry, type Leaderboard, type SourceName } from '../../metrics/leaderboard.ts';
import { prCurve, rocCurve, type CurvePoint } from '../../metrics/ranking.ts';
import type { TrainingSummary } from '../../strategies/strategy.ts';
import { reduceToUnits, type EvaluationSource, type HeldOut } from '../../training/evaluation.ts';
import { PREVIEW_ROW_COLUMNS, PREVIEW_ROWS_TEXT, previewRows } from '../../validator/preview-rows.ts';
import { memoryResultName, type MemoryColumn, type MemoryColumnType, type MemoryResult } from '../memory-results.ts';

/** Every result a compare cell publishes, with what one row is: shown in errors and the docs. */
export const COMPARE_RESULTS = {
  entries:
    'one row per strategy, best first: rank, strategy, kind, score_kind, status (done, failed, cancelled, skipped), ranked_by, roc_auc, pr_auc (against ranked_by), features, fit_seconds, reason (why it failed or was skipped, or how far it got), model_version',
  auc: 'the headline metrics per strategy and label source: strategy, source, roc_auc, pr_auc',
  board:
    'one row per strategy, label source and metric: strategy, source, metric (ROC-AUC, PR-AUC, precision@50, recall@1%, NDCG@100, Brier, Brier calibrated, capacity precision, ...), value',
  sources:
    'one row per label source the board measures against: source, description, labelled, positives (held-out alerts), ranked_by (yes for the source that ranks the board)',
  roc: 'ROC curve points per strategy and label source: strategy, source, fpr, tpr',
  pr: 'precision-recall curve points per strategy and label source: strategy, source, recall, precision',
  scores:
    'where the positives and negatives of each label source fall in each strategy’s ranking: strategy, source, label, x0, x1 (score percentile among the held-out alerts), alerts, share (of that label’s alerts)',
  training: 'the training curves: strategy, stage, epoch, loss, val_loss',
  notes: 'what the board says about itself and each strategy: strategy (empty for the board), note',
  validator: PREVIEW_ROWS_TEXT,
} as const;
export type ComparePart = keyof typeof COMPARE_RESULTS;
export const COMPARE_PARTS = Object.keys(COMPARE_RESULTS) as ComparePart[];

const COLUMNS: Record<ComparePart, [string, MemoryColumnType][]> = {
  entries: [
    ['rank', 'BIGINT'],
    ['strategy', 'VARCHAR'],
    ['kind', 'VARCHAR'],
    ['score_kind', 'VARCHAR'],
    ['status', 'VARCHAR'],
    ['ranked_by', 'VARCHAR'],
    ['roc_auc', 'DOUBLE'],
    ['pr_auc', 'DOUBLE'],
    ['features', 'BIGINT'],
    ['fit_seconds', 'DOUBLE'],
    ['reason', 'VARCHAR'],
    ['model_version', 'VARCHAR'],
  ],
  auc: [
    ['strategy', 'VARCHAR'],
    ['source', 'VARCHAR'],
    ['roc_auc', 'DOUBLE'],
    ['pr_auc', 'DOUBLE'],
  ],
  board: [
    ['strategy', 'VARCHAR'],
    ['source', 'VARCHAR'],
    ['metric', 'VARCHAR'],
    ['value', 'DOUBLE'],
  ],
  sources: [
    ['source', 'VARCHAR'],
    ['description', 'VARCHAR'],
    ['labelled', 'BIGINT'],
    ['positives', 'BIGINT'],
    ['ranked_by', 'VARCHAR'],
  ],
  roc: [
    ['strategy', 'VARCHAR'],
    ['source', 'VARCHAR'],
    ['fpr', 'DOUBLE'],
    ['tpr', 'DOUBLE'],
  ],
  pr: [
    ['strategy', 'VARCHAR'],
    ['source', 'VARCHAR'],
    ['recall', 'DOUBLE'],
    ['precision', 'DOUBLE'],
  ],
  scores: [
    ['strategy', 'VARCHAR'],
    ['source', 'VARCHAR'],
    ['label', 'VARCHAR'],
    ['x0', 'DOUBLE'],
    ['x1', 'DOUBLE'],
    ['alerts', 'BIGINT'],
    ['share', 'DOUBLE'],
  ],
  training: [
    ['strategy', 'VARCHAR'],
    ['stage', 'VARCHAR'],
    ['epoch', 'BIGINT'],
    ['loss', 'DOUBLE'],
    ['val_loss', 'DOUBLE'],
  ],
  notes: [
    ['strategy', 'VARCHAR'],
    ['note', 'VARCHAR'],
  ],
  validator: PREVIEW_ROW_COLUMNS,
};

/** The board result's metric for the Brier of the calibrated scores (training/calibration.ts). */
export const CALIBRATED_BRIER = 'Brier calibrated';

/** Points kept per curve: enough for a smooth line at any plot width. */
export const CURVE_POINTS = 200;
/** Bins of the score-percentile distributions. */
export const SCORE_BINS = 20;

// ---------------------------------------------------------------------------------------------
// The leaderboard's columns

export interface MetricColumn {
  /** `ROC-AUC`, `precision@50`, `capacity recall`: the `metric` of the board result. */
  metric: string;
  /** The short header: `P@50`. */
  short: string;
  /** What it measures, for a header's title. */
  title: string;
  value(m: SourceMetrics): number | null;
  /** Decimals shown. */
  digits: number;
}

/** `1% (13)` → `1%`: the k labels in metric names. */
const kName = (label: string) => label.split(' ')[0]!;

/**
 * The metric columns of a board in the order every renderer shows them: ROC-AUC, PR-AUC,
 * precision and recall at each k, NDCG at each k, Brier, then the capacity threshold's numbers.
 */
export function metricColumns(board: Leaderboard): MetricColumn[] {
  const ks =
    board.entries
      .flatMap((e) => Object.values(e.metrics))
      .find((m) => m !== undefined)
      ?.atK.map((a) => a.label) ?? [];
  const capacity = board.entries.flatMap((e) => Object.values(e.metrics)).find((m) => m?.capacity)?.capacity;
  const cap = capacity ? `${capacity.capacityPerDay} alerts a day` : 'the reviewing capacity';
  const atK = (i: number, field: 'precision' | 'recall' | 'ndcg') => (m: SourceMetrics) => m.atK[i]?.[field] ?? null;
  return [
    {
      metric: 'ROC-AUC',
      short: 'ROC-AUC',
      title: 'area under the ROC curve: P(a positive scores above a negative)',
      value: (m) => m.rocAuc,
      digits: 3,
    },
    {
      metric: 'PR-AUC',
      short: 'PR-AUC',
      title: 'average precision over the ranking',
      value: (m) => m.prAuc,
      digits: 3,
    },
    ...ks.flatMap((label, i) => [
      {
        metric: `precision@${kName(label)}`,
        short: `P@${kName(label)}`,
        title: `precision of the top ${label} alerts`,
        value: atK(i, 'precision'),
        digits: 3,
      },
      {
        metric: `recall@${kName(label)}`,
        short: `R@${kName(label)}`,
        title: `recall of the top ${label} alerts`,
        value: atK(i, 'recall'),
        digits: 3,
      },
    ]),
    ...ks.map((label, i) => ({
      metric: `NDCG@${kName(label)}`,
      short: `NDCG@${kName(label)}`,
      title: `normalised discounted cumulative gain of the top ${label}`,
      value: atK(i, 'ndcg'),
      digits: 3,
    })),
    {
      metric: 'Brier',
      short: 'Brier',
      title: 'mean squared error of the probabilities (probability scores only; lower is better)',
      value: (m) => m.brier,
      digits: 3,
    },
    {
      metric: 'capacity threshold',
      short: 'cap. threshold',
      title: `the score threshold fitted on the training alerts for ${cap}`,
      value: (m) => finite(m.capacity?.threshold),
      digits: 3,
    },
    {
      metric: 'capacity precision',
      short: 'cap. P',
      title: `precision of the alerts over the capacity threshold (${cap})`,
      value: (m) => m.capacity?.precision ?? null,
      digits: 3,
    },
    {
      metric: 'capacity recall',
      short: 'cap. R',
      title: `recall of the alerts over the capacity threshold (${cap})`,
      value: (m) => m.capacity?.recall ?? null,
      digits: 3,
    },
    {
      metric: 'flagged per day',
      short: 'flagged/day',
      title: `held-out alerts a day over the capacity threshold (target ${cap})`,
      value: (m) => m.capacity?.flaggedPerDay ?? null,
      digits: 1,
    },
  ];
}

function finite(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}

export type EntryStatus = 'done' | 'failed' | 'cancelled' | 'skipped';

export function entryStatus(e: BoardEntry): EntryStatus {
  return e.error ? 'failed' : e.cancelled ? 'cancelled' : e.skipped ? 'skipped' : 'done';
}

/** The most trustworthy source a finished entry has a ROC-AUC against, as the board ranks. */
export function headlineSource(e: BoardEntry, rankedBy: SourceName | null): SourceName | null {
  if (rankedBy && e.metrics[rankedBy]?.rocAuc != null) return rankedBy;
  return SOURCE_ORDER.find((s) => e.metrics[s]?.rocAuc != null) ?? null;
}

// ---------------------------------------------------------------------------------------------
// The results

/** What the results are built from: the board and, per finished strategy, its row scores. */
export interface CompareOutcome {
  board: Leaderboard;
  runs: { name: string; scores?: Float64Array; training: TrainingSummary[] }[];
  sources: EvaluationSource[];
  held: HeldOut;
}

const make = (cell: string, part: ComparePart, rows: Record<string, PlainValue>[], waiting?: string): MemoryResult => ({
  kind: 'memory',
  name: memoryResultName(cell, part),
  columns: COLUMNS[part].map(([name, type]): MemoryColumn => ({ name, type })),
  rows,
  ...(waiting !== undefined && { waiting }),
});

/** Every part with no rows, saying why: the cell has not trained yet. */
export function waitingResults(cell: string, why: string): MemoryResult[] {
  return COMPARE_PARTS.map((part) => make(cell, part, [], why));
}

export function compareResults(cell: string, outcome: CompareOutcome): MemoryResult[] {
  const { board } = outcome;
  const columns = metricColumns(board);
  const entries = board.entries.map((e, i) => {
    const source = headlineSource(e, board.rankedBy);
    const m = source ? e.metrics[source] : undefined;
    return {
      rank: i + 1,
      strategy: e.strategy,
      kind: e.kind,
      score_kind: e.scoreKind,
      status: entryStatus(e),
      ranked_by: source,
      roc_auc: m?.rocAuc ?? null,
      pr_auc: m?.prAuc ?? null,
      features: e.features,
      fit_seconds: e.seconds.fit,
      reason: e.error ?? e.cancelled ?? e.skipped ?? null,
      model_version: e.modelVersion,
    };
  });
  const metrics = board.entries.flatMap((e) =>
    board.sources.flatMap((s) => {
      const m = e.metrics[s.name];
      if (!m) return [];
      const row = (metric: string, value: number | null) => ({ strategy: e.strategy, source: s.name, metric, value });
      const calibrated = e.calibration?.bySource[s.name];
      return [
        ...columns.map((c) => row(c.metric, c.value(m))),
        ...(calibrated ? [row(CALIBRATED_BRIER, calibrated.brierAfter)] : []),
      ];
    }),
  );
  const auc = board.entries.flatMap((e) =>
    board.sources.flatMap((s) => {
      const m = e.metrics[s.name];
      return m ? [{ strategy: e.strategy, source: s.name, roc_auc: m.rocAuc, pr_auc: m.prAuc }] : [];
    }),
  );
  const sources = board.sources.map((s) => ({
    source: s.name,
    description: s.description,
    labelled: s.labelled,
    positives: s.positives,
    ranked_by: s.name === board.rankedBy ? 'yes' : '',
  }));
  const roc: Record<string, PlainValue>[] = [];
  const pr: Record<string, PlainValue>[] = [];
  const scores: Record<string, PlainValue>[] = [];
  for (const run of outcome.runs) {
    if (!run.scores) continue;
    const percentile = percentiles(reduceToUnits(outcome.held.test, outcome.held.info, run.scores).scores);
    for (const source of outcome.sources) {
      const units = reduceToUnits(outcome.held.test, outcome.held.info, run.scores, source.y);
      const key = { strategy: run.name, source: source.info.name };
      for (const p of thin(rocCurve(units.scores, units.labels), CURVE_POINTS))
        roc.push({ ...key, fpr: p.x, tpr: p.y });
      for (const p of thin(prCurve(units.scores, units.labels), CURVE_POINTS))
        pr.push({ ...key, recall: p.x, precision: p.y });
      scores.push(...scoreBins(key, percentile, units.labels));
    }
  }
  const training = outcome.runs.flatMap((run) =>
    // Only iterative training has curves: a forest's one "epoch" has no loss.
    run.training.flatMap((t) =>
      t.history
        .filter((h) => Number.isFinite(h.loss))
        .map((h) => ({
          strategy: run.name,
          stage: t.stage,
          epoch: h.epoch,
          loss: h.loss,
          val_loss: Number.isFinite(h.valLoss) ? h.valLoss : null,
        })),
    ),
  );
  const notes = [
    ...board.notes.map((note) => ({ strategy: '', note })),
    ...board.entries.flatMap((e) =>
      [
        ...(e.error ? [`failed: ${e.error}`] : []),
        ...(e.cancelled ? [e.cancelled] : []),
        ...(e.skipped ? [`skipped: ${e.skipped}`] : []),
        ...e.notes,
      ].map((note) => ({ strategy: e.strategy, note })),
    ),
  ];
  return [
    make(cell, 'entries', entries),
    make(cell, 'auc', auc),
    make(cell, 'board', metrics),
    make(cell, 'sources', sources),
    make(cell, 'roc', roc),
    make(cell, 'pr', pr),
    make(cell, 'scores', scores),
    make(cell, 'training', training),
    make(cell, 'notes', notes),
    make(cell, 'validator', previewRows(board.validator)),
  ];
}

/** At most `n` points, evenly spaced along the curve, keeping its first and last. */
export function thin(points: CurvePoint[], n: number): CurvePoint[] {
  if (points.length <= n) return points;
  const out: CurvePoint[] = [];
  for (let i = 0; i < n; i++) out.push(points[Math.round((i * (points.length - 1)) / (n - 1))]!);
  return out;
}

/** Each score's place among all of them, 0 (lowest) to 1 (highest), ties sharing their mid-rank. */
export function percentiles(scores: Float64Array): Float64Array {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    scores[a]! < scores[b]! ? -1 : scores[a]! > scores[b]! ? 1 : 0,
  );
  const out = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const mid = n > 1 ? (i + j) / 2 / (n - 1) : 0.5;
    for (let k = i; k <= j; k++) out[order[k]!] = mid;
    i = j + 1;
  }
  return out;
}

function scoreBins(
  key: { strategy: string; source: string },
  percentile: Float64Array,
  labels: Float64Array,
): Record<string, PlainValue>[] {
  const counts = { positive: new Array<number>(SCORE_BINS).fill(0), negative: new Array<number>(SCORE_BINS).fill(0) };
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) continue;
    const bin = Math.min(SCORE_BINS - 1, Math.floor(percentile[i]! * SCORE_BINS));
    counts[y === 1 ? 'positive' : 'negative'][bin]!++;
  }
  return (['positive', 'negative'] as const).flatMap((label) => {
    const total = counts[label].reduce((a, b) => a + b, 0);
    if (total === 0) return [];
    return counts[label].map((alerts, b) => ({
      ...key,
      label,
      x0: b / SCORE_BINS,
      x1: (b + 1) / SCORE_BINS,
      alerts,
      share: alerts / total,
    }));
  });
}
