/**
 * The user's notebooks, kept in the browser's IndexedDB so that every edit survives a reload:
 * notebooks by id (the file text is what is stored; everything else is derived from it), and a
 * few settings (which notebook was open last).
 *
 * A browser can refuse storage (private windows in some browsers, a full disk, IndexedDB turned
 * off). Then the store keeps everything in memory and says so (`persistent: false`), so the app
 * still works and the user is told that a reload will lose their edits.
 */

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

/** One IndexedDB request as a promise. */
function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(NOTEBOOKS)) db.createObjectStore(NOTEBOOKS, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(SETTINGS)) db.createObjectStore(SETTINGS);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    // Another tab holds an older version open: that tab would have to close first.
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of Label Lab'));
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
    const all = this.db ? await request(this.tx(NOTEBOOKS, 'readonly').getAll() as IDBRequest<StoredNotebook[]>) : [...this.memory.values()];
    return all.sort((a, b) => b.updated - a.updated);
  }

  async get(id: string): Promise<StoredNotebook | undefined> {
    if (!this.db) return this.memory.get(id);
    return (await request(this.tx(NOTEBOOKS, 'readonly').get(id) as IDBRequest<StoredNotebook | undefined>)) ?? undefined;
  }

  async put(notebook: StoredNotebook): Promise<void> {
    if (!this.db) {
      this.memory.set(notebook.id, notebook);
      return;
    }
    await this.write(NOTEBOOKS, (s) => s.put(notebook));
  }

  async delete(id: string): Promise<void> {
    if (!this.db) {
      this.memory.delete(id);
      return;
    }
    await this.write(NOTEBOOKS, (s) => s.delete(id));
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    if (!this.db) return this.memorySettings.get(key) as T | undefined;
    return (await request(this.tx(SETTINGS, 'readonly').get(key))) as T | undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    if (!this.db) {
      this.memorySettings.set(key, value);
      return;
    }
    await this.write(SETTINGS, (s) => s.put(value, key));
  }

  private tx(store: string, mode: IDBTransactionMode): IDBObjectStore {
    return this.db!.transaction(store, mode).objectStore(store);
  }

  /** Resolves when the transaction has committed, not merely when the request succeeded. */
  private write(store: string, action: (s: IDBObjectStore) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const tx = this.db!.transaction(store, 'readwrite');
      action(tx.objectStore(store));
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write was aborted'));
    });
  }
}

/** A new notebook id: short, random, safe in a URL. */
export function newNotebookId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
