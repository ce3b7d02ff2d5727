/**
 * The user's notebooks, kept in the browser's IndexedDB so that every edit survives a reload:
 * notebooks by id (the file text is what is stored; everything else is derived from it), and a
 * few settings (which notebook was open last).
 *
 * A browser can refuse storage (private windows in some browsers, a full disk, IndexedDB turned
 * off). Then the store keeps everything in memory and says so (`persistent: false`), so the app
 * still works and the user is told that a reload will lose their edits.
 */
import { idbOpen, idbRead, idbWrite } from './idb.ts';

export interface StoredNotebook {
  /** Random, stable: the hash link and the settings refer to it. */
  id: string;
  /** The file name it downloads as (`01-tour-of-a-snapshot.md`). */
  file: string;
  /** The notebook's text, exactly as it will be downloaded. */
  text: string;
  /** The shipped notebook it was copied from, if any (its name, without `.md`). */
  origin?: string;
  created: number;
  updated: number;
}

const DB_NAME = 'label-lab';
const DB_VERSION = 1;
const NOTEBOOKS = 'notebooks';
const SETTINGS = 'settings';

function openDatabase(): Promise<IDBDatabase> {
  return idbOpen(DB_NAME, DB_VERSION, (db) => {
    if (!db.objectStoreNames.contains(NOTEBOOKS)) db.createObjectStore(NOTEBOOKS, { keyPath: 'id' });
    if (!db.objectStoreNames.contains(SETTINGS)) db.createObjectStore(SETTINGS);
  });
}

export class NotebookStore {
  private readonly memory = new Map<string, StoredNotebook>();
  private readonly memorySettings = new Map<string, unknown>();

  private constructor(
    private readonly db: IDBDatabase | null,
    /** Why storage is unavailable, when it is. */
    readonly problem?: string,
  ) {}

  /** Open the store; never fails: without IndexedDB it keeps notebooks in memory. */
  static async open(): Promise<NotebookStore> {
    try {
      const db = await openDatabase();
      // Ask the browser not to evict the notebooks under storage pressure; a refusal is fine.
      void navigator.storage?.persist?.().catch(() => false);
      return new NotebookStore(db);
    } catch (err) {
      return new NotebookStore(null, (err as Error).message);
    }
  }

  get persistent(): boolean {
    return this.db !== null;
  }

  /** Every stored notebook, the most recently edited first. */
  async list(): Promise<StoredNotebook[]> {
    const all = this.db
      ? await idbRead(this.db, NOTEBOOKS, (s) => s.getAll() as IDBRequest<StoredNotebook[]>)
      : [...this.memory.values()];
    return all.sort((a, b) => b.updated - a.updated);
  }

  async get(id: string): Promise<StoredNotebook | undefined> {
    if (!this.db) return this.memory.get(id);
    return (await idbRead(this.db, NOTEBOOKS, (s) => s.get(id) as IDBRequest<StoredNotebook | undefined>)) ?? undefined;
  }

  async put(notebook: StoredNotebook): Promise<void> {
    if (!this.db) {
      this.memory.set(notebook.id, notebook);
      return;
    }
    await idbWrite(this.db, NOTEBOOKS, (s) => s.put(notebook));
  }

  async delete(id: string): Promise<void> {
    if (!this.db) {
      this.memory.delete(id);
      return;
    }
    await idbWrite(this.db, NOTEBOOKS, (s) => s.delete(id));
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    if (!this.db) return this.memorySettings.get(key) as T | undefined;
    return (await idbRead(this.db, SETTINGS, (s) => s.get(key))) as T | undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    if (!this.db) {
      this.memorySettings.set(key, value);
      return;
    }
    await idbWrite(this.db, SETTINGS, (s) => s.put(value, key));
  }
}

/** A new notebook id: short, random, safe in a URL. */
export function newNotebookId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
