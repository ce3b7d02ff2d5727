/**
 * Tier 1, integrity: a gate. A submission passes when every alert of its date and window is scored,
 * every score lies in [0, 1], no alert_id comes twice, and every row names its model_version and
 * model_github_url (tier1_integrity.py). Each failing check is reported with its count and first
 * rows, so a miner can fix the file.
 *
 * tier1_integrity_score is the validator's 0.25 x (coverage + share in range + share distinct +
 * share with metadata), where coverage = min(distinct alerts submitted / alerts in the data, 1).
 *
 * Two checks are stricter than the validator's SQL, on purpose, and say so in their messages:
 * - a NaN (or missing) score fails the range check; ClickHouse's `score < 0 OR score > 1` lets NaN
 *   through, and the later tiers' roc_auc_score would then raise;
 * - tier1_has_all_alerts needs every alert of the data by id, and alert ids the data does not have
 *   fail tier1_alerts_known; the validator only compares counts, so unknown ids could hide missing
 *   ones, and its later joins drop them.
 */
import type { SubmissionRow } from './submission.ts';

export const TIER1_CHECKS = [
  'tier1_has_all_alerts',
  'tier1_alerts_known',
  'tier1_score_range_valid',
  'tier1_no_duplicates',
  'tier1_metadata_valid',
] as const;
export type Tier1Check = (typeof TIER1_CHECKS)[number];

/** How many offending rows a failure lists. */
export const FIRST_ROWS = 5;

export interface Tier1Example {
  /** The 1-based row in the scores file, or null for an alert the file lacks. */
  row: number | null;
  alert_id: string;
  /** The offending value, as text. */
  value?: string;
}

export interface Tier1Failure {
  check: Tier1Check;
  message: string;
  count: number;
  first: Tier1Example[];
}

export type Tier1Result = Record<Tier1Check, 0 | 1> & {
  tier1_passed: boolean;
  tier1_integrity_score: number;
  failures: Tier1Failure[];
};

/**
 * `expected` are the alert ids of the data's (processing_date, window_days); `where` names them in
 * messages ("2026-11-10, 7-day window").
 */
export function tier1(rows: readonly SubmissionRow[], expected: readonly string[], where: string): Tier1Result {
  const failures: Tier1Failure[] = [];
  const fail = (check: Tier1Check, message: string, examples: Tier1Example[]) =>
    failures.push({ check, message, count: examples.length, first: examples.slice(0, FIRST_ROWS) });

  const expectedSet = new Set(expected);
  const submitted = new Set(rows.map((r) => r.alert_id));
  const total = rows.length;

  const missing = expected.filter((id) => !submitted.has(id)).map((alert_id) => ({ row: null, alert_id }));
  if (expected.length === 0) fail('tier1_has_all_alerts', `the data has no alerts for ${where}`, []);
  else if (missing.length > 0)
    fail(
      'tier1_has_all_alerts',
      `${missing.length} of the ${expected.length} alerts of ${where} are not scored`,
      missing,
    );

  const unknown = rows.filter((r) => !expectedSet.has(r.alert_id)).map((r) => ({ row: r.row, alert_id: r.alert_id }));
  if (unknown.length > 0)
    fail('tier1_alerts_known', `${unknown.length} rows score alerts that ${where} does not have`, unknown);

  const outOfRange = rows
    .filter((r) => !(r.score >= 0 && r.score <= 1))
    .map((r) => ({ row: r.row, alert_id: r.alert_id, value: String(r.score) }));
  if (outOfRange.length > 0)
    fail(
      'tier1_score_range_valid',
      `${outOfRange.length} scores are outside 0..1 or not a number (NaN is refused here though the validator's SQL would pass it)`,
      outOfRange,
    );

  const seen = new Set<string>();
  const repeats: Tier1Example[] = [];
  for (const r of rows) {
    if (seen.has(r.alert_id)) repeats.push({ row: r.row, alert_id: r.alert_id });
    seen.add(r.alert_id);
  }
  if (repeats.length > 0)
    fail('tier1_no_duplicates', `${repeats.length} rows repeat an alert_id scored on an earlier row`, repeats);

  const noMetadata = rows
    .filter((r) => !r.model_version || !r.model_github_url)
    .map((r) => ({
      row: r.row,
      alert_id: r.alert_id,
      value: !r.model_version ? 'model_version empty' : 'model_github_url empty',
    }));
  if (noMetadata.length > 0)
    fail('tier1_metadata_valid', `${noMetadata.length} rows lack model_version or model_github_url`, noMetadata);

  const failed = new Set(failures.map((f) => f.check));
  // The validator scores each of its checks 0 on an empty submission; the missing alerts say why.
  const flag = (c: Tier1Check): 0 | 1 => (failed.has(c) || (total === 0 && c !== 'tier1_alerts_known') ? 0 : 1);
  // The validator's fractions: 0 each for an empty submission.
  const coverage = expected.length > 0 ? Math.min(submitted.size / expected.length, 1) : 0;
  const fractions =
    total === 0 ? 0 : coverage + 1 - outOfRange.length / total + submitted.size / total + 1 - noMetadata.length / total;
  const result = {
    tier1_has_all_alerts: flag('tier1_has_all_alerts'),
    tier1_alerts_known: flag('tier1_alerts_known'),
    tier1_score_range_valid: flag('tier1_score_range_valid'),
    tier1_no_duplicates: flag('tier1_no_duplicates'),
    tier1_metadata_valid: flag('tier1_metadata_valid'),
  };
  return {
    ...result,
    tier1_passed: failures.length === 0 && total > 0,
    tier1_integrity_score: 0.25 * fractions,
    failures,
  };
}
