/**
 * Appending label events: the accepted rows of a checked import, or events given one by one (a
 * label set in the app, a restore). Each append is one transaction, so a batch lands whole or
 * not at all, and values are always bound or copied by INSERT ... SELECT, never spliced into SQL.
 * Nothing here updates or deletes: label_events is append-only.
 */
import { ident, rows, type Database, type SqlValue } from '../db/database.ts';
import { LABEL_EVENTS_TABLE, LABEL_SOURCE_TYPE, LABEL_SOURCES, type LabelSource } from '../migrations/index.ts';

export interface AppendResult {
  batchId: string;
  /** How many events were appended. */
  events: number;
  /** The event_ids given to them, lowest and highest (null when none were appended). */
  firstEventId: number | null;
  lastEventId: number | null;
}

/** One label to append. Exactly one target: an alert, or (alertId absent) every alert of an address. */
export interface NewLabelEvent {
  alertId?: string | null;
  address?: string | null;
  label: 0 | 1;
  source: LabelSource;
  confidence?: number | null;
  /** ISO date-time; the time of the append when absent. */
  labeledAt?: string;
  labeledBy?: string;
  note?: string | null;
  /** The event_id this event withdraws (an undo; build it with retractionOf). Absent for a label. */
  retracts?: number | null;
}

const EVENT_COLUMNS =
  'alert_id, address, label, label_source, label_confidence, labeled_at, labeled_by, note, batch_id';
/** Events given as values may also withdraw an earlier one (imports never do). */
const VALUE_COLUMNS = `${EVENT_COLUMNS}, retracts`;

/** Run `work` in one transaction: commit when it returns, roll back when it throws. */
export async function inTransaction<T>(db: Database, work: () => Promise<T>): Promise<T> {
  await db.exec('BEGIN TRANSACTION');
  try {
    const result = await work();
    await db.exec('COMMIT');
    return result;
  } catch (e) {
    try {
      await db.exec('ROLLBACK');
    } catch {
      // DuckDB may have ended the transaction itself when the statement failed.
    }
    throw e;
  }
}

async function batchSpan(db: Database, batchId: string): Promise<AppendResult> {
  const r = rows<{ n: number; lo: number | null; hi: number | null }>(
    await db.query(
      `SELECT count(*) AS n, min(event_id) AS lo, max(event_id) AS hi FROM ${LABEL_EVENTS_TABLE} WHERE batch_id = ?`,
      [batchId],
    ),
  )[0]!;
  return {
    batchId,
    events: Number(r.n),
    firstEventId: r.lo === null ? null : Number(r.lo),
    lastEventId: r.hi === null ? null : Number(r.hi),
  };
}

/** Append the `accepted` rows of a checked import table (validate.ts), in file order. */
export async function appendAcceptedRows(db: Database, checkedTable: string, batchId: string): Promise<AppendResult> {
  return inTransaction(db, async () => {
    await db.exec(
      `INSERT INTO ${LABEL_EVENTS_TABLE} (${EVENT_COLUMNS})
       SELECT alert_id, address, label, CAST(label_source AS ${LABEL_SOURCE_TYPE}), CAST(label_confidence AS FLOAT),
         labeled_at, labeled_by, note, $1
       FROM ${ident(checkedTable)} WHERE accepted ORDER BY source_row`,
      [batchId],
    );
    return batchSpan(db, batchId);
  });
}

/** Check one event before it is bound, with a message that says which field is wrong. */
function checkEvent(e: NewLabelEvent, i: number): void {
  const where = `label event ${i + 1}`;
  const alertId = e.alertId ?? null;
  const address = e.address ?? null;
  if (!alertId && !address) throw new Error(`${where}: give an alertId or an address`);
  if (e.label !== 0 && e.label !== 1) throw new Error(`${where}: label must be 0 or 1, not ${String(e.label)}`);
  if (!LABEL_SOURCES.includes(e.source))
    throw new Error(`${where}: source must be one of ${LABEL_SOURCES.join(', ')}, not '${String(e.source)}'`);
  const c = e.confidence;
  if (c !== undefined && c !== null && !(c >= 0 && c <= 1))
    throw new Error(`${where}: confidence must be between 0 and 1, not ${c}`);
  if (e.labeledAt !== undefined && Number.isNaN(Date.parse(e.labeledAt)))
    throw new Error(`${where}: labeledAt '${e.labeledAt}' is not a date-time`);
  const r = e.retracts;
  if (r !== undefined && r !== null && !(Number.isSafeInteger(r) && r > 0))
    throw new Error(`${where}: retracts must be an event id (a positive integer), not ${String(r)}`);
}

/** Append events given as values (the app's labelling, restores, undos), in one transaction. */
export async function appendLabelEvents(
  db: Database,
  events: readonly NewLabelEvent[],
  batchId: string,
  now: Date = new Date(),
): Promise<AppendResult> {
  events.forEach(checkEvent);
  if (events.length === 0) return { batchId, events: 0, firstEventId: null, lastEventId: null };
  return inTransaction(db, async () => {
    for (const e of events) {
      const values: SqlValue[] = [
        e.alertId ?? null,
        e.address ?? null,
        e.label,
        e.source,
        e.confidence ?? null,
        // Through Date so an offset is honoured: DuckDB's TIMESTAMP cast drops it, but reads 'Z'.
        new Date(e.labeledAt ?? now.toISOString()).toISOString(),
        e.labeledBy ?? '',
        e.note ?? null,
        batchId,
        e.retracts ?? null,
      ];
      await db.exec(
        `INSERT INTO ${LABEL_EVENTS_TABLE} (${VALUE_COLUMNS})
         VALUES (?, ?, ?, CAST(? AS ${LABEL_SOURCE_TYPE}), ?, CAST(? AS TIMESTAMP), ?, ?, ?, ?)`,
        values,
      );
    }
    return batchSpan(db, batchId);
  });
}
