/**
 * The alerts a person labelled most recently, each with the label it carries now: what the
 * Review view lists so a reviewer sees, after a reload too, what they did and whether it still
 * stands (a later or higher-ranked label may have replaced theirs). Labels taken back are not
 * listed.
 */
import { rows, type Database } from '../db/database.ts';
import { EFFECTIVE_LABELS_VIEW, LABEL_EVENTS_TABLE, liveLabelEventSql, type LabelSource } from '../migrations/index.ts';

export interface RecentLabel {
  eventId: number;
  alertId: string;
  /** The label this person gave. */
  label: 0 | 1;
  /** ISO date-time. */
  labeledAt: string;
  /** The alert's effective label now (its newest snapshot), or null when none or not loaded. */
  now: { label: 0 | 1; source: LabelSource; labeledBy: string } | null;
}

/** The last `limit` alerts `labeledBy` labelled (alert-level labels in force), newest first. */
export async function recentLabels(db: Database, labeledBy: string, limit = 20): Promise<RecentLabel[]> {
  const found = rows<{
    event_id: number;
    alert_id: string;
    label: number;
    labeled_at_us: number;
    now_label: number | null;
    now_source: LabelSource | null;
    now_by: string | null;
  }>(
    await db.query(
      `WITH recent AS (
         SELECT event_id, alert_id, label, epoch_us(labeled_at) AS labeled_at_us
         FROM ${LABEL_EVENTS_TABLE} AS e
         WHERE e.alert_id IS NOT NULL AND e.labeled_by = ? AND ${liveLabelEventSql('e')}
         QUALIFY row_number() OVER (PARTITION BY alert_id ORDER BY event_id DESC) = 1
         ORDER BY event_id DESC LIMIT ?
       ),
       now AS (
         SELECT alert_id, arg_max(label, processing_date) AS label, arg_max(CAST(label_source AS VARCHAR), processing_date) AS source,
           arg_max(labeled_by, processing_date) AS labeled_by
         FROM ${EFFECTIVE_LABELS_VIEW} WHERE alert_id IN (SELECT alert_id FROM recent) AND label IS NOT NULL
         GROUP BY alert_id
       )
       SELECT r.event_id, r.alert_id, r.label, r.labeled_at_us, n.label AS now_label, n.source AS now_source, n.labeled_by AS now_by
       FROM recent AS r LEFT JOIN now AS n ON n.alert_id = r.alert_id
       ORDER BY r.event_id DESC`,
      [labeledBy, limit],
    ),
  );
  return found.map((r) => ({
    eventId: Number(r.event_id),
    alertId: r.alert_id,
    label: Number(r.label) === 1 ? 1 : 0,
    labeledAt: new Date(Number(r.labeled_at_us) / 1000).toISOString(),
    now:
      r.now_label === null || r.now_source === null
        ? null
        : { label: Number(r.now_label) === 1 ? 1 : 0, source: r.now_source, labeledBy: r.now_by ?? '' },
  }));
}
