/**
 * The one interface every part of Label Lab uses to talk to DuckDB.
 *
 * Two implementations sit behind it: `node.ts` (DuckDB-WASM's blocking Node bundle, for the CLI
 * and the tests) and `browser.ts` (DuckDB-WASM in its Web Worker). Everything above this file is
 * runtime-agnostic: it sends SQL text plus bound parameters and gets Arrow tables back.
 */
import type { Table } from 'apache-arrow';
import type { QueryLimits } from './query-limits.ts';
import { converterFor, plainRows } from './values.ts';

export { QueryInterrupted, type QueryLimits } from './query-limits.ts';

/**
 * A value bound to a parameter of a prepared statement. DuckDB takes either `?` (each one the
 * next value, in order) or `$1`, `$2`, ... (numbered, so one value can appear several times, as the
 * proxy rule's SQL in src/labels uses them); not both in one statement. Values are positional:
 * exactly one per distinct parameter, and named `$name` parameters cannot be bound here (tried
 * against DuckDB-WASM's Node bundle; the browser bundle is the same engine).
 */
export type SqlValue = string | number | boolean | null | bigint;

export interface InsertIPCOptions {
  create: boolean;
  handOver?: boolean;
}

export interface Database {
  /** Which runtime this is, shown to users and in benchmark tables. */
  readonly runtime: 'node' | 'browser';
  /**
   * Run one statement and return its result. With `params`, the statement is prepared and the
   * values are bound to its `?` or `$n` parameters (see SqlValue): never splice user values into `sql`.
   *
   * With `limits`, the query is run in steps (query-limits.ts) and stopped, with a
   * QueryInterrupted, once it runs past `timeoutMs` or `signal` aborts; the connection and
   * every table stay usable. Without, it runs to the end, however long that takes.
   */
  query(sql: string, params?: readonly SqlValue[], limits?: QueryLimits): Promise<Table>;
  /** Run statements for their effect (DDL, inserts). With `params`, exactly one statement. */
  exec(sql: string, params?: readonly SqlValue[], limits?: QueryLimits): Promise<void>;
  /** Make a byte buffer readable by SQL under `name` (for `read_csv('name')` and the like). */
  registerFile(name: string, bytes: Uint8Array): Promise<void>;
  /** Forget a registered file. */
  dropFile(name: string): Promise<void>;
  /**
   * Load an Arrow IPC stream into table `name`: `create: true` creates it (the name must be
   * free), `create: false` appends. Appends match columns BY POSITION, not by name, so only
   * append chunks of one and the same file; merge different files with `INSERT ... BY NAME`.
   * `handOver: true` says the caller is done with the bytes: the browser then sends them to
   * DuckDB's worker as they are (detaching them) instead of copying them first.
   */
  insertIPC(name: string, ipcStream: Uint8Array, opts: InsertIPCOptions): Promise<void>;
  /**
   * Another connection to the same database, with its own transactions: a load merges through
   * one, so the UI's reads on the main connection never see (or break) a half-done merge.
   * Closing it closes only that connection.
   */
  connect(): Promise<Database>;
  close(): Promise<void>;
}

/**
 * `db` with every query and statement stopped by `limits` (a notebook cell's run: its time limit
 * and its cancel), unless a call passes limits of its own. `connect()` gives plain connections.
 */
export function withQueryLimits(db: Database, limits: QueryLimits): Database {
  const limited: Database = {
    runtime: db.runtime,
    query: (sql, params, own) => db.query(sql, params, own ?? limits),
    exec: (sql, params, own) => db.exec(sql, params, own ?? limits),
    registerFile: (name, bytes) => db.registerFile(name, bytes),
    dropFile: (name) => db.dropFile(name),
    insertIPC: (name, ipc, opts) => db.insertIPC(name, ipc, opts),
    connect: () => db.connect(),
    close: () => db.close(),
  };
  wrapped.set(limited, unlimited(db));
  return limited;
}

const wrapped = new WeakMap<Database, Database>();

/** The database under `withQueryLimits` wrappers: the same database whichever cell asks. */
export function unlimited(db: Database): Database {
  return wrapped.get(db) ?? db;
}

/** Quote an SQL identifier (table or column name). Values are bound, never quoted by hand. */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/**
 * Quote a string literal, for the few places DuckDB does not accept a bound parameter
 * (table-function file names such as `read_csv('...')`, DDL defaults).
 */
export function literal(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

/**
 * Rows of a (small) result as plain objects, for summaries and tests: BIGINT as numbers (exact
 * up to 2^53), DECIMAL and HUGEINT sums scaled to numbers, dates as epoch milliseconds.
 */
export function rows<T = Record<string, unknown>>(table: Table): T[] {
  return plainRows(table, { dates: 'epoch-ms' }).rows as T[];
}

/** The single value of a one-row, one-column result. */
export function scalar<T = unknown>(table: Table): T {
  const col = table.getChildAt(0);
  if (!col || table.numRows === 0) throw new Error('expected a one-row result');
  return converterFor(table.schema.fields[0]!.type, { dates: 'epoch-ms' })(col.get(0)) as T;
}
