/**
 * Where the label-event log is kept between sessions. The store only keeps bytes with a little
 * metadata (event-log.ts makes and reads them), so each front supplies its own: the browser an
 * IndexedDB or OPFS one (src/ui), the tests the in-memory one below. Saved values are plain
 * objects holding a Uint8Array, which IndexedDB stores as they are (structured clone).
 */
import type { Database } from '../db/database.ts';
import { restoreEventLog, serialiseEventLog, type SerialisedEventLog } from './event-log.ts';

export interface LabelEventStore {
  /** The last saved log, or undefined when nothing was saved. */
  load(): Promise<SerialisedEventLog | undefined>;
  /** Replace the saved log with `log`. */
  save(log: SerialisedEventLog): Promise<void>;
  /** Forget the saved log. */
  clear(): Promise<void>;
  /**
   * Move a saved log that cannot be restored out of the way, kept, so the next save does not
   * overwrite labels someone may still recover; returns where it went. Stores that keep nothing
   * between sessions have nothing to set aside and leave it out.
   */
  setAside?(): Promise<string>;
}

/** A store in memory: survives a fresh database in the same process, which is what tests need. */
export class MemoryLabelEventStore implements LabelEventStore {
  private saved: SerialisedEventLog | undefined;

  async load(): Promise<SerialisedEventLog | undefined> {
    return this.saved && { ...this.saved, bytes: this.saved.bytes.slice() };
  }

  async save(log: SerialisedEventLog): Promise<void> {
    // A copy, as IndexedDB's structured clone would make: later changes to the caller's bytes
    // must not change what was saved.
    this.saved = { ...log, bytes: log.bytes.slice() };
  }

  async clear(): Promise<void> {
    this.saved = undefined;
  }
}

/** Save the database's whole event log; call after every commit, restore or label. */
export async function saveLabelEvents(db: Database, store: LabelEventStore): Promise<SerialisedEventLog> {
  const log = await serialiseEventLog(db);
  await store.save(log);
  return log;
}

/** Restore the saved log into a fresh database (after Lab.open); 0 events when none was saved. */
export async function restoreLabelEvents(
  db: Database,
  store: LabelEventStore,
): Promise<{ events: number; savedAt: string | null }> {
  const log = await store.load();
  if (!log) return { events: 0, savedAt: null };
  const { events } = await restoreEventLog(db, log);
  return { events, savedAt: log.savedAt };
}
