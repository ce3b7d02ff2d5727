/**
 * The proxy-label rule as arithmetic on counts: the cube's side of the rule that proxy-sql.ts
 * writes as SQL per alert (`votes_positive = s IN positive AND c >= min`, `votes_negative = s IN
 * negative OR c < max`, label from the votes and on_conflict). test/labels-rule-conformance.test.ts
 * holds the two to the same counts.
 *
 * For one group of alerts of one severity: `total` have a confidence, `nulls` have none, and
 * `belowMin` / `belowMax` of them have confidence < minConfidence / < maxConfidence. Then
 *
 *                    positive severity              negative severity    other severity
 *   votes positive   total - belowMin               0                    0
 *   votes negative   belowMax                       total + nulls        belowMax
 *   both (conflict)  max(0, belowMax - belowMin)    0                    0
 *
 * label 1 is the positive votes less the conflicts, label 0 the negative votes less the
 * conflicts, the conflicts going to the side on_conflict names; the rest are uncertain. A NULL
 * confidence fails both confidence tests, as in the SQL, so `nulls` count only through a
 * negative severity.
 */
import type { ProxyLabelConfig } from './config.ts';

/** Per-alert measures kept per severity besides the count: the reference labels the rule is compared with. */
export const REFERENCE_MEASURES = ['truthPos', 'truthNeg', 'explicitPos', 'explicitNeg'] as const;
export type ReferenceMeasure = (typeof REFERENCE_MEASURES)[number];

/** Alert counts with how the reference labels split them. */
export interface Measures {
  n: number;
  truthPos: number;
  truthNeg: number;
  explicitPos: number;
  explicitNeg: number;
}

/** What the rule does to a set of alerts. Votes are before `on_conflict`; labels after it. */
export interface Tally {
  positive: Measures;
  negative: Measures;
  uncertain: Measures;
  votesPositive: Measures;
  votesNegative: Measures;
  /** Alerts both tests vote for (they conflict: one says 1, the other 0). */
  overlap: Measures;
}

export interface LabelCounts {
  positive: number;
  negative: number;
  uncertain: number;
}

/** Keys are SQL values as text ('PEEL_CHAIN', '2026-01-05', '7'); null for a NULL value. */
export type Key = string | null;

/** Which of the rule's severity lists a severity is in. */
export type SeverityClass = 'positive' | 'negative' | 'other';

export function severityClasses(config: ProxyLabelConfig, severities: readonly Key[]): SeverityClass[] {
  const positive = new Set<Key>(config.positive.severities);
  const negative = new Set<Key>(config.negative.severities);
  return severities.map((s) => (positive.has(s) ? 'positive' : negative.has(s) ? 'negative' : 'other'));
}

/** The counts one measure of one group splits into. */
export interface RuleSplit extends LabelCounts {
  votesPositive: number;
  votesNegative: number;
  overlap: number;
}

/** Counts of one measure of one group of alerts of one severity class (see the file comment). */
export interface GroupCounts {
  total: number;
  nulls: number;
  belowMin: number;
  belowMax: number;
}

/** One measure of one group split by the rule. */
export function splitByRule(
  severityClass: SeverityClass,
  { total, nulls, belowMin, belowMax }: GroupCounts,
  onConflict: ProxyLabelConfig['on_conflict'],
): RuleSplit {
  let votesPositive = 0;
  let votesNegative: number;
  let overlap = 0;
  if (severityClass === 'positive') {
    votesPositive = total - belowMin;
    votesNegative = belowMax;
    overlap = Math.max(0, belowMax - belowMin);
  } else if (severityClass === 'negative') {
    votesNegative = total + nulls;
  } else {
    votesNegative = belowMax;
  }
  const positive = votesPositive - overlap + (onConflict === 'positive' ? overlap : 0);
  const negative = votesNegative - overlap + (onConflict === 'negative' ? overlap : 0);
  return { positive, negative, uncertain: total + nulls - positive - negative, votesPositive, votesNegative, overlap };
}

/** A severity's tally from its split of each measure (in `n`, then REFERENCE_MEASURES order). */
export function tallyOf(splits: readonly RuleSplit[]): Tally {
  const pick = (f: (x: RuleSplit) => number): Measures => ({
    n: f(splits[0]!),
    truthPos: f(splits[1]!),
    truthNeg: f(splits[2]!),
    explicitPos: f(splits[3]!),
    explicitNeg: f(splits[4]!),
  });
  return {
    positive: pick((x) => x.positive),
    negative: pick((x) => x.negative),
    uncertain: pick((x) => x.uncertain),
    votesPositive: pick((x) => x.votesPositive),
    votesNegative: pick((x) => x.votesNegative),
    overlap: pick((x) => x.overlap),
  };
}

const zeroMeasures = (): Measures => ({ n: 0, truthPos: 0, truthNeg: 0, explicitPos: 0, explicitNeg: 0 });

export function addMeasures(a: Measures, b: Measures): Measures {
  return {
    n: a.n + b.n,
    truthPos: a.truthPos + b.truthPos,
    truthNeg: a.truthNeg + b.truthNeg,
    explicitPos: a.explicitPos + b.explicitPos,
    explicitNeg: a.explicitNeg + b.explicitNeg,
  };
}

export function sumTallies(tallies: readonly Tally[]): Tally {
  const out: Tally = {
    positive: zeroMeasures(),
    negative: zeroMeasures(),
    uncertain: zeroMeasures(),
    votesPositive: zeroMeasures(),
    votesNegative: zeroMeasures(),
    overlap: zeroMeasures(),
  };
  for (const t of tallies) {
    for (const k of Object.keys(out) as (keyof Tally)[]) out[k] = addMeasures(out[k], t[k]);
  }
  return out;
}
