/**
 * The label history of an alert or an address, and restoring an earlier label.
 *
 * History lists every label that could apply, newest first: the alert's own events, the events
 * of its address (alert_id NULL), and the rows' own label columns (the proxy rule's labels,
 * which are not events). Which one wins comes from the effective_labels view itself (its
 * label_scope per alert row); within a scope the winner is the view's own order (source rank,
 * then labeled_at, then event_id), so this module never re-decides precedence.
 *
 * Restoring appends a new event that repeats the earlier one with a fresh labeled_at, so it
 * becomes the newest of its source; nothing is updated or deleted. It can still lose to a
 * higher source: `restoreLabel` says whether it is now in effect.
 *
 * Retractions (retract.ts, migration 004) are listed too: a retraction says which event it
 * withdraws (`retracts`), a withdrawn event which event withdrew it (`retractedBy`); neither
 * ever wins.
 */
import { rows, type Database } from '../db/database.ts';
import {
  ALERTS_TABLE,
  EFFECTIVE_LABELS_VIEW,
  LABEL_EVENTS_TABLE,
  type LabelScope,
  type LabelSource,
} from '../migrations/index.ts';
import { labelSourceRankSql } from '../migrations/label-sources.ts';
import { newBatchId } from './batch.ts';
import { appendLabelEvents } from './commit.ts';

export interface HistoryEntry {
  /** null for a row's own label (the proxy rule's), which is not an event. */
  eventId: number | null;
  scope: LabelScope;
  alertId: string | null;
  address: string | null;
  /** For scope 'row': the alert row's window (an alert_id can recur across windows). */
  windowDays: number | null;
  label: 0 | 1;
  source: LabelSource;
  confidence: number | null;
  /** ISO date-time (UTC); null for a row label without one. */
  labeledAt: string | null;
  labeledBy: string;
  note: string | null;
  batchId: string | null;
  /** For a retraction (an undo): the event it withdraws. Its label fields repeat that event's. */
  retracts: number | null;
  /** For a withdrawn event: the retraction that withdrew it. */
  retractedBy: number | null;
  /** Whether this label is the effective one of at least one of the alert's rows. */
  wins: boolean;
}

export interface AlertRowLabel {
  windowDays: number;
  processingDate: string;
  label: 0 | 1 | null;
  source: LabelSource | null;
  scope: LabelScope | null;
}

export interface AlertHistory {
  alertId: string;
  /** The alert's address, from the loaded alerts (null when the alert is not loaded). */
  address: string | null;
  /** The effective label of each loaded row of the alert. */
  rows: AlertRowLabel[];
  /** Every candidate label, newest first. */
  entries: HistoryEntry[];
}

interface EntryRow {
  event_id: number | null;
  scope: LabelScope;
  alert_id: string | null;
  address: string | null;
  window_days: number | null;
  label: number;
  label_source: LabelSource;
  label_confidence: number | null;
  labeled_at_us: number | null;
  labeled_by: string | null;
  note: string | null;
  batch_id: string | null;
  retracts: number | null;
  retracted_by: number | null;
  best_in_scope: boolean;
}

/** A source's rank in SQL, as effective_labels ranks it. */
const RANK = labelSourceRankSql('label_source');

/** Events with the retraction that withdrew each (alias e; `live` when it counts as a label). */
const EVENTS_FROM = `${LABEL_EVENTS_TABLE} AS e LEFT JOIN (
    SELECT retracts AS withdrawn, min(event_id) AS retracted_by FROM ${LABEL_EVENTS_TABLE} WHERE retracts IS NOT NULL GROUP BY retracts
  ) AS w ON w.withdrawn = e.event_id`;

const EVENT_FIELDS = `e.event_id, e.alert_id, e.address, NULL::BIGINT AS window_days, e.label, CAST(e.label_source AS VARCHAR) AS label_source,
  CAST(e.label_confidence AS DOUBLE) AS label_confidence, epoch_us(e.labeled_at) AS labeled_at_us, e.labeled_by, e.note, e.batch_id,
  e.retracts, w.retracted_by`;

const LIVE = '(e.retracts IS NULL AND w.retracted_by IS NULL)';

/** The winner of each scope among live events, in effective_labels' order. */
const BEST_LIVE = (partition: string) =>
  `${LIVE} AND row_number() OVER (PARTITION BY ${partition}${partition ? ', ' : ''}${LIVE} ORDER BY ${RANK} DESC, e.labeled_at DESC, e.event_id DESC) = 1`;

function toEntry(r: EntryRow, wins: boolean): HistoryEntry {
  return {
    eventId: r.event_id === null ? null : Number(r.event_id),
    scope: r.scope,
    alertId: r.alert_id,
    address: r.address,
    windowDays: r.window_days === null ? null : Number(r.window_days),
    label: Number(r.label) === 1 ? 1 : 0,
    source: r.label_source,
    // FLOAT storage: 0.95 reads 0.949999988; six decimals give back what was written.
    confidence: r.label_confidence === null ? null : Math.round(r.label_confidence * 1e6) / 1e6,
    labeledAt: r.labeled_at_us === null ? null : new Date(Number(r.labeled_at_us) / 1000).toISOString(),
    labeledBy: r.labeled_by ?? '',
    note: r.note,
    batchId: r.batch_id,
    retracts: r.retracts === null ? null : Number(r.retracts),
    retractedBy: r.retracted_by === null ? null : Number(r.retracted_by),
    wins,
  };
}

export async function alertLabelHistory(db: Database, alertId: string): Promise<AlertHistory> {
  const effective = rows<{
    window_days: number;
    processing_date: string;
    label: number | null;
    label_source: LabelSource | null;
    label_scope: LabelScope | null;
    address: string;
  }>(
    await db.query(
      `SELECT window_days, CAST(processing_date AS VARCHAR) AS processing_date, label, CAST(label_source AS VARCHAR) AS label_source,
         label_scope, address
       FROM ${EFFECTIVE_LABELS_VIEW} WHERE alert_id = ? ORDER BY processing_date, window_days`,
      [alertId],
    ),
  );
  const address = effective[0]?.address ?? null;
  const winningScopes = new Set(effective.map((e) => e.label_scope));
  const candidates = rows<EntryRow>(
    await db.query(
      `SELECT ${EVENT_FIELDS}, CASE WHEN e.alert_id IS NULL THEN 'address' ELSE 'alert' END AS scope,
         ${BEST_LIVE('e.alert_id IS NULL')} AS best_in_scope
       FROM ${EVENTS_FROM}
       WHERE e.alert_id = $1 OR (e.alert_id IS NULL AND e.address = $2)
       UNION ALL
       SELECT NULL, alert_id, address, window_days, label, CAST(label_source AS VARCHAR), CAST(label_confidence AS DOUBLE),
         epoch_us(labeled_at), labeled_by, NULL, NULL, NULL, NULL, 'row', true
       FROM ${ALERTS_TABLE}
       WHERE alert_id = $1 AND label IS NOT NULL AND label_source IS NOT NULL`,
      [alertId, address],
    ),
  );
  const rowWins = new Set(effective.filter((e) => e.label_scope === 'row').map((e) => Number(e.window_days)));
  const entries = candidates
    .map((c) =>
      toEntry(
        c,
        c.scope === 'row' ? rowWins.has(Number(c.window_days)) : c.best_in_scope && winningScopes.has(c.scope),
      ),
    )
    .sort(newestFirst);
  return {
    alertId,
    address,
    rows: effective.map((e) => ({
      windowDays: Number(e.window_days),
      processingDate: e.processing_date,
      label: e.label === null ? null : Number(e.label) === 1 ? 1 : 0,
      source: e.label_source,
      scope: e.label_scope,
    })),
    entries,
  };
}

/** Address-level events of an address, newest first; `wins` when one of its alerts takes it. */
export async function addressLabelHistory(db: Database, address: string): Promise<HistoryEntry[]> {
  const events = rows<EntryRow>(
    await db.query(
      `SELECT ${EVENT_FIELDS}, 'address' AS scope, ${BEST_LIVE('')} AS best_in_scope
       FROM ${EVENTS_FROM} WHERE e.alert_id IS NULL AND e.address = ?`,
      [address],
    ),
  );
  const used = rows<{ n: number }>(
    await db.query(`SELECT count(*) AS n FROM ${EFFECTIVE_LABELS_VIEW} WHERE address = ? AND label_scope = 'address'`, [
      address,
    ]),
  )[0]!;
  return events.map((e) => toEntry(e, e.best_in_scope && Number(used.n) > 0)).sort(newestFirst);
}

function newestFirst(a: HistoryEntry, b: HistoryEntry): number {
  const ta = a.labeledAt ?? '';
  const tb = b.labeledAt ?? '';
  if (ta !== tb) return ta < tb ? 1 : -1;
  return (b.eventId ?? -1) - (a.eventId ?? -1);
}

export interface RestoreOptions {
  /** Who restores it (labeled_by of the new event); the original labeller when absent. */
  labeledBy?: string;
  note?: string;
  /** The new event's labeled_at (ISO); now when absent. */
  at?: string;
}

export interface RestoreResult {
  eventId: number;
  batchId: string;
  /** Whether the restored label is now the effective one (a higher source can still win). */
  inEffect: boolean;
}

/** Append an event that repeats event `eventId`, so its label becomes the newest of its source. */
export async function restoreLabel(db: Database, eventId: number, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const found = rows<EntryRow>(
    await db.query(
      `SELECT ${EVENT_FIELDS}, 'alert' AS scope, false AS best_in_scope FROM ${EVENTS_FROM} WHERE e.event_id = ?`,
      [eventId],
    ),
  )[0];
  if (!found) throw new Error(`there is no label event ${eventId} to restore`);
  const original = toEntry(found, false);
  if (original.retracts !== null) {
    throw new Error(
      `event ${eventId} withdraws event ${original.retracts} and is not a label: restore event ${original.retracts} instead`,
    );
  }
  const at = opts.at ?? new Date().toISOString();
  const batchId = newBatchId('restore', `event-${eventId}`);
  const appended = await appendLabelEvents(
    db,
    [
      {
        alertId: original.alertId,
        address: original.address,
        label: original.label,
        source: original.source,
        confidence: original.confidence,
        labeledAt: at,
        labeledBy: opts.labeledBy ?? original.labeledBy,
        note:
          opts.note ??
          `restores event ${eventId} (label ${original.label} by ${original.labeledBy || 'unnamed'} at ${original.labeledAt})`,
      },
    ],
    batchId,
  );
  const newId = appended.lastEventId!;
  const entries =
    original.alertId !== null
      ? (await alertLabelHistory(db, original.alertId)).entries
      : await addressLabelHistory(db, original.address!);
  return { eventId: newId, batchId, inEffect: entries.some((e) => e.eventId === newId && e.wins) };
}
