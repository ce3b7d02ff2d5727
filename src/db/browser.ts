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
import type { Database, InsertIPCOptions, SqlValue } from './database.ts';
import { WorkerParquetCodec } from './parquet-client.ts';
import {
  ConnectionQueue,
  hasLimits,
  inlineParams,
  queryInSteps,
  whileQueued,
  type QueryLimits,
} from './query-limits.ts';
import type { Runtime } from './runtime.ts';
import { SESSION_SETUP_SQL } from './session.ts';

/**
 * Open DuckDB-WASM. `worker` is its worker when the page created it already (src/ui/main.ts
 * does, before the rest of the app is even fetched, so the worker's 0.8 MB script is compiled and
 * run while the page loads the app); otherwise one is created here.
 */
export async function openBrowserDatabase(worker?: Worker): Promise<Database> {
  const features = await duckdb.getPlatformFeatures();
  if (!features.wasmExceptions) {
    worker?.terminate();
    throw new Error(
      'This browser lacks WebAssembly exception handling, which Label Lab needs ' +
        '(Chrome/Edge 95+, Firefox 100+, Safari 15.2+).',
    );
  }
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker ?? new Worker(duckdbWorkerUrl));
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

/**
 * Bytes the caller handed over (InsertIPCOptions.handOver) go as they are when they span their
 * whole buffer, as a Parquet part from the decoder's worker does. Each part's copy was made on
 * the page's thread before it was sent: in a 1M-alert load the staging inserts took 7.6-9.0 s
 * without it against 9.5-9.7 s with it (bench/load-profile.ts, two runs each). A view into a
 * larger buffer is still copied, so that transferring it detaches nothing else.
 */
function sendable(bytes: Uint8Array, handOver: boolean | undefined): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return handOver && whole && bytes.buffer instanceof ArrayBuffer ? bytes : ownedCopy(bytes);
}

class BrowserDatabase implements Database {
  readonly runtime = 'browser' as const;
  /**
   * A query with limits is several messages to the worker (start, polls): another statement on
   * this connection in between would replace it, so the connection's statements go one by one.
   */
  private readonly queue = new ConnectionQueue();
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

  query(sql: string, params?: readonly SqlValue[], limits?: QueryLimits): Promise<Table> {
    const stillWanted = whileQueued(limits);
    return this.queue.run(async () => {
      stillWanted();
      if (hasLimits(limits)) return this.queryInSteps(params?.length ? inlineParams(sql, params) : sql, limits);
      if (!params || params.length === 0) return this.conn.query(sql);
      const stmt = await this.conn.prepare(sql);
      try {
        return await stmt.query(...params);
      } finally {
        await stmt.close();
      }
    });
  }

  /**
   * The pending-query API (query-limits.ts): `conn.query` is one message that the worker runs to
   * the end, deaf to a cancel meanwhile; between two polls it takes one.
   */
  private queryInSteps(sql: string, limits: QueryLimits): Promise<Table> {
    const id = this.conn.useUnsafe((_, conn) => conn);
    // Each step is already a round trip to the worker, during which timers and events run.
    return queryInSteps(this.db, id, sql, limits, () => Promise.resolve());
  }

  async exec(sql: string, params?: readonly SqlValue[], limits?: QueryLimits): Promise<void> {
    await this.query(sql, params, limits);
  }

  registerFile(name: string, bytes: Uint8Array): Promise<void> {
    const owned = ownedCopy(bytes);
    return this.queue.run(() => this.db.registerFileBuffer(name, owned));
  }

  dropFile(name: string): Promise<void> {
    return this.queue.run(async () => void (await this.db.dropFile(name)));
  }

  insertIPC(name: string, ipcStream: Uint8Array, opts: InsertIPCOptions): Promise<void> {
    const bytes = sendable(ipcStream, opts.handOver);
    return this.queue.run(() => this.conn.insertArrowFromIPCStream(bytes, { name, create: opts.create }));
  }

  async close(): Promise<void> {
    await this.conn.close();
    if (this.ownsDatabase) await this.db.terminate();
  }
}

/** The browser runtime: DuckDB in its worker, Parquet decoded in a replaceable worker. */
export async function openBrowserRuntime(duckdbWorker?: Worker): Promise<Runtime> {
  const db = await openBrowserDatabase(duckdbWorker);
  return { db, parquet: new WorkerParquetCodec() };
}
