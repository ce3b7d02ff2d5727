/**
 * The whole label_events table as bytes and back: what a browser keeps between reloads
 * (store.ts) so labels survive while the alerts are simply loaded again from their files.
 *
 * Arrow IPC rather than Parquet: no codec round trip (in the browser Parquet lives in a worker),
 * and the types come back exactly. event_id is kept, so history and restores refer to the same
 * events after a reload, and the id sequence is moved past the restored ids so new events never
 * collide with them. label_source travels as text (the ENUM would be an Arrow dictionary, which
 * DuckDB would not turn back into the ENUM on its own).
 */
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { ident, rows, type Database } from '../db/database.ts';
import {
  LABEL_EVENTS_SEQUENCE,
  LABEL_EVENTS_TABLE,
  LABEL_EVENT_BATCH_COLUMN,
  LABEL_EVENT_COLUMNS,
  LABEL_EVENT_RETRACTS_COLUMN,
  LABEL_SOURCE_TYPE,
} from '../migrations/index.ts';
import { inTransaction } from './commit.ts';

/** Written into the saved log, checked on restore: bump it when the layout changes. */
export const EVENT_LOG_FORMAT = 'label-lab/label-events/arrow-ipc/1';

export interface SerialisedEventLog {
  format: typeof EVENT_LOG_FORMAT;
  /** ISO time of the snapshot. */
  savedAt: string;
  events: number;
  /** Arrow IPC stream of label_events. */
  bytes: Uint8Array;
}

const COLUMNS = [
  ...LABEL_EVENT_COLUMNS.map((c) => c.name),
  LABEL_EVENT_BATCH_COLUMN.name,
  LABEL_EVENT_RETRACTS_COLUMN.name,
];
/** A log saved before a later migration lacks its columns; these must be there. */
const REQUIRED = LABEL_EVENT_COLUMNS.filter((c) => !c.nullable).map((c) => c.name);

export async function serialiseEventLog(db: Database, now: Date = new Date()): Promise<SerialisedEventLog> {
  const select = COLUMNS.map((c) =>
    c === 'label_source' ? `CAST(label_source AS VARCHAR) AS label_source` : ident(c),
  ).join(', ');
  const table = await db.query(`SELECT ${select} FROM ${LABEL_EVENTS_TABLE} ORDER BY event_id`);
  return {
    format: EVENT_LOG_FORMAT,
    savedAt: now.toISOString(),
    events: table.numRows,
    bytes: tableToIPC(table, 'stream'),
  };
}

let restoreCounter = 0;

/**
 * Put a serialised log back into an EMPTY label_events (a fresh database after a reload).
 * Refuses a non-empty table: merging two histories is not a restore, and silently doing it
 * could duplicate every event.
 */
export async function restoreEventLog(db: Database, log: SerialisedEventLog): Promise<{ events: number }> {
  if (log.format !== EVENT_LOG_FORMAT) {
    throw new Error(`the saved label log has format '${String(log.format)}', this build reads '${EVENT_LOG_FORMAT}'`);
  }
  const existing = Number(rows<{ n: number }>(await db.query(`SELECT count(*) AS n FROM ${LABEL_EVENTS_TABLE}`))[0]!.n);
  if (existing > 0) {
    throw new Error(`label_events already holds ${existing} events: restore a saved log only into a fresh database`);
  }
  if (log.events === 0) return { events: 0 };
  checkReadable(log);
  const stage = `_restore_events_${++restoreCounter}`;
  await db.insertIPC(stage, log.bytes, { create: true });
  try {
    const present = new Set(
      rows<{ column_name: string }>(await db.query(`DESCRIBE ${ident(stage)}`)).map((c) => c.column_name),
    );
    const missing = REQUIRED.filter((c) => !present.has(c));
    if (missing.length > 0) throw new Error(`the saved label log lacks the columns ${missing.join(', ')}`);
    const columns = COLUMNS.filter((c) => present.has(c));
    const select = columns
      .map((c) => (c === 'label_source' ? `CAST(label_source AS ${LABEL_SOURCE_TYPE})` : ident(c)))
      .join(', ');
    await inTransaction(db, async () => {
      await db.exec(
        `INSERT INTO ${LABEL_EVENTS_TABLE} (${columns.map(ident).join(', ')}) SELECT ${select} FROM ${ident(stage)}`,
      );
      await advanceSequence(db);
    });
  } finally {
    await db.exec(`DROP TABLE IF EXISTS ${ident(stage)}`);
  }
  return {
    events: Number(rows<{ n: number }>(await db.query(`SELECT count(*) AS n FROM ${LABEL_EVENTS_TABLE}`))[0]!.n),
  };
}

/**
 * Damaged bytes must fail here, with a message that says so: handed to DuckDB they fail later
 * with a catalog error about a staging table that no one knows.
 */
function checkReadable(log: SerialisedEventLog): void {
  let rowsRead: number;
  try {
    rowsRead = tableFromIPC(log.bytes).numRows;
  } catch (e) {
    throw new Error(`the saved label log is damaged: its bytes are not an Arrow IPC stream (${(e as Error).message})`);
  }
  if (rowsRead !== log.events)
    throw new Error(
      `the saved label log is damaged: it should hold ${log.events} events but its bytes hold ${rowsRead}`,
    );
}

/**
 * Move the event-id sequence past the highest restored id. DuckDB cannot restart a sequence, so
 * it is drawn from until it passes (in one statement, not one call per id).
 */
async function advanceSequence(db: Database): Promise<void> {
  const max = Number(
    rows<{ m: number | null }>(await db.query(`SELECT coalesce(max(event_id), 0) AS m FROM ${LABEL_EVENTS_TABLE}`))[0]!
      .m,
  );
  const next = Number(rows<{ v: number }>(await db.query(`SELECT nextval('${LABEL_EVENTS_SEQUENCE}') AS v`))[0]!.v);
  if (next < max)
    await db.query(`SELECT max(nextval('${LABEL_EVENTS_SEQUENCE}')) FROM range(CAST(? AS BIGINT))`, [max - next]);
}
