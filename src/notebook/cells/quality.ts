/**
 * A quality cell: how good the labels are, from src/quality: coverage and class balance per
 * label source, agreement and Cohen's kappa between every pair of sources (and the ground truth
 * where loaded), and optionally the suspected mislabels (confident learning on out-of-fold
 * predictions), published for plot and table cells (`quality.agreement`).
 *
 * Labels change outside the notebook's inputs (an import cell, the Labels and Review views), so a
 * quality cell lists the import cells it must follow in `after`, and the app re-runs it when
 * labels change. Suspects train one model per fold: a linear learner here, which takes a moment
 * on a few hundred explicit labels (the Labels view offers the dense one, off the page's thread).
 *
 * `apply_proxy_rule` writes the rule's labels into the alerts' label columns, so, like a labels
 * cell, it writes only when the notebook lets it (`RunContext.write`: headless runs, or the
 * user's Confirm in the app); otherwise the cell says what the rule would write, and reports on
 * the labels as they are.
 */
import type { PlainValue } from '../../db/values.ts';
import { applyProxyLabels, type ApplyResult } from '../../labels/apply.ts';
import { previewProxyLabels, type ApplyPreview } from '../../labels/apply-preview.ts';
import { DEFAULT_CONFIG } from '../../labels/config.ts';
import { logisticLearner } from '../../ml/learner.ts';
import { labelQuality, type QualityReport } from '../../quality/index.ts';
import { findSuspectedMislabels, TooFewLabelsError, type SuspectReport } from '../../quality/mislabel-suspects.ts';
import { RATER_TITLES } from '../../quality/plots.ts';
import { parseTrainingConfig } from '../../experiment/config.ts';
import { yamlBody, type CellKindModule } from '../cell-kind.ts';
import { QualitySpec } from '../cell-schemas.ts';
import { qualityCellLines } from '../labels-text.ts';
import { memoryResultName, type MemoryColumn, type MemoryResult } from '../memory-results.ts';
import { throwIfStale, type NotebookWrites, type RunContext } from './context.ts';

export interface QualityCellSpec {
  kind: 'quality';
  quality: QualitySpec;
}

/** Every result a quality cell publishes, with what one row is. */
export const QUALITY_RESULTS = {
  coverage:
    'one row per rater (proxy, miner, community, validated, effective, ground truth): rater, labelled (alert rows), share (of all alert rows), positive, negative, positive_rate',
  agreement:
    'one row per pair of raters labelling common alert rows: a, b, rows (labelled by both), agree (share), kappa, both_positive, both_negative, only_a_positive, only_b_positive',
  suspects:
    'the labels the model most confidently disputes, most suspicious first: rank, alert_id, processing_date, window_days, label, source, labeled_by, p (out-of-fold P(illicit)), margin',
} as const;
export type QualityPart = keyof typeof QUALITY_RESULTS;
export const QUALITY_PARTS = Object.keys(QUALITY_RESULTS) as QualityPart[];

export interface QualityResult {
  kind: 'quality';
  name: string;
  report: QualityReport;
  /** Present when the cell asks for suspects and there are labels to check. */
  suspects?: SuspectReport;
  /** Why the suspects the cell asks for were not computed (no labels of both classes yet). */
  suspectsSkipped?: string;
  /** Present with `apply_proxy_rule`: what the rule wrote, or would write once confirmed. */
  proxyRule?: ProxyRuleOutcome;
  results: MemoryResult[];
}

/**
 * `apply_proxy_rule`'s outcome: `written` by this run (headless, or confirmed), `applied`
 * earlier (the label columns hold the rule's labels), or `pending` (would write; not confirmed).
 */
export type ProxyRuleOutcome =
  | { state: 'written'; writes: NotebookWrites; result: ApplyResult }
  | { state: 'applied' | 'pending'; preview: ApplyPreview };

export async function runQualityCell(name: string, spec: QualitySpec, ctx: RunContext): Promise<QualityResult> {
  let proxyRule: ProxyRuleOutcome | undefined;
  if (spec.apply_proxy_rule) {
    if (ctx.write) {
      // Once per data load: the rule writes the same labels every time.
      const result = await ctx.memo('quality:default-proxy-rule', () => applyProxyLabels(ctx.db, DEFAULT_CONFIG));
      proxyRule = { state: 'written', writes: ctx.writes, result };
    } else {
      const preview = await previewProxyLabels(ctx.db, DEFAULT_CONFIG);
      proxyRule = { state: preview.applied > 0 ? 'applied' : 'pending', preview };
    }
  }
  throwIfStale(ctx.signal);
  const report = await labelQuality(ctx.db);
  throwIfStale(ctx.signal);
  let suspects: SuspectReport | undefined;
  let suspectsSkipped: string | undefined;
  if (spec.suspects) {
    const { labels, folds, limit } = spec.suspects;
    try {
      const found = await findSuspectedMislabels(ctx.db, {
        config: parseTrainingConfig({}),
        labels,
        learner: logisticLearner(),
        folds,
      });
      suspects = { ...found, suspects: found.suspects.slice(0, limit) };
    } catch (e) {
      // Nothing imported yet (a notebook opened in the app waits for Confirm): a state, not a failure.
      if (!(e instanceof TooFewLabelsError)) throw e;
      suspectsSkipped = e.message;
    }
    throwIfStale(ctx.signal);
  }
  return {
    kind: 'quality',
    name,
    report,
    ...(suspects && { suspects }),
    ...(suspectsSkipped !== undefined && { suspectsSkipped }),
    ...(proxyRule && { proxyRule }),
    results: qualityResults(name, report, suspects),
  };
}

const col = (name: string, type: MemoryColumn['type']): MemoryColumn => ({ name, type });

export function qualityResults(cell: string, report: QualityReport, suspects?: SuspectReport): MemoryResult[] {
  const part = (p: QualityPart, columns: MemoryColumn[], rows: Record<string, PlainValue>[]): MemoryResult => ({
    kind: 'memory',
    name: memoryResultName(cell, p),
    columns,
    rows,
  });
  return [
    part(
      'coverage',
      [
        col('rater', 'VARCHAR'),
        col('labelled', 'BIGINT'),
        col('share', 'DOUBLE'),
        col('positive', 'BIGINT'),
        col('negative', 'BIGINT'),
        col('positive_rate', 'DOUBLE'),
      ],
      report.coverage.raters.map((r) => ({
        rater: RATER_TITLES[r.rater],
        labelled: r.labelled,
        share: r.share,
        positive: r.positive,
        negative: r.negative,
        positive_rate: r.positiveRate,
      })),
    ),
    part(
      'agreement',
      [
        col('a', 'VARCHAR'),
        col('b', 'VARCHAR'),
        col('rows', 'BIGINT'),
        col('agree', 'DOUBLE'),
        col('kappa', 'DOUBLE'),
        col('both_positive', 'BIGINT'),
        col('both_negative', 'BIGINT'),
        col('only_a_positive', 'BIGINT'),
        col('only_b_positive', 'BIGINT'),
      ],
      report.agreement.pairs
        .filter((p) => p.n > 0)
        .map((p) => ({
          a: RATER_TITLES[p.a],
          b: RATER_TITLES[p.b],
          rows: p.n,
          agree: p.observed,
          kappa: p.kappa,
          both_positive: p.matrix[1][1],
          both_negative: p.matrix[0][0],
          only_a_positive: p.matrix[1][0],
          only_b_positive: p.matrix[0][1],
        })),
    ),
    part(
      'suspects',
      [
        col('rank', 'BIGINT'),
        col('alert_id', 'VARCHAR'),
        col('processing_date', 'VARCHAR'),
        col('window_days', 'BIGINT'),
        col('label', 'BIGINT'),
        col('source', 'VARCHAR'),
        col('labeled_by', 'VARCHAR'),
        col('p', 'DOUBLE'),
        col('margin', 'DOUBLE'),
      ],
      (suspects?.suspects ?? []).map((s) => ({
        rank: s.rank,
        alert_id: s.alertId,
        processing_date: s.processingDate,
        window_days: s.windowDays,
        label: s.label,
        source: s.source,
        labeled_by: s.labeledBy,
        p: s.p,
        margin: s.margin,
      })),
    ),
  ];
}

/**
 * The quality kind: it runs after the labels cells its `after` lists (read whole, not by part:
 * the labels they import are in the database), and publishes its report in memory.
 */
export const qualityCell: CellKindModule<'quality', QualityCellSpec, QualityResult> = {
  kind: 'quality',
  writes: true,
  expected:
    'a YAML label-quality report ({after: [community], apply_proxy_rule: true, suspects: {labels: explicit, folds: 5, limit: 25}})',
  parse: yamlBody(QualitySpec, (quality) => ({ kind: 'quality', quality })),
  uses({ quality }, scope) {
    const notLabels = quality.after.filter((a) => scope.kindOf(a) !== 'labels');
    if (notLabels.length === 0) return { after: quality.after };
    const known = scope.cellsOf('labels');
    return {
      after: quality.after,
      problem: `after: ${notLabels.join(', ')} ${notLabels.length > 1 ? 'are not labels cells' : 'is not a labels cell'} of this notebook: expected ${known.length ? `one of ${known.join(', ')}` : 'a labels cell to import first'}`,
    };
  },
  publishes: { parts: QUALITY_PARTS, example: 'agreement', results: (value) => value.results },
  run: (cell, ctx) => runQualityCell(cell.name, cell.spec.quality, ctx),
  report: (value, { el }) => qualityCellLines(value).map((line) => el('p', {}, line)),
};
