/**
 * Warnings a miner must not miss about a proxy rule, each measured on the loaded data (never
 * asserted from what the SOT is documented to do):
 * - the uncertain group is empty (so there is no grey zone, and nothing for semi-supervised use);
 * - the rule yields one class only;
 * - the positive rate is under 1% or over 60%;
 * - severity is itself a bucketing of confidence here, so the severity tests add nothing a
 *   confidence threshold would not, and the rule re-learns the SOT's own cut points;
 * plus notes on alerts the rule cannot judge (NULL confidences, severities in neither list).
 */
import type { ProxyLabelConfig } from './config.ts';
import type { Evaluation, Key, LabelCube, SeverityRange } from './cube.ts';
import { summarize } from './stats.ts';

export type WarningId =
  | 'uncertain-empty'
  | 'single-class'
  | 'positive-rate-low'
  | 'positive-rate-high'
  | 'severity-is-confidence'
  | 'null-confidence'
  | 'unlisted-severity';

export interface ProxyWarning {
  id: WarningId;
  /** 'warning': the labels are likely misleading; 'note': worth knowing. */
  level: 'warning' | 'note';
  message: string;
  /** The numbers behind the message. */
  measured: Record<string, number | string | null>;
}

/** Positive rates outside this range get a warning. */
export const POSITIVE_RATE_BOUNDS = { low: 0.01, high: 0.6 } as const;

/**
 * How the SOT derives severity from confidence (sot-schema.md, "How the SOT sets them"): the
 * first cut a confidence reaches, else low. Used only to measure whether the data follows it.
 */
export const SOT_SEVERITY_CUTS: readonly { severity: string; min: number }[] = [
  { severity: 'critical', min: 0.9 },
  { severity: 'high', min: 0.75 },
  { severity: 'medium', min: 0.6 },
];

/** Share of alerts matching the SOT bucketing above which severity counts as derived. */
const DERIVED_SHARE = 0.95;

export function proxyWarnings(
  cube: LabelCube,
  config: ProxyLabelConfig,
  ev: Evaluation = cube.evaluate(config),
): ProxyWarning[] {
  const out: ProxyWarning[] = [];
  const s = summarize(ev.overall);
  if (s.total === 0) return out;
  const ranges = cube.severityRanges();
  const lowest = minOf(ranges.map((r) => r.min));

  // Alerts without a confidence are uncertain whenever their severity is not negative outright;
  // the grey zone the rule means to leave is the uncertain alerts that HAVE a confidence.
  const negativeOutright = new Set<Key>(config.negative.severities);
  const uncertainWithoutConfidence = sum(ranges.filter((r) => !negativeOutright.has(r.severity)).map((r) => r.nulls));
  const greyZone = s.uncertain - uncertainWithoutConfidence;
  if (greyZone === 0) {
    const belowNeg = sum(cube.countBelowBySeverity(config.negative.max_confidence));
    const only =
      s.uncertain === 0
        ? `No alert is uncertain: all ${fmt(s.total)} get a label`
        : `No alert with a confidence is uncertain (the ${fmt(s.uncertain)} uncertain alerts are those without one)`;
    out.push({
      id: 'uncertain-empty',
      level: 'warning',
      message:
        `${only}, so nothing is left out of training as doubtful and a semi-supervised strategy has nothing to learn ` +
        `from. The lowest confidence here is ${num(lowest)}, so "confidence < ${config.negative.max_confidence}" labels ` +
        `${fmt(belowNeg)} alerts: the negatives come from severity (${config.negative.severities.join(', ') || 'none'}), ` +
        `and the labels only restate the SOT's severity.`,
      measured: {
        alerts: s.total,
        uncertain: s.uncertain,
        uncertainWithConfidence: greyZone,
        lowestConfidence: lowest,
        belowNegativeThreshold: belowNeg,
      },
    });
  }

  if (s.positive + s.negative > 0 && (s.positive === 0 || s.negative === 0)) {
    const only = s.positive === 0 ? 'negative' : 'positive';
    out.push({
      id: 'single-class',
      level: 'warning',
      message: `The rule labels every labelled alert ${only} (${fmt(s.positive)} positive, ${fmt(s.negative)} negative): a classifier cannot be trained on one class.`,
      measured: { positive: s.positive, negative: s.negative },
    });
  }

  const rate = s.positiveRate;
  if (rate !== null && s.positive > 0 && s.negative > 0 && rate < POSITIVE_RATE_BOUNDS.low) {
    out.push({
      id: 'positive-rate-low',
      level: 'warning',
      message: `Only ${pct(rate)} of the labelled alerts are positive (${fmt(s.positive)} of ${fmt(s.positive + s.negative)}): too few positives to learn from; lower positive.min_confidence or widen positive.severities.`,
      measured: { positiveRate: rate, positive: s.positive, labelled: s.positive + s.negative },
    });
  }
  if (rate !== null && s.positive > 0 && s.negative > 0 && rate > POSITIVE_RATE_BOUNDS.high) {
    out.push({
      id: 'positive-rate-high',
      level: 'warning',
      message: `${pct(rate)} of the labelled alerts are positive (${fmt(s.positive)} of ${fmt(s.positive + s.negative)}): far above any plausible share of illicit activity; the rule calls most alerts illicit.`,
      measured: { positiveRate: rate, positive: s.positive, labelled: s.positive + s.negative },
    });
  }

  const derived = severityFromConfidence(cube, ranges, config);
  if (derived) out.push(derived);

  const nulls = sum(ranges.map((r) => r.nulls));
  if (nulls > 0) {
    out.push({
      id: 'null-confidence',
      level: 'note',
      message:
        `${fmt(nulls)} alerts have no confidence: both confidence tests fail for them, so they are negative only ` +
        `through their severity and never positive (the template would read them as 0.5).`,
      measured: { nullConfidence: nulls },
    });
  }

  const listed = new Set<Key>([...config.positive.severities, ...config.negative.severities]);
  const unlisted = ranges.filter((r) => !listed.has(r.severity) && r.n + r.nulls > 0);
  if (unlisted.length > 0) {
    const n = sum(unlisted.map((r) => r.n + r.nulls));
    const names = unlisted.map((r) => (r.severity === null ? 'NULL' : `'${r.severity}'`)).join(', ');
    out.push({
      id: 'unlisted-severity',
      level: 'note',
      message: `${fmt(n)} alerts have a severity in neither list (${names}): they are never positive, and negative only below confidence ${config.negative.max_confidence}.`,
      measured: { alerts: n, severities: names },
    });
  }
  return out;
}

/**
 * Measures how far severity is a function of confidence on this data: the share of alerts whose
 * severity is exactly the SOT's bucket of their confidence, and whether the severities' confidence
 * ranges are disjoint and ordered. When they are, the positive rule's severity test is a
 * confidence threshold in disguise; the warning says which one, checked by counting.
 */
function severityFromConfidence(
  cube: LabelCube,
  ranges: SeverityRange[],
  config: ProxyLabelConfig,
): ProxyWarning | null {
  const index = new Map(ranges.map((r, i) => [r.severity, i]));
  // Each SOT severity's confidence interval [lo, hi): critical [0.9, -), high [0.75, 0.9), ... low [-, 0.6).
  const buckets = [
    ...SOT_SEVERITY_CUTS.map((c, i) => ({
      severity: c.severity,
      lo: c.min as number | null,
      hi: i === 0 ? null : SOT_SEVERITY_CUTS[i - 1]!.min,
    })),
    { severity: 'low', lo: null, hi: SOT_SEVERITY_CUTS[SOT_SEVERITY_CUTS.length - 1]!.min },
  ];
  const below = new Map<number, number[]>();
  const countBelow = (t: number, s: number) => {
    if (!below.has(t)) below.set(t, cube.countBelowBySeverity(t));
    return below.get(t)![s]!;
  };
  let bucketed = 0;
  let matching = 0;
  for (const b of buckets) {
    const s = index.get(b.severity);
    if (s === undefined) continue;
    const r = ranges[s]!;
    bucketed += r.n;
    matching += (b.hi === null ? r.n : countBelow(b.hi, s)) - (b.lo === null ? 0 : countBelow(b.lo, s));
  }
  if (bucketed === 0) return null;
  const share = matching / bucketed;

  // Ordered, disjoint ranges: each severity's lowest confidence is above the previous one's highest.
  const ordered = [...buckets]
    .reverse()
    .map((b) => ranges.find((r) => r.severity === b.severity))
    .filter((r): r is SeverityRange => r !== undefined && r.min !== null);
  const disjoint = ordered.length > 1 && ordered.every((r, i) => i === 0 || r.min! > ordered[i - 1]!.max!);
  if (share < DERIVED_SHARE && !disjoint) return null;

  const spans = ordered.map((r) => `${r.severity} ${num(r.min)}-${num(r.max)}`).join(', ');
  const measured: ProxyWarning['measured'] = {
    matchingSotBuckets: share,
    alertsChecked: bucketed,
    disjointRanges: disjoint ? 1 : 0,
  };
  // The positive test (severity in P and c >= min) always picks a subset of "c >= t" for
  // t = max(min, lowest confidence of any positive severity); equal counts make the sets equal.
  let equivalence = '';
  const positive = new Set<Key>(config.positive.severities);
  const lowestPositive = minOf(ranges.filter((r) => positive.has(r.severity)).map((r) => r.min));
  if (lowestPositive !== null) {
    const t = Math.max(config.positive.min_confidence, lowestPositive);
    const votes = cube.tally(config).votesPositive.n;
    const plain = cube.alerts - sum(cube.countBelowBySeverity(t)) - sum(ranges.map((r) => r.nulls));
    measured.equivalentThreshold = t;
    measured.equivalent = plain === votes ? 1 : 0;
    if (plain === votes) {
      equivalence = ` Here the positive test picks exactly the ${fmt(votes)} alerts with confidence >= ${num(t)}, whatever their severity.`;
    }
  }
  return {
    id: 'severity-is-confidence',
    level: 'warning',
    message:
      `Severity is a bucketing of confidence in this data: ${pct(share)} of ${fmt(bucketed)} alerts have exactly the severity the SOT ` +
      `gives their confidence (>= 0.9 critical, >= 0.75 high, >= 0.6 medium, else low)` +
      `${disjoint ? `, and the severities' confidence ranges do not overlap (${spans})` : ''}. The severity tests add no ` +
      `information beyond confidence thresholds, and a model trained on these labels re-learns the SOT's own rule.${equivalence}`,
    measured,
  };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function minOf(xs: (number | null)[]): number | null {
  const present = xs.filter((x): x is number => x !== null);
  return present.length === 0 ? null : Math.min(...present);
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 2 : 1)}%`;
const num = (x: number | null) => (x === null ? 'n/a' : String(Number(x.toFixed(6))));
