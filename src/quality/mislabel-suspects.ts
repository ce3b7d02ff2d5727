/**
 * Suspected mislabels in the loaded data: the database side of quality/mislabels.ts. Builds the
 * feature matrix, takes the labels to check (explicit labels only, or the effective labels: the
 * proxy rule with explicit labels winning), computes out-of-fold probabilities with a learner and
 * returns the rows whose label the model most confidently disputes, with the alert's keys, the
 * label's source and who gave it, for review.
 *
 * Validated labels are trusted: the network checked them against what happened, so a model's
 * doubt about one says more about the model than the label. They still train the folds (they are
 * the best labels there are) but are never listed as suspects; the report says how many were
 * set apart and why (`trusted`).
 *
 * Features go through the leakage guard for the labels' target: the proxy rule is made of
 * severity and confidence, and a model that sees them only re-learns the rule and can dispute
 * none of its labels.
 */
import type { Database } from '../db/database.ts';
import { rows as tableRows } from '../db/database.ts';
import { guardFeatures, type LabelTarget } from '../features/leakage.ts';
import { buildFeatureMatrix, selectColumns } from '../features/matrix.ts';
import { ROWS_TABLE } from '../features/rows.ts';
import { applyStandardiser, fitStandardiser } from '../features/standardise.ts';
import type { Learner } from '../ml/learner.ts';
import { derivedSeed } from '../ml/random.ts';
import { EFFECTIVE_LABELS_VIEW } from '../migrations/index.ts';
import type { TrainingConfig } from '../experiment/config.ts';
import { explicitRowLabels, ORIGIN, proxyRowLabels } from '../experiment/row-labels.ts';
import { confidentLearningSuspects, outOfFoldProbabilities, type OutOfFoldInput } from './mislabels.ts';

export type SuspectLabels = 'explicit' | 'effective';

export interface SuspectOptions {
  /** Labels, features, leakage overrides and the seed come from the training configuration. */
  config: TrainingConfig;
  labels: SuspectLabels;
  learner: Learner;
  folds: number;
  /**
   * Where the out-of-fold fits run (the slow part: one fit per fold): in this thread by default;
   * the browser passes one that runs them in a worker (oof-client.ts) with progress and cancel.
   */
  outOfFold?: (input: OutOfFoldInput) => Promise<Float64Array>;
}

export interface SuspectRow {
  rank: number;
  alertId: string;
  windowDays: number;
  processingDate: string;
  address: string;
  /** The label as given, and where it came from (proxy, miner, community, validated). */
  label: 0 | 1;
  source: string;
  labeledBy: string | null;
  /** Out-of-fold P(illicit). */
  p: number;
  /** p(other class) - p(given class). */
  margin: number;
}

export interface SuspectReport {
  suspects: SuspectRow[];
  /** Labelled rows checked, and positives among them. */
  labelled: number;
  positives: number;
  thresholds: { negative: number; positive: number };
  learner: string;
  folds: number;
  features: number;
  /** Feature columns the leakage guard left out, with why. */
  excluded: { feature: string; reason: string }[];
  /** Labels never listed as suspects: their sources, how many of the suspects they were, and why. */
  trusted: TrustedLabels;
}

/** Sources whose labels are trusted over any model: validated labels (checked by the network). */
export const TRUSTED_SOURCES: readonly string[] = ['validated'];

export const TRUSTED_REASON =
  'validated labels are checked by the network against what happened and outrank every other source, so they are trusted, not disputed';

export interface TrustedLabels {
  sources: readonly string[];
  /** Suspects left out because their label is trusted. */
  rows: number;
  reason: string;
}

/** Why trusted labels are never listed, and how many the model disputed: the panel's, the cell's and the CLI's sentence. */
export function describeTrusted(t: TrustedLabels): string {
  const sources = t.sources.join(', ');
  if (t.rows === 0)
    return `${sources[0]?.toUpperCase() ?? ''}${sources.slice(1)} labels are never listed: ${t.reason}.`;
  const labels = `${t.rows} ${sources} label${t.rows === 1 ? '' : 's'}`;
  return `${labels} the model disputed ${t.rows === 1 ? 'is' : 'are'} not listed: ${t.reason}.`;
}

/** Leave out the suspects whose label comes from a trusted source; the rest keep their order, ranked anew. */
export function setTrustedApart<T extends { source: string; rank: number }>(
  suspects: readonly T[],
  trusted: readonly string[] = TRUSTED_SOURCES,
): { suspects: T[]; trusted: TrustedLabels } {
  const kept = suspects.filter((s) => !trusted.includes(s.source));
  return {
    suspects: kept.map((s, i) => ({ ...s, rank: i + 1 })),
    trusted: { sources: trusted, rows: suspects.length - kept.length, reason: TRUSTED_REASON },
  };
}

interface RowMeta {
  row_idx: number;
  alert_id: string;
  window_days: number;
  processing_date: string;
  address: string;
  label_source: string | null;
  labeled_by: string | null;
}

/** There is nothing to dispute yet: the labels to check lack one class (or are none at all). */
export class TooFewLabelsError extends Error {
  override name = 'TooFewLabelsError';
}

export async function findSuspectedMislabels(db: Database, opts: SuspectOptions): Promise<SuspectReport> {
  const { config } = opts;
  const matrix = await buildFeatureMatrix(db, { maxCategories: config.features.maxCategories });
  const labels =
    opts.labels === 'explicit'
      ? await explicitRowLabels(db, matrix.rows)
      : await proxyRowLabels(db, matrix.rows, config.labels, true);
  const rows = Int32Array.from({ length: matrix.rows }, (_, i) => i).filter(
    (r) => labels.y[r] === 0 || labels.y[r] === 1,
  );
  if (labels.positives === 0 || labels.negatives === 0) {
    throw new TooFewLabelsError(
      `suspected mislabels need labels of both classes; the ${opts.labels} labels hold ${labels.positives} positive and ${labels.negatives} negative rows`,
    );
  }
  const target: LabelTarget = opts.labels === 'explicit' ? 'alert-labels' : 'proxy';
  const guarded = guardFeatures(matrix.features, target, config.leakage);
  const x = selectColumns(matrix.x, matrix.rows, matrix.columns, guarded.keep);
  const columns = guarded.keep.length;
  // Feature statistics only (no labels), so standardising on every row leaks nothing between folds.
  applyStandardiser(
    fitStandardiser(
      x,
      columns,
      Int32Array.from({ length: matrix.rows }, (_, i) => i),
      config.features.clip,
    ),
    x,
    columns,
  );

  const oof = opts.outOfFold ?? outOfFoldProbabilities;
  const p = await oof({
    x,
    columns,
    rows,
    y: labels.y,
    group: matrix.rowInfo.group,
    folds: opts.folds,
    seed: derivedSeed(config.seed, 'mislabels'),
    learner: opts.learner,
  });
  const { thresholds, suspects } = confidentLearningSuspects(rows, labels.y, p);

  const meta = tableRows<RowMeta>(
    await db.query(`SELECT r.row_idx, r.alert_id, CAST(r.window_days AS INTEGER) AS window_days, strftime(r.processing_date, '%Y-%m-%d') AS processing_date, r.address,
  CAST(e.label_source AS VARCHAR) AS label_source, e.labeled_by
FROM ${ROWS_TABLE} AS r LEFT JOIN ${EFFECTIVE_LABELS_VIEW} AS e
  ON e.alert_id = r.alert_id AND e.window_days = r.window_days AND e.processing_date = r.processing_date
ORDER BY r.row_idx`),
  );
  const listed = setTrustedApart(
    suspects.map((s) => {
      const m = meta[s.row]!;
      const proxy = labels.origin[s.row] === ORIGIN.proxy;
      return {
        rank: s.rank,
        alertId: m.alert_id,
        windowDays: Number(m.window_days),
        processingDate: m.processing_date,
        address: m.address,
        label: s.given,
        source: proxy ? 'proxy' : (m.label_source ?? 'explicit'),
        labeledBy: proxy ? null : m.labeled_by,
        p: s.p,
        margin: s.margin,
      };
    }),
  );
  return {
    suspects: listed.suspects,
    trusted: listed.trusted,
    labelled: rows.length,
    positives: labels.positives,
    thresholds,
    learner: opts.learner.name,
    folds: opts.folds,
    features: columns,
    excluded: guarded.report.excluded,
  };
}
