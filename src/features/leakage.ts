/**
 * The leakage guard. Two protections, both visible on the leaderboard:
 *
 * 1. Default exclusions by what the labels are made of. Proxy labels are the SOT's severity and
 *    confidence (positive: high/critical with confidence >= 0.7), so a model fed those columns,
 *    or the feature table's confidence_score (the same formula), or cluster summaries of them,
 *    only re-learns the rule. Address-label targets (risk high/critical) are likewise defined by
 *    the address-label columns. Unsupervised strategies learn no label, but they are compared
 *    with the rule on the board, so by default they do not see the rule's inputs either.
 * 2. A separation check: any single feature whose values alone rank the training labels almost
 *    perfectly (ROC-AUC >= 0.99, or <= 0.01) is reported; such a column usually encodes the
 *    label. It is only dropped when the configuration says so.
 *
 * Users override both (`allow` keeps an excluded column, `exclude` removes more); every
 * override is listed in the report, and overrides that match nothing are reported too, so a
 * typo does not silently leave a leak in.
 */
import { Random } from '../ml/random.ts';
import { rocAuc } from '../metrics/ranking.ts';
import type { FeatureSpec, LeakTag } from './encode.ts';

/** What a strategy's labels are: decides which tags are excluded by default. */
export type LabelTarget = 'proxy' | 'alert-labels' | 'address-labels' | 'evolution' | 'none';

export interface LeakageOptions {
  /** Feature or source-column names (e.g. `alerts.severity`) to keep despite the defaults. */
  allow: string[];
  /** Feature or source-column names to leave out as well. */
  exclude: string[];
  /** A single feature with ROC-AUC at least this (or at most 1 - this) on the labels is reported. */
  separationAuc: number;
  /** Also drop the features the separation check reports. */
  dropSeparating: boolean;
}

export interface LeakageReport {
  target: LabelTarget;
  /** Features left out, with why. */
  excluded: { feature: string; reason: string }[];
  /** Features kept only because the user allowed them. */
  allowed: string[];
  /** Features that alone separate the training labels. */
  separating: { feature: string; auc: number; dropped: boolean }[];
  /** Override names that matched no feature. */
  unmatched: string[];
  /** Human-readable lines for the board: one per override and per separating feature. */
  notes: string[];
}

const DEFAULT_TAGS: Record<LabelTarget, { tags: LeakTag[]; why: string }> = {
  proxy: { tags: ['severity', 'confidence'], why: 'defines the proxy label (severity/confidence rule)' },
  'alert-labels': { tags: [], why: '' },
  'address-labels': { tags: ['address-label'], why: 'defines the address-label target (risk level)' },
  // Defined by the address's features 30 days later, which no feature column holds.
  evolution: { tags: [], why: '' },
  none: {
    tags: ['severity', 'confidence'],
    why: "is the proxy rule's own input (kept out so the board compares models with the rule)",
  },
};

const matches = (f: FeatureSpec, name: string) => f.name === name || f.column === name;

/** Which feature columns a strategy with `target` trains on, and the report of what was left out. */
export function guardFeatures(
  features: readonly FeatureSpec[],
  target: LabelTarget,
  opts: LeakageOptions,
): { keep: number[]; report: LeakageReport } {
  const defaults = DEFAULT_TAGS[target];
  const report: LeakageReport = { target, excluded: [], allowed: [], separating: [], unmatched: [], notes: [] };
  const keep: number[] = [];
  features.forEach((f, i) => {
    const tagged = f.tags.some((t) => defaults.tags.includes(t));
    const allowed = opts.allow.some((a) => matches(f, a));
    const excluded = opts.exclude.some((e) => matches(f, e));
    if (excluded) report.excluded.push({ feature: f.name, reason: 'excluded by the configuration' });
    else if (tagged && !allowed) report.excluded.push({ feature: f.name, reason: defaults.why });
    else {
      if (tagged && allowed) report.allowed.push(f.name);
      keep.push(i);
    }
  });
  report.unmatched = [...opts.allow, ...opts.exclude].filter((name) => !features.some((f) => matches(f, name)));
  if (report.allowed.length > 0)
    report.notes.push(`leakage override: kept ${report.allowed.join(', ')} (${defaults.why})`);
  const byConfig = report.excluded.filter((e) => e.reason === 'excluded by the configuration').map((e) => e.feature);
  if (byConfig.length > 0) report.notes.push(`excluded by the configuration: ${byConfig.join(', ')}`);
  if (report.unmatched.length > 0)
    report.notes.push(`leakage overrides matching no feature: ${report.unmatched.join(', ')}`);
  return { keep, report };
}

/**
 * Single-feature ROC-AUC of each kept column on the labelled training rows (at most `maxRows`,
 * a seeded sample), reporting those at or beyond the threshold. Returns the columns to keep
 * after `dropSeparating`.
 */
export function checkSeparation(
  x: Float32Array,
  columns: number,
  features: readonly FeatureSpec[],
  keep: readonly number[],
  labelled: { rows: Int32Array; y: Float32Array },
  opts: LeakageOptions,
  report: LeakageReport,
  seed: number,
  maxRows = 20_000,
): number[] {
  const rows =
    labelled.rows.length > maxRows
      ? Int32Array.from(new Random(seed).sample(labelled.rows.length, maxRows), (i) => labelled.rows[i]!)
      : labelled.rows;
  const y = Float32Array.from(rows, (r) => labelled.y[r]!);
  const values = new Float64Array(rows.length);
  const kept: number[] = [];
  for (const j of keep) {
    for (let i = 0; i < rows.length; i++) {
      const v = x[rows[i]! * columns + j]!;
      values[i] = v === v ? v : -Infinity; // a NULL ranks lowest, as "no value"
    }
    const auc = rocAuc(values, y);
    const separates = auc !== null && (auc >= opts.separationAuc || auc <= 1 - opts.separationAuc);
    if (separates) {
      report.separating.push({ feature: features[j]!.name, auc: auc!, dropped: opts.dropSeparating });
      report.notes.push(
        `${features[j]!.name} alone separates the training labels (ROC-AUC ${auc!.toFixed(3)})${opts.dropSeparating ? ': dropped' : ': kept (set leakage.dropSeparating to drop it)'}`,
      );
    }
    if (!(separates && opts.dropSeparating)) kept.push(j);
  }
  return kept;
}
