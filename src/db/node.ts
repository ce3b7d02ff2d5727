/**
 * The Node implementation of `Database`: DuckDB-WASM's blocking Node bundle (the async Node
 * bundle fails with "Failed to parse URL"). Node-only: the core never imports this file; the
 * CLI, the tests and the benchmarks do, through `openNodeDatabase`.
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { tableFromIPC, Table } from 'apache-arrow';
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import type { Database, InsertIPCOptions, SqlValue } from './database.ts';
import { initParquet, ipcToParquet, parquetToIPC } from './parquet.ts';
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

const require = createRequire(import.meta.url);
const dist = (file: string) => require.resolve(`@duckdb/duckdb-wasm/dist/${file}`);

/** Initialise parquet-wasm for Node from the .wasm the npm package ships. */
export function initNodeParquet(): Promise<void> {
  return initParquet(() => readFile(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')));
}

export async function openNodeDatabase(): Promise<Database> {
  const bundles = {
    mvp: { mainModule: dist('duckdb-mvp.wasm'), mainWorker: dist('duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: dist('duckdb-eh.wasm'), mainWorker: dist('duckdb-node-eh.worker.cjs') },
  };
  const [db] = await Promise.all([
    duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME),
    initNodeParquet(),
  ]);
  await db.instantiate();
  // Exact types (no castBigIntToDouble): results are also exported to Parquet, where a UInt64
  // must stay a UInt64. `rows()` and `scalar()` turn BigInts into numbers for JS use.
  db.open({});
  const conn = db.connect();
  conn.query(SESSION_SETUP_SQL);
  return new NodeDatabase(db, conn);
}

/**
 * The blocking bundle is CommonJS and so loads the CommonJS copy of apache-arrow, while our
 * modules import the ESM copy: tables from one copy misbehave in the other. Results cross over
 * as IPC bytes, which is the safe path between the two.
 */
function toLocalArrow(table: Table): Table {
  // Not `instanceof`: arrow's Symbol.hasInstance duck-types, so it says yes to the other copy.
  if (table.constructor === Table) return table;
  const cjsArrow = require('apache-arrow') as typeof import('apache-arrow');
  return tableFromIPC(cjsArrow.tableToIPC(table, 'stream'));
}

class NodeDatabase implements Database {
  readonly runtime = 'node' as const;
  /** A query with limits yields between its steps: nothing else may use the connection meanwhile. */
  private readonly queue = new ConnectionQueue();
  constructor(
    private db: duckdb.DuckDBBindings,
    private conn: duckdb.DuckDBConnection,
    /** Only the first connection owns the database and resets it on close. */
    private ownsDatabase = true,
  ) {}

  async connect(): Promise<Database> {
    const conn = this.db.connect();
    conn.query(SESSION_SETUP_SQL);
    return new NodeDatabase(this.db, conn, false);
  }

  query(sql: string, params?: readonly SqlValue[], limits?: QueryLimits): Promise<Table> {
    const stillWanted = whileQueued(limits);
    return this.queue.run(() => {
      stillWanted();
      if (hasLimits(limits)) return this.queryInSteps(params?.length ? inlineParams(sql, params) : sql, limits);
      if (!params || params.length === 0) return toLocalArrow(this.conn.query(sql));
      const stmt = this.conn.prepare(sql);
      try {
        return toLocalArrow(stmt.query(...params));
      } finally {
        stmt.close();
      }
    });
  }

  /** The pending-query API, yielding to the event loop between polls (query-limits.ts). */
  private queryInSteps(sql: string, limits: QueryLimits): Promise<Table> {
    const id = this.conn.useUnsafe((_, conn) => conn);
    return queryInSteps(this.db, id, sql, limits, () => new Promise<void>((resolve) => setImmediate(resolve)));
  }

  async exec(sql: string, params?: readonly SqlValue[], limits?: QueryLimits): Promise<void> {
    await this.query(sql, params, limits);
  }

  registerFile(name: string, bytes: Uint8Array): Promise<void> {
    return this.queue.run(() => this.db.registerFileBuffer(name, bytes));
  }

  dropFile(name: string): Promise<void> {
    return this.queue.run(() => void this.db.dropFile(name));
  }

  insertIPC(name: string, ipcStream: Uint8Array, opts: InsertIPCOptions): Promise<void> {
    return this.queue.run(() => this.conn.insertArrowFromIPCStream(ipcStream, { name, create: opts.create }));
  }

  close(): Promise<void> {
    return this.queue.run(() => {
      this.conn.close();
      if (this.ownsDatabase) this.db.reset();
    });
  }
}

/** The Node runtime: DuckDB plus in-process parquet-wasm (the CLI can afford a crash). */
export async function openNodeRuntime(): Promise<Runtime> {
  const db = await openNodeDatabase();
  return { db, parquet: { toIPC: parquetToIPC, fromIPC: (ipc) => ipcToParquet(ipc) } };
}
