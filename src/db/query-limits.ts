/**
 * Queries that can be stopped: a time limit and an AbortSignal, for both runtimes.
 *
 * DuckDB-WASM runs a query in steps only through its pending-query API (start, then poll until
 * the result is ready, each poll doing about 100 ms of work; cancel between polls). In Node
 * (the blocking bundle, on the main thread) nothing else runs during a step, so the loop yields
 * to the event loop between polls (`setImmediate`): that is when a timer fires or a signal
 * aborts. In the browser each step is a message to DuckDB's worker, and between two the worker
 * can take the cancel. A cancelled query leaves its connection usable, the tables as they were.
 *
 * Prepared statements have no pending API (their run is one blocking call), and DuckDB's
 * `PREPARE` does not take `CREATE TABLE ... AS`, which is how a sql cell stores its result. So a
 * statement with parameters that must be stoppable gets its values written in as typed literals
 * (`inlineParams`) by this file, which knows their types, and is run like any other: the values
 * still come from the caller as values, never as text the caller spliced.
 */
import { tableFromIPC, type Table } from 'apache-arrow';
import type { SqlValue } from './database.ts';
import { scanSql } from './sql-lexer.ts';

/** How a query may be stopped: after `timeoutMs`, or when `signal` aborts. */
export interface QueryLimits {
  signal?: AbortSignal;
  /** Milliseconds; absent, 0 or Infinity: no time limit. */
  timeoutMs?: number;
  /**
   * Told, when the query's turn on its connection comes, how long it waited for it (behind
   * other queries): a cell's duration says how long it ran and how long it waited, apart.
   */
  onQueued?: (waitedMs: number) => void;
}

/** A query stopped before it finished: it ran past its time limit, or its signal aborted. */
export class QueryInterrupted extends Error {
  override name = 'QueryInterrupted';
  constructor(
    readonly reason: 'timeout' | 'cancelled',
    /** The limit it ran past (reason 'timeout'). */
    readonly timeoutMs?: number,
  ) {
    super(reason === 'timeout' ? `query stopped after ${formatSeconds(timeoutMs ?? 0)}` : 'query cancelled');
  }
}

/** "30 s", "1.5 s", "2 min" for a limit in milliseconds. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s >= 120 && s % 60 === 0) return `${s / 60} min`;
  return `${Number.isInteger(s) ? s : Number(s.toFixed(2))} s`;
}

export function hasLimits(limits: QueryLimits | undefined): limits is QueryLimits {
  return !!limits && (limits.signal !== undefined || limitMs(limits) !== undefined);
}

function limitMs(limits: QueryLimits): number | undefined {
  const t = limits.timeoutMs;
  return t !== undefined && t > 0 && Number.isFinite(t) ? t : undefined;
}

/** The steps of one connection's pending query, synchronous (Node) or not (the browser). */
export interface PendingSteps {
  /** Start `sql`; the result's Arrow IPC header when it is already done, else null. */
  start(sql: string): Uint8Array | null | Promise<Uint8Array | null>;
  /** Run about one polling interval more; the header once done, else null. */
  poll(): Uint8Array | null | Promise<Uint8Array | null>;
  cancel(): unknown;
  /** The next batch of a finished query's result; an empty array at the end, null to ask again. */
  fetch(): Uint8Array | null | Promise<Uint8Array | null>;
  /** Let other work run between two polls (timers, the signal's listeners). */
  pause(): Promise<void>;
}

/**
 * Run `sql` step by step and return its result as Arrow IPC stream chunks (header first).
 * Throws QueryInterrupted when the limit passes or the signal aborts while it runs. A signal
 * already aborted does not stop a query from starting: clean-up statements (ROLLBACK, dropping
 * a half-built result) must still run after a cancel; they only keep the time limit.
 */
export async function runPending(steps: PendingSteps, sql: string, limits: QueryLimits): Promise<Uint8Array[]> {
  let stopped: QueryInterrupted | undefined;
  const ms = limitMs(limits);
  const timer = ms !== undefined ? setTimeout(() => (stopped ??= new QueryInterrupted('timeout', ms)), ms) : undefined;
  const signal = limits.signal?.aborted ? undefined : limits.signal;
  const onAbort = () => (stopped ??= new QueryInterrupted('cancelled'));
  signal?.addEventListener('abort', onAbort);
  try {
    let header = await steps.start(sql);
    while (header === null) {
      await steps.pause();
      if (stopped) {
        await steps.cancel();
        throw stopped;
      }
      header = await steps.poll();
    }
    const chunks = [header];
    for (;;) {
      const batch = await steps.fetch();
      if (batch === null) continue;
      if (batch.length === 0) break;
      chunks.push(batch);
    }
    return chunks;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The pending-query API of a DuckDB-WASM connection, as both bindings have it: the blocking Node
 * bundle's (synchronous) and the browser's AsyncDuckDB (one worker round trip per call).
 */
export interface PendingQueryBindings {
  startPendingQuery(
    conn: number,
    text: string,
    allowStreamResult: boolean,
  ): Uint8Array | null | Promise<Uint8Array | null>;
  pollPendingQuery(conn: number): Uint8Array | null | Promise<Uint8Array | null>;
  cancelPendingQuery(conn: number): unknown;
  fetchQueryResults(conn: number): Uint8Array | null | Promise<Uint8Array | null>;
}

/**
 * `sql` run in steps on connection `conn` (runPending), its result read by our own copy of
 * apache-arrow from the IPC bytes. `pause` is how the runtime lets other work run between polls.
 */
export async function queryInSteps(
  db: PendingQueryBindings,
  conn: number,
  sql: string,
  limits: QueryLimits,
  pause: () => Promise<void>,
): Promise<Table> {
  const chunks = await runPending(
    {
      start: (text) => db.startPendingQuery(conn, text, false),
      poll: () => db.pollPendingQuery(conn),
      cancel: () => db.cancelPendingQuery(conn),
      fetch: () => db.fetchQueryResults(conn),
      pause,
    },
    sql,
    limits,
  );
  return tableFromIPC(chunks);
}

/**
 * `sql` with its `?` and `$n` placeholders replaced by `params` as typed literals, found by
 * sql-lexer.ts as DuckDB's lexer finds them: not inside '...', E'...', $tag$...$tag$ strings,
 * "quoted" names or comments. Types follow what DuckDB-WASM binds: a number is a DOUBLE, a string text (which,
 * like a bound string, takes the type its context asks for), a bigint a BIGINT or HUGEINT.
 */
export function inlineParams(sql: string, params: readonly SqlValue[]): string {
  let out = '';
  let at = 0;
  for (const { start, end, index } of scanSql(sql).placeholders) {
    if (index < 0 || index >= params.length)
      throw new Error(`parameter ${index + 1} has no value: ${params.length} given`);
    out += sql.slice(at, start) + sqlLiteral(params[index]!);
    at = end;
  }
  return out + sql.slice(at);
}

/** One value as a typed SQL literal. */
export function sqlLiteral(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'bigint') {
    const fits = v >= -(2n ** 63n) && v < 2n ** 63n;
    return `CAST(${v} AS ${fits ? 'BIGINT' : 'HUGEINT'})`;
  }
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return "CAST('NaN' AS DOUBLE)";
    if (!Number.isFinite(v)) return `CAST('${v > 0 ? '' : '-'}Infinity' AS DOUBLE)`;
    return `CAST(${String(v)} AS DOUBLE)`;
  }
  if (typeof v === 'string') return "'" + v.replace(/'/g, "''") + "'";
  throw new Error(`cannot bind a value of type ${typeof v}`);
}

/**
 * Call when a query with `limits` is asked for, and again when its turn on the connection
 * comes: throws QueryInterrupted if the signal aborted while it waited (its run was cancelled
 * or went stale before it started). A signal that had already aborted when it was asked for does
 * not stop it: that is clean-up after a cancel (see runPending). At its turn, `onQueued` hears
 * how long it waited.
 */
export function whileQueued(limits: QueryLimits | undefined): () => void {
  const signal = limits?.signal;
  const asked = performance.now();
  const wanted = !signal || signal.aborted ? undefined : signal;
  return () => {
    limits?.onQueued?.(performance.now() - asked);
    if (wanted?.aborted) throw new QueryInterrupted('cancelled');
  };
}

/**
 * Operations on one connection, one at a time: a query run in steps yields between them, and
 * another statement started on the same connection meanwhile would replace it.
 */
export class ConnectionQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(op: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(op);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
