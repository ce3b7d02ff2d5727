/**
 * What a proxy rule does, as plain data for tables and plots: label counts by dimension, the
 * confidence histogram with the thresholds, the threshold sweep, weak-supervision rule
 * statistics, and agreement (precision, recall, Cohen's kappa) with explicit labels or ground
 * truth. Everything here reads the cube (cube.ts), so a threshold change costs microseconds.
 *
 * Agreement is measured on the alerts the rule labels AND the reference labels: uncertain alerts
 * are not guesses, so they are left out, and `coverage` says how much of the reference that is.
 */
import { withThresholds, type ProxyLabelConfig } from './config.ts';
import {
  BREAKDOWNS,
  type Breakdown,
  type Evaluation,
  type HistogramBin,
  type Key,
  type LabelCube,
  type Measures,
  type Tally,
} from './cube.ts';

export const LABELS = ['positive', 'negative', 'uncertain'] as const;
export type LabelName = (typeof LABELS)[number];

/** Reference labels to compare the rule with: ground truth, or explicit (non-proxy) labels. */
export const REFERENCES = ['truth', 'explicit'] as const;
export type Reference = (typeof REFERENCES)[number];

export interface Summary {
  total: number;
  positive: number;
  negative: number;
  uncertain: number;
  /** positive / (positive + negative): the class balance a model trains on; null with no labels. */
  positiveRate: number | null;
  /** uncertain / total. */
  uncertainShare: number | null;
  /** The labels training gets once explicit labels win over the rule (where there are any). */
  effective: { positive: number; negative: number; uncertain: number };
}

export function summarize(t: Tally): Summary {
  const total = t.positive.n + t.negative.n + t.uncertain.n;
  const labelled = t.positive.n + t.negative.n;
  const explicitIn = (m: Measures) => m.explicitPos + m.explicitNeg;
  const explicitPos = t.positive.explicitPos + t.negative.explicitPos + t.uncertain.explicitPos;
  const explicitNeg = t.positive.explicitNeg + t.negative.explicitNeg + t.uncertain.explicitNeg;
  return {
    total,
    positive: t.positive.n,
    negative: t.negative.n,
    uncertain: t.uncertain.n,
    positiveRate: ratio(t.positive.n, labelled),
    uncertainShare: ratio(t.uncertain.n, total),
    effective: {
      positive: t.positive.n - explicitIn(t.positive) + explicitPos,
      negative: t.negative.n - explicitIn(t.negative) + explicitNeg,
      uncertain: t.uncertain.n - explicitIn(t.uncertain),
    },
  };
}

export interface Agreement {
  reference: Reference;
  /** Rule positive / reference positive, and so on. */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Alerts the reference labels, and the share of them the rule labels too. */
  referenceTotal: number;
  coverage: number | null;
  precision: number | null;
  recall: number | null;
  accuracy: number | null;
  kappa: number | null;
}

/** Agreement of the rule's labels with a reference; null when the reference labels nothing. */
export function agreement(t: Tally, reference: Reference): Agreement | null {
  const [pos, neg] =
    reference === 'truth' ? (['truthPos', 'truthNeg'] as const) : (['explicitPos', 'explicitNeg'] as const);
  const referenceTotal = LABELS.reduce((n, l) => n + t[l][pos] + t[l][neg], 0);
  if (referenceTotal === 0) return null;
  const tp = t.positive[pos];
  const fp = t.positive[neg];
  const fn = t.negative[pos];
  const tn = t.negative[neg];
  const n = tp + fp + fn + tn;
  return {
    reference,
    tp,
    fp,
    fn,
    tn,
    referenceTotal,
    coverage: ratio(n, referenceTotal),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    accuracy: ratio(tp + tn, n),
    kappa: cohensKappa(tp, fp, fn, tn),
  };
}

/**
 * Cohen's kappa of two binary labelings from their 2x2 table: observed agreement corrected for
 * the agreement their marginals give by chance. Null when undefined (no pairs, or both
 * labelings constant and equal, so chance agreement is already 1).
 */
export function cohensKappa(tp: number, fp: number, fn: number, tn: number): number | null {
  const n = tp + fp + fn + tn;
  if (n === 0) return null;
  const po = (tp + tn) / n;
  const pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n);
  return pe === 1 ? null : (po - pe) / (1 - pe);
}

/** One bar segment: how many alerts of a dimension value get a label. */
export interface CountRow {
  dimension: 'overall' | 'severity' | Breakdown;
  key: Key;
  label: LabelName;
  count: number;
  /** count / alerts of this key. */
  share: number;
}

/** Label counts overall, by severity, typology, date and window, as tidy rows for plots. */
export function countRows(ev: Evaluation): CountRow[] {
  const out: CountRow[] = [];
  const push = (dimension: CountRow['dimension'], key: Key, c: Record<LabelName, number>) => {
    const total = c.positive + c.negative + c.uncertain;
    for (const label of LABELS)
      out.push({ dimension, key, label, count: c[label], share: total === 0 ? 0 : c[label] / total });
  };
  const n = (t: Tally) => ({ positive: t.positive.n, negative: t.negative.n, uncertain: t.uncertain.n });
  push('overall', null, n(ev.overall));
  for (const s of ev.bySeverity) push('severity', s.key, n(s.tally));
  for (const b of BREAKDOWNS) for (const r of ev.by[b]) push(b, r.key, r.counts);
  return out;
}

export interface Threshold {
  rule: 'positive' | 'negative';
  value: number;
  /** Which severities the threshold applies to (the negative one to all but negative severities). */
  severities: Key[];
}

export interface HistogramData {
  bins: HistogramBin[];
  thresholds: Threshold[];
}

/**
 * The confidence histogram per severity (threshold-independent, cached by the cube) and the
 * rule's thresholds to draw on it, each with the severities it decides.
 */
export function confidenceHistogram(cube: LabelCube, config: ProxyLabelConfig, width = 0.02): HistogramData {
  const negOutright = new Set<Key>(config.negative.severities);
  return {
    bins: cube.histogram(width),
    thresholds: [
      { rule: 'positive', value: config.positive.min_confidence, severities: [...config.positive.severities] },
      {
        rule: 'negative',
        value: config.negative.max_confidence,
        severities: cube.severities.filter((s) => !negOutright.has(s)),
      },
    ],
  };
}

export interface SweepCell {
  minConfidence: number;
  maxConfidence: number;
  positive: number;
  negative: number;
  uncertain: number;
  positiveRate: number | null;
  uncertainShare: number | null;
  truth: Agreement | null;
  explicit: Agreement | null;
}

/** `from`, `from + step`, ... up to `to`, as clean decimals (0.7, not 0.7000000000000001). */
export function grid(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; from + i * step <= to + step / 1e6; i++) out.push(Number((from + i * step).toFixed(6)));
  return out;
}

/**
 * The default grid, steps of 0.05: 11 x 21 cells. Drawn as heatmaps on every threshold move (for
 * the marker), so its size is what the plot budget allows; pass a finer grid to zoom in.
 */
export const DEFAULT_SWEEP = { positive: grid(0.5, 1, 0.05), negative: grid(0, 1, 0.05) };

/**
 * The rule at every (positive threshold x negative threshold) of the grid, severities and
 * conflict handling as configured: label counts, positive rate, uncertain share, and agreement
 * with each reference present. Each threshold costs one prefix lookup, each cell a few sums.
 */
export function sweep(
  cube: LabelCube,
  config: ProxyLabelConfig,
  thresholds: { positive: number[]; negative: number[] } = DEFAULT_SWEEP,
): SweepCell[] {
  const below = new Map<number, Float64Array>();
  const at = (t: number) => {
    let b = below.get(t);
    if (!b) below.set(t, (b = cube.below(t, true)));
    return b;
  };
  const cells: SweepCell[] = [];
  for (const minConfidence of thresholds.positive) {
    for (const maxConfidence of thresholds.negative) {
      const tally = cube.tallyFrom(
        withThresholds(config, minConfidence, maxConfidence),
        at(minConfidence),
        at(maxConfidence),
      );
      const s = summarize(tally);
      cells.push({
        minConfidence,
        maxConfidence,
        positive: s.positive,
        negative: s.negative,
        uncertain: s.uncertain,
        positiveRate: s.positiveRate,
        uncertainShare: s.uncertainShare,
        truth: cube.hasTruth ? agreement(tally, 'truth') : null,
        explicit: cube.hasExplicit ? agreement(tally, 'explicit') : null,
      });
    }
  }
  return cells;
}

export interface RuleStat {
  rule: 'positive' | 'negative';
  /** The label the rule votes for. */
  polarity: 1 | 0;
  votes: number;
  /** Share of all alerts the rule votes on. */
  coverage: number | null;
  /** Share of all alerts where it votes and the other rule votes too. */
  overlap: number | null;
  /**
   * Share of all alerts where it votes and another rule votes a different label. The two rules
   * vote opposite labels, so every overlap is a conflict: the two numbers are equal by
   * construction, and both are zero whenever negative.max_confidence <= positive.min_confidence.
   */
  conflict: number | null;
  /** Share of its votes (with a reference label) that the reference agrees with. */
  accuracy: Record<Reference, number | null>;
  /** Its votes that have a reference label, per reference. */
  checked: Record<Reference, number>;
}

/** Coverage, overlap, conflict and empirical accuracy of the positive and the negative rule. */
export function ruleStats(t: Tally): RuleStat[] {
  const total = t.positive.n + t.negative.n + t.uncertain.n;
  const stat = (rule: 'positive' | 'negative', votes: Measures): RuleStat => {
    const right = (r: Reference) =>
      rule === 'positive'
        ? r === 'truth'
          ? votes.truthPos
          : votes.explicitPos
        : r === 'truth'
          ? votes.truthNeg
          : votes.explicitNeg;
    const checked = { truth: votes.truthPos + votes.truthNeg, explicit: votes.explicitPos + votes.explicitNeg };
    return {
      rule,
      polarity: rule === 'positive' ? 1 : 0,
      votes: votes.n,
      coverage: ratio(votes.n, total),
      overlap: ratio(t.overlap.n, total),
      conflict: ratio(t.overlap.n, total),
      accuracy: { truth: ratio(right('truth'), checked.truth), explicit: ratio(right('explicit'), checked.explicit) },
      checked,
    };
  };
  return [stat('positive', t.votesPositive), stat('negative', t.votesNegative)];
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}
