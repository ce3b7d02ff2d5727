/**
 * Taking a label back without deleting it: the undo of the Review view.
 *
 * label_events is append-only, so an undo appends a retraction: an event whose `retracts` names
 * the event it withdraws (migration 004). effective_labels leaves both out, so the alert has
 * again exactly the label it had before the withdrawn event, whatever that was: an earlier label
 * of any source, the proxy rule's label on the row, or none at all. Restoring the earlier label
 * instead (restoreLabel) would not do: it cannot say "no label", it cannot bring back a row's own
 * label (which is not an event), and it would record a label nobody gave again.
 *
 * Only a label can be withdrawn, and only once; a withdrawn label comes back with restoreLabel
 * (a new event), never by withdrawing the retraction.
 */
import { rows, type Database } from '../db/database.ts';
import { LABEL_EVENTS_TABLE, type LabelSource } from '../migrations/index.ts';
import { newBatchId } from './batch.ts';
import { appendLabelEvents, type AppendResult, type NewLabelEvent } from './commit.ts';

export interface RetractOptions {
  /** Who takes it back (labeled_by of the retraction); the original labeller when absent. */
  labeledBy?: string;
  note?: string;
  /** The retraction's labeled_at (ISO); now when absent. */
  at?: string;
}

/**
 * The retraction of event `eventId`, checked but not appended: append it with
 * appendLabelEvents (or LabelSession.label, which also saves the log).
 */
export async function retractionOf(db: Database, eventId: number, opts: RetractOptions = {}): Promise<NewLabelEvent> {
  const found = rows<{
    alert_id: string | null;
    address: string | null;
    label: number;
    label_source: LabelSource;
    labeled_by: string | null;
    retracts: number | null;
    retracted_by: number | null;
  }>(
    await db.query(
      `SELECT e.alert_id, e.address, e.label, CAST(e.label_source AS VARCHAR) AS label_source, e.labeled_by, e.retracts,
         (SELECT min(r.event_id) FROM ${LABEL_EVENTS_TABLE} AS r WHERE r.retracts = e.event_id) AS retracted_by
       FROM ${LABEL_EVENTS_TABLE} AS e WHERE e.event_id = ?`,
      [eventId],
    ),
  )[0];
  if (!found) throw new Error(`there is no label event ${eventId} to take back`);
  if (found.retracts !== null) {
    throw new Error(
      `event ${eventId} already takes back event ${Number(found.retracts)}: give the label again instead of taking back the undo`,
    );
  }
  if (found.retracted_by !== null)
    throw new Error(`event ${eventId} was already taken back by event ${Number(found.retracted_by)}`);
  return {
    alertId: found.alert_id,
    address: found.address,
    label: Number(found.label) === 1 ? 1 : 0,
    source: found.label_source,
    labeledAt: opts.at,
    labeledBy: opts.labeledBy ?? found.labeled_by ?? '',
    note: opts.note ?? `takes back event ${eventId}`,
    retracts: eventId,
  };
}

/** Append the retraction of event `eventId` (its own batch). */
export async function retractLabel(db: Database, eventId: number, opts: RetractOptions = {}): Promise<AppendResult> {
  return appendLabelEvents(db, [await retractionOf(db, eventId, opts)], newBatchId('retract', `event-${eventId}`));
}
