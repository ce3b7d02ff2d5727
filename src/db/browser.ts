/**
 * The browser implementation of `Database` and `Runtime`: DuckDB-WASM's AsyncDuckDB in its own
 * Web Worker, and Parquet decoded by parquet-wasm in a second, throw-away worker.
 *
 * Every file is imported with Vite's `?url`, so nothing is fetched from a CDN and the app works
 * with no network at all. Only the `eh` bundle (wasm exception handling) is shipped: the `mvp`
 * bundle doubles dist/ for browsers older than Chrome 95 / Firefox 100 / Safari 15.2.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import duckdbWasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import duckdbWorkerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { Table } from 'apache-arrow';
import type { Database, SqlValue } from './database.ts';
import type { ParquetReply, ParquetRequest } from './parquet.worker.ts';
import type { IPCPart, ParquetCodec, Runtime } from './runtime.ts';
import { SESSION_SETUP_SQL } from './session.ts';

export async function openBrowserDatabase(): Promise<Database> {
  const features = await duckdb.getPlatformFeatures();
  if (!features.wasmExceptions) {
    throw new Error(
      'This browser lacks WebAssembly exception handling, which Label Lab needs ' +
        '(Chrome/Edge 95+, Firefox 100+, Safari 15.2+).',
    );
  }
  const worker = new Worker(duckdbWorkerUrl);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  try {
    await db.instantiate(duckdbWasmUrl);
    // Exact types, as in Node: no castBigIntToDouble (results are exported to Parquet, where a
    // UInt64 must stay one; `rows()` and the UI turn BigInt into numbers), and no
    // castDecimalToDouble (it gets the last digit of ~14% of decimals wrong; the loader casts
    // decimals to DOUBLE in SQL instead, shared/stack-notes.md).
    await db.open({});
    const conn = await db.connect();
    await conn.query(SESSION_SETUP_SQL);
    await assertOneArrowCopy(conn);
    return new BrowserDatabase(db, conn);
  } catch (err) {
    await db.terminate();
    throw err;
  }
}

/**
 * Two copies of apache-arrow in the bundle make results cross between copies and come out empty
 * (shared/stack-notes.md). package.json's override prevents it; this fails loudly if it regresses.
 */
async function assertOneArrowCopy(conn: duckdb.AsyncDuckDBConnection): Promise<void> {
  const probe = await conn.query('SELECT 1 AS one');
  // Not `instanceof`: apache-arrow's Symbol.hasInstance accepts a Table from any copy.
  if (Object.getPrototypeOf(probe) !== Table.prototype) {
    throw new Error(
      'DuckDB-WASM returned an apache-arrow Table from another copy of the library: ' +
        'check the "overrides" entry in package.json and reinstall.',
    );
  }
}

/**
 * AsyncDuckDB transfers (detaches) the ArrayBuffer of every byte array it posts to its worker,
 * whole buffer included when the array is a view into a larger one. The Node implementation
 * leaves the caller's bytes intact, so copy before handing over unless we own them already.
 */
function ownedCopy(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}

class BrowserDatabase implements Database {
  readonly runtime = 'browser' as const;
  constructor(
    private db: duckdb.AsyncDuckDB,
    private conn: duckdb.AsyncDuckDBConnection,
    /** Only the first connection owns the worker and terminates it on close. */
    private ownsDatabase = true,
  ) {}

  async connect(): Promise<Database> {
    const conn = await this.db.connect();
    await conn.query(SESSION_SETUP_SQL);
    return new BrowserDatabase(this.db, conn, false);
  }

  async query(sql: string, params?: readonly SqlValue[]): Promise<Table> {
    if (!params || params.length === 0) return this.conn.query(sql);
    const stmt = await this.conn.prepare(sql);
    try {
      return await stmt.query(...params);
    } finally {
      await stmt.close();
    }
  }

  async exec(sql: string, params?: readonly SqlValue[]): Promise<void> {
    await this.query(sql, params);
  }

  async registerFile(name: string, bytes: Uint8Array): Promise<void> {
    await this.db.registerFileBuffer(name, ownedCopy(bytes));
  }

  async dropFile(name: string): Promise<void> {
    await this.db.dropFile(name);
  }

  async insertIPC(name: string, ipcStream: Uint8Array, opts: { create: boolean }): Promise<void> {
    await this.conn.insertArrowFromIPCStream(ownedCopy(ipcStream), { name, create: opts.create });
  }

  async close(): Promise<void> {
    await this.conn.close();
    if (this.ownsDatabase) await this.db.terminate();
  }
}

/**
 * One parquet.worker.ts instance and its outstanding requests. Once retired (after an error, or
 * after decoding enough to have grown a heap that wasm never gives back) it takes no new jobs
 * and is terminated when its last job ends.
 */
class ParquetWorker {
  private worker = new Worker(new URL('./parquet.worker.ts', import.meta.url), { type: 'module' });
  private pending = new Map<number, { resolve: (r: ParquetReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private jobs = 0;
  private bytesIn = 0;
  /** Set once the worker has died: every later request fails at once instead of waiting forever. */
  private dead: Error | null = null;
  retired = false;

  constructor() {
    this.worker.onmessage = (event: MessageEvent<ParquetReply>) => {
      const waiter = this.pending.get(event.data.id);
      this.pending.delete(event.data.id);
      waiter?.resolve(event.data);
    };
    // The worker script failed to load or threw outside a job: nothing it holds can be trusted.
    this.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.fail(new Error(`the Parquet decoder stopped: ${event.message || 'worker error'}`));
    };
    this.worker.onmessageerror = () => this.fail(new Error('the Parquet decoder sent an unreadable message'));
  }

  newId(): number {
    return this.nextId++;
  }

  /** Post a message that gets no reply. */
  post(message: ParquetRequest, transfer: Transferable[] = []): void {
    if (!this.dead) this.worker.postMessage(message, transfer);
  }

  /** Post a message and wait for the reply carrying its id; an `error` reply rejects. */
  request(message: ParquetRequest, transfer: Transferable[] = []): Promise<ParquetReply> {
    return new Promise<ParquetReply>((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      this.pending.set(message.id, { resolve, reject });
      this.worker.postMessage(message, transfer);
    }).then((reply) => {
      if (reply.type === 'error') throw decoderError(reply.name, reply.message);
      return reply;
    });
  }

  begin(inputBytes: number): void {
    this.jobs++;
    this.bytesIn += inputBytes;
    if (this.bytesIn > RECYCLE_AFTER_BYTES) this.retired = true;
  }

  end(): void {
    this.jobs--;
    if (this.retired && this.jobs === 0) this.worker.terminate();
  }

  private fail(err: Error): void {
    this.dead = err;
    this.retired = true;
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
    this.worker.terminate();
  }
}

/**
 * parquet-wasm's heap only grows: a worker that has decoded this much input is replaced once it
 * is idle, so one large load does not pin hundreds of MB for the rest of the session.
 */
const RECYCLE_AFTER_BYTES = 256 * 1024 * 1024;

/**
 * parquet-wasm's own messages read well ("Invalid Parquet file. Corrupt footer"); a wasm panic
 * only says "unreachable", so say that the decoder crashed. The loader adds the file's name.
 */
function decoderError(name: string, message: string): Error {
  if (name === 'RuntimeError') return new Error(`the decoder crashed on it, RuntimeError: ${message}`);
  const err = new Error(message);
  err.name = name;
  return err;
}

/**
 * `ParquetCodec` over parquet.worker.ts. Any failed job retires its worker (parquet-wasm may
 * have panicked and leaked), and the next job starts a fresh one.
 */
export class WorkerParquetCodec implements ParquetCodec {
  private current: ParquetWorker | null = null;

  private acquire(inputBytes: number): ParquetWorker {
    if (!this.current || this.current.retired) this.current = new ParquetWorker();
    const worker = this.current;
    worker.begin(inputBytes);
    return worker;
  }

  async *toIPC(bytes: Uint8Array): AsyncGenerator<IPCPart> {
    const worker = this.acquire(bytes.byteLength);
    const id = worker.newId();
    let finished = false;
    try {
      // Copied by structured clone: the caller keeps its bytes (it may still hash them).
      worker.post({ op: 'open', id, bytes });
      for (;;) {
        const reply = await worker.request({ op: 'next', id });
        if (reply.type === 'end') {
          finished = true;
          return;
        }
        if (reply.type === 'chunk') yield reply.part;
      }
    } catch (err) {
      finished = true;
      worker.retired = true;
      throw err;
    } finally {
      // The consumer stopped early (a break, an abort): let the worker drop the decode.
      if (!finished) worker.post({ op: 'close', id });
      worker.end();
    }
  }

  async fromIPC(ipcStream: Uint8Array): Promise<Uint8Array> {
    const worker = this.acquire(ipcStream.byteLength);
    try {
      const reply = await worker.request({ op: 'encode', id: worker.newId(), ipc: ipcStream });
      if (reply.type !== 'parquet') throw new Error(`unexpected reply '${reply.type}' from the Parquet encoder`);
      return reply.bytes;
    } catch (err) {
      worker.retired = true;
      throw err;
    } finally {
      worker.end();
    }
  }
}

/** The browser runtime: DuckDB in its worker, Parquet decoded in a replaceable worker. */
export async function openBrowserRuntime(): Promise<Runtime> {
  const db = await openBrowserDatabase();
  return { db, parquet: new WorkerParquetCodec() };
}
