/**
 * The bundled sample's checked load, kept in IndexedDB for the next visit (src/sot/checked-cache.ts
 * says what is kept and why it is safe). A visit reads every sample file anyway (while DuckDB
 * starts) and hashes it; when the key of those bytes is the kept copy's, the copy is restored
 * instead of decoding and checking every file again. A first visit does the same with the copy
 * the build shipped beside the sample, when there is one. Anything wrong with a copy (missing,
 * another key, damaged, IndexedDB unavailable) only means the normal load: the user sees no error.
 */
import { checkedCacheKey, snapshotIntact, type CheckedSnapshot, type FileDigest } from '../sot/checked-cache.ts';
import { decodeCheckedSnapshot } from '../sot/checked-file.ts';
import { checkedSamplePath, SAMPLE_FETCH_PRIORITY } from './source-files.ts';
import type { SourceFile } from '../sot/files.ts';
import { sha256Hex } from '../db/runtime.ts';
import { idbOpen, idbRead, idbWrite } from './idb.ts';

const DB_NAME = 'label-lab-checked-load';
const STORE = 'snapshots';
/** One copy only: the sample's latest. */
const RECORD = 'sample';
/** A load that keeps more than this (Arrow bytes) is not kept: it would crowd the browser's storage. */
export const MAX_KEPT_BYTES = 512 * 1024 ** 2;

/** What the load controls say about the kept copy. */
export interface KeptInfo {
  savedAt: number;
  bytes: number;
}

export class CheckedLoadCache {
  private reading: Promise<CheckedSnapshot | undefined> | undefined;

  private constructor(private readonly db: IDBDatabase) {}

  /** The store, or undefined where the browser offers no IndexedDB (private windows, some embeds). */
  static async open(): Promise<CheckedLoadCache | undefined> {
    try {
      const db = await idbOpen(DB_NAME, 1, (d) => {
        if (!d.objectStoreNames.contains(STORE)) d.createObjectStore(STORE);
      });
      return new CheckedLoadCache(db);
    } catch {
      return undefined;
    }
  }

  /** Whether any copy is kept: a visit without one loads at once, without waiting for every file's digest. */
  async any(): Promise<boolean> {
    try {
      return (await idbRead<number>(this.db, STORE, (st) => st.count(RECORD))) > 0;
    } catch {
      return false;
    }
  }

  /**
   * Start reading the kept copy, and checking it (snapshotIntact), before its key is known: the
   * key waits for every sample file's digest, and the read and the check need not. get() takes
   * what this read.
   */
  readAhead(): void {
    void this.record().then((s) => s && snapshotIntact(s));
  }

  /** The kept copy if its key is `key`; undefined for none, another or an unreadable one. */
  async get(key: string): Promise<CheckedSnapshot | undefined> {
    const s = await this.record();
    // Not held for the session: a copy may be hundreds of MB, and a later get reads it again.
    this.reading = undefined;
    return s && s.key === key ? s : undefined;
  }

  /** The kept copy, read once (put and clear forget it); undefined for none or an unreadable one. */
  private record(): Promise<CheckedSnapshot | undefined> {
    this.reading ??= idbRead<CheckedSnapshot | undefined>(this.db, STORE, (st) => st.get(RECORD)).catch(
      () => undefined,
    );
    return this.reading;
  }

  /** Keep `s` (replacing any copy before); false when it is too large or the browser refused it. */
  async put(s: CheckedSnapshot): Promise<boolean> {
    if (keptBytes(s) > MAX_KEPT_BYTES) return false;
    this.reading = undefined;
    try {
      await idbWrite(this.db, STORE, (st) => st.put(s, RECORD));
      return true;
    } catch (err) {
      console.warn('the checked sample could not be kept for the next visit:', err);
      return false;
    }
  }

  async clear(): Promise<void> {
    this.reading = undefined;
    await idbWrite(this.db, STORE, (st) => st.delete(RECORD));
  }
}

export function keptBytes(s: CheckedSnapshot): number {
  return [...s.tables, s.loadedFiles].reduce((n, t) => n + t.ipc.byteLength, 0);
}

/**
 * The sample's files as the loader gets them, and the digests of their bytes: every file is
 * requested at once (a read-ahead, as source-files.ts readingAhead is; no need for both), its bytes
 * hashed as they arrive and handed to the loader once, so a load that does not wait for the
 * digests starts with the first file.
 */
export function withDigests(files: SourceFile[]): { files: SourceFile[]; digests: Promise<FileDigest[]> } {
  const reads = files.map((f) =>
    f.read().then(async (bytes) => ({
      bytes,
      digest: { path: f.path, size: bytes.byteLength, sha256: await sha256Hex(bytes) },
    })),
  );
  const digests = Promise.all(reads).then((r) => r.map((x) => x.digest));
  digests.catch(() => {}); // a file that cannot be read is reported by the loader; nothing is kept
  const handed = files.map((f, i) => {
    let early: Promise<{ bytes: Uint8Array }> | undefined = reads[i];
    return {
      ...f,
      read: () => {
        const r = early;
        early = undefined;
        return r ? r.then((x) => x.bytes) : f.read();
      },
    };
  });
  return { files: handed, digests };
}

/** A load of the sample that may come from the shipped or the kept copy, and goes into the kept one. */
export interface CachedLoad {
  /** The copies kept in this browser; undefined where it offers no IndexedDB. */
  cache?: CheckedLoadCache;
  /** Settles once every file was read and hashed; rejects if one could not be read. */
  digests: Promise<FileDigest[]>;
  /** The copy the build checked and shipped (shippedCheckedSample), fetched once when first asked. */
  shipped: () => Promise<CheckedSnapshot | undefined>;
}

/**
 * The sample's checked copy that the build shipped (src/node/checked-sample.ts), fetched and
 * unpacked; undefined when the app carries none (its listing names no `checked`: the dev server
 * serves one only on request) or it cannot be read: the sample then loads as usual. Whether it
 * is of these very files is the key's to say (load-controls.ts), and whether it is intact
 * snapshotIntact's, before it is restored.
 */
export function shippedCheckedSample(base: string): () => Promise<CheckedSnapshot | undefined> {
  let fetched: Promise<CheckedSnapshot | undefined> | undefined;
  return () => (fetched ??= fetchShipped(base));
}

async function fetchShipped(base: string): Promise<CheckedSnapshot | undefined> {
  try {
    const path = await checkedSamplePath(base);
    if (!path) return undefined;
    // Low, as the sample's files are (source-files.ts): DuckDB's wasm comes first.
    const res = await fetch(`${base}${path}`, { priority: SAMPLE_FETCH_PRIORITY });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    let bytes = new Uint8Array(await res.arrayBuffer());
    // A host may have sent it with Content-Encoding: gzip, which the browser already undid.
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      const unpacked = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
      bytes = new Uint8Array(await new Response(unpacked).arrayBuffer());
    }
    const snapshot = decodeCheckedSnapshot(bytes, path);
    // Checked now, while DuckDB starts, rather than on the first screen's path when restored.
    void snapshotIntact(snapshot);
    return snapshot;
  } catch (err) {
    console.warn('the checked copy shipped with the sample could not be read; loading the sample:', err);
    return undefined;
  }
}

export async function cacheKeyFor(load: CachedLoad, maxDecodedBytes: number): Promise<string> {
  return checkedCacheKey(await load.digests, { maxDecodedBytes });
}
