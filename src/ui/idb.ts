/**
 * The few IndexedDB calls the app's stores share (notebook-store.ts, label-store-idb.ts), as
 * promises. Each store keeps its own database, so one store's upgrade never waits on another's.
 */

/** One IndexedDB request as a promise. */
export function idbRequest<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Open (creating or upgrading) database `name`; `upgrade` creates the object stores it lacks. */
export function idbOpen(name: string, version: number, upgrade: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('this browser offers no IndexedDB'));
      return;
    }
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => upgrade(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    // Another tab holds an older version open: that tab would have to close first.
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of Label Lab'));
  });
}

/** A read from one object store. */
export function idbRead<T>(db: IDBDatabase, store: string, read: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return idbRequest(read(db.transaction(store, 'readonly').objectStore(store)));
}

/** Resolves when the transaction has committed, not merely when the request succeeded. */
export function idbWrite(db: IDBDatabase, store: string, action: (s: IDBObjectStore) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, 'readwrite');
    action(tx.objectStore(store));
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write was aborted'));
  });
}
