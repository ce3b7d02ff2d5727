/**
 * A submission as the validator stores it: one row per alert of one (processing_date, window_days),
 * in the order the file gave them. `row` is the 1-based line in the source file, so a Tier 1
 * failure can point at it. Scores are numbers as read; NaN stands for a missing or unreadable one.
 */

/** One snapshot: the validator scores a submission per (processing_date 'YYYY-MM-DD', window_days). */
export interface SnapshotKey {
  processing_date: string;
  window_days: number;
}

export interface SubmissionRow {
  row: number;
  alert_id: string;
  score: number;
  model_version: string | null;
  model_github_url: string | null;
}

export interface Submission {
  processing_date: string;
  window_days: number;
  rows: SubmissionRow[];
}

/**
 * Scores by alert_id, as the validator's Python builds them ({row[0]: row[1] for row in rows}): a
 * duplicated alert_id keeps its last score. Only Tier 1's duplicate check sees every row.
 */
export function scoresById(rows: readonly SubmissionRow[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.alert_id, r.score);
  return m;
}

/** Distinct alert ids of a submission: the denominator of every coverage. */
export function distinctAlerts(rows: readonly SubmissionRow[]): number {
  return new Set(rows.map((r) => r.alert_id)).size;
}
