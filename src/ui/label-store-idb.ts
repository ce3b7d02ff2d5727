/**
 * The label-event log kept in this browser's IndexedDB, so labels survive a reload while the
 * alerts are simply loaded again from their files. One object store holds the whole serialised
 * log (event-log.ts: Arrow IPC bytes and a little metadata) under one key; every save replaces
 * it. IndexedDB stores the Uint8Array as it is (structured clone), so nothing is encoded here.
 *
 * Its own database rather than the notebooks': the two never upgrade together, and clearing one
 * never touches the other.
 *
 * A browser can refuse storage (some private windows, IndexedDB turned off). Then labels are
 * kept in memory for this tab and `problem` says why, so the Labels view can tell the user that
 * a reload will lose them.
 */
import type { SerialisedEventLog } from '../ingest/event-log.ts';
import { MemoryLabelEventStore, type LabelEventStore } from '../ingest/store.ts';
import { idbOpen, idbRead, idbWrite } from './idb.ts';

const DB_NAME = 'label-lab-labels';
const DB_VERSION = 1;
const STORE = 'label-events';
const LOG_KEY = 'log';

export class IndexedDbLabelEventStore implements LabelEventStore {
  constructor(private readonly db: IDBDatabase) {}

  async load(): Promise<SerialisedEventLog | undefined> {
    const value: unknown = await idbRead(this.db, STORE, (s) => s.get(LOG_KEY));
    if (value === undefined) return undefined;
    // Written by this class, but storage outlives builds: check the shape before trusting it
    // (restoreEventLog checks the format and the columns).
    const log = value as Partial<SerialisedEventLog>;
    if (
      typeof log !== 'object' ||
      log === null ||
      !(log.bytes instanceof Uint8Array) ||
      typeof log.events !== 'number'
    ) {
      throw new Error(
        `the label log saved in this browser (IndexedDB ${DB_NAME}/${STORE}) is not a label log this build can read`,
      );
    }
    return log as SerialisedEventLog;
  }

  save(log: SerialisedEventLog): Promise<void> {
    return idbWrite(this.db, STORE, (s) => s.put(log, LOG_KEY));
  }

  clear(): Promise<void> {
    return idbWrite(this.db, STORE, (s) => s.delete(LOG_KEY));
  }

  /** The unreadable log moves to its own key in the same store, in one transaction. */
  async setAside(): Promise<string> {
    const key = `${LOG_KEY}-unreadable-${new Date().toISOString()}`;
    await idbWrite(this.db, STORE, (s) => {
      const read = s.get(LOG_KEY);
      read.onsuccess = () => {
        if (read.result !== undefined) s.put(read.result, key);
        s.delete(LOG_KEY);
      };
    });
    return `IndexedDB ${DB_NAME}/${STORE} key ${key}`;
  }
}

export interface OpenedLabelStore {
  store: LabelEventStore;
  /** Whether labels survive a reload. */
  persistent: boolean;
  /** Why they do not, when they do not. */
  problem?: string;
}

/** The IndexedDB store; never fails: without IndexedDB it keeps the log in memory and says why. */
export async function openLabelEventStore(): Promise<OpenedLabelStore> {
  try {
    const db = await idbOpen(DB_NAME, DB_VERSION, (d) => {
      if (!d.objectStoreNames.contains(STORE)) d.createObjectStore(STORE);
    });
    return { store: new IndexedDbLabelEventStore(db), persistent: true };
  } catch (err) {
    return { store: new MemoryLabelEventStore(), persistent: false, problem: (err as Error).message };
  }
}
