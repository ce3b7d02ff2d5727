/**
 * A checked load kept for the next visit: what the loader merged from a set of files (the raw
 * tables' rows, `_loaded_files`, the load's report), so that loading the very same files again
 * restores it instead of decoding and checking everything a second time.
 *
 * What makes it safe:
 * - The key is made of every file's path, size and sha256 (of its bytes as read now, META.json
 *   included), the loader's options that change what is refused (the decoded-size limit), this
 *   format's version and the contracts. Any change to any file, a file more or less, another
 *   limit or another loader gives another key, and the kept copy is not used.
 * - The kept copy carries a sha256 of each of its parts, checked before anything is restored; a
 *   part that does not match, or any failure while restoring, leaves the database as it was (one
 *   transaction) and the caller loads the files normally.
 * - Only a load into an empty lab is kept or restored: the copy is the state a normal load of
 *   those files into a fresh tab produces, refused files and their problems included.
 */
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { ident, rows, type Database } from '../db/database.ts';
import { rollback } from '../db/transaction.ts';
import { sha256Hex } from '../db/runtime.ts';
import { ALERTS_TABLE, LABEL_COLUMNS } from '../migrations/label-columns.ts';
import { checkArrowShape } from './arrow-check.ts';
import { CONTRACTS } from './contracts.ts';
import type { LoadReport } from './lab.ts';
import { allRawColumns, LOADED_FILES, rawColumns, tableColumns } from './schema.ts';

/** Bump when what is kept, or how the loader checks, changes in a way the contracts do not show. */
export const CHECKED_CACHE_VERSION = 1;

/** One file of the load as the key sees it. */
export interface FileDigest {
  path: string;
  size: number;
  sha256: string;
}

export interface CacheKeyOptions {
  /** The decoded-size limit the load ran with: another limit may refuse other files. */
  maxDecodedBytes: number;
}

/**
 * The key of a load of `files`: a sha256 over their sorted paths, sizes and digests, the options,
 * the cache version and the contracts. Two loads have the same key only if they read the same
 * bytes under the same names with the same loader.
 */
export async function checkedCacheKey(files: readonly FileDigest[], opts: CacheKeyOptions): Promise<string> {
  const sorted = [...files]
    .map((f) => [f.path, f.size, f.sha256.toLowerCase()] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const basis = JSON.stringify({
    version: CHECKED_CACHE_VERSION,
    contracts: CONTRACTS,
    maxDecodedBytes: opts.maxDecodedBytes,
    files: sorted,
  });
  return sha256Hex(new TextEncoder().encode(basis));
}

/** One table's rows as an Arrow IPC stream, its columns' DuckDB types and a digest of the bytes. */
export interface KeptTable {
  table: string;
  columns: { name: string; type: string }[];
  rows: number;
  ipc: Uint8Array;
  sha256: string;
}

export interface CheckedSnapshot {
  key: string;
  /** When the load it keeps was checked (ms since the epoch). */
  savedAt: number;
  report: LoadReport;
  tables: KeptTable[];
  /** `_loaded_files`, as a table of its own. */
  loadedFiles: KeptTable;
}

/** The label columns the migrations add: labels live in label_events, not in a kept load. */
const NOT_KEPT: Record<string, ReadonlySet<string>> = {
  [ALERTS_TABLE]: new Set([...LABEL_COLUMNS.map((c) => c.name)]),
};

async function keep(db: Database, table: string, columns: { name: string; type: string }[]): Promise<KeptTable> {
  const select = columns.map((c) => ident(c.name)).join(', ');
  const result = await db.query(`SELECT ${select} FROM ${ident(table)}`);
  const ipc = tableToIPC(result, 'stream');
  return { table, columns, rows: result.numRows, ipc, sha256: await sha256Hex(ipc) };
}

/**
 * What is loaded, to be kept under `key`. Call it right after the load, before any other load
 * (Lab.keepChecked runs it in the load queue).
 */
export async function exportChecked(db: Database, key: string, report: LoadReport): Promise<CheckedSnapshot> {
  const tables: KeptTable[] = [];
  for (const c of CONTRACTS) {
    const skip = NOT_KEPT[c.raw] ?? new Set<string>();
    const columns = [...(await rawColumns(db, c))]
      .filter(([name]) => !skip.has(name))
      .map(([name, type]) => ({ name, type }));
    tables.push(await keep(db, c.raw, columns));
  }
  const loadedColumns = [...(await tableColumns(db, LOADED_FILES))].map(([name, type]) => ({ name, type }));
  return {
    key,
    savedAt: Date.now(),
    report: structuredClone(report),
    tables,
    loadedFiles: await keep(db, LOADED_FILES, loadedColumns),
  };
}

const intactness = new WeakMap<CheckedSnapshot, Promise<boolean>>();

/**
 * Whether every part of a kept copy is what was written (its digests), and its counts add up.
 * Remembered per copy, so a caller may start it early, while DuckDB is still starting (the app
 * does for the shipped copy: load-cache.ts), and the restore takes the answer. A copy is never
 * changed once read; a changed one is another object, checked on its own.
 */
export function snapshotIntact(s: CheckedSnapshot): Promise<boolean> {
  let answer = intactness.get(s);
  if (!answer) {
    answer = checkIntact(s);
    intactness.set(s, answer);
  }
  return answer;
}

async function checkIntact(s: CheckedSnapshot): Promise<boolean> {
  try {
    for (const t of [...s.tables, s.loadedFiles]) {
      if (!(t.ipc instanceof Uint8Array) || (await sha256Hex(t.ipc)) !== t.sha256) return false;
      // Damaged IPC can crash DuckDB-WASM itself: read it in JS first, its shape, rows and columns.
      checkArrowShape(t.ipc);
      const table = tableFromIPC(t.ipc);
      if (table.numRows !== t.rows) return false;
      if (table.schema.fields.map((f) => f.name).join('\u0000') !== t.columns.map((c) => c.name).join('\u0000'))
        return false;
    }
    const byTable = new Map<string, number>();
    for (const l of s.report.loaded) byTable.set(l.table, (byTable.get(l.table) ?? 0) + l.rows);
    for (const c of CONTRACTS) {
      const kept = s.tables.find((t) => t.table === c.raw);
      if (!kept || kept.rows !== (byTable.get(c.name) ?? 0)) return false;
    }
    return s.loadedFiles.rows === s.report.loaded.length;
  } catch {
    return false;
  }
}

const RESTORE_PREFIX = '_restore_';

/**
 * The tables a restore re-creates from the kept copy's own bytes, rather than copying into: each
 * raw table is, before any load, its contract's columns and nothing else (no keys, defaults or
 * migrated columns), so an empty one can be dropped and made again from the kept Arrow stream
 * in one step, which spares a staging copy and an INSERT ... SELECT of every row. raw_alerts
 * carries the label columns the migrations added, and `_loaded_files` its key and defaults:
 * those two are copied into.
 */
function recreated(table: string): boolean {
  return table !== ALERTS_TABLE && table !== LOADED_FILES;
}

/**
 * Put a kept load back into an empty lab, in one transaction: false (and nothing changed) when
 * the lab is not empty or anything does not fit. The caller rebuilds the views.
 */
export async function restoreChecked(db: Database, s: CheckedSnapshot): Promise<boolean> {
  const [loaded] = rows<{ n: number }>(await db.query(`SELECT count(*) AS n FROM ${LOADED_FILES}`));
  if (Number(loaded?.n ?? 0) !== 0) return false;
  const parts = [...s.tables.filter((t) => t.rows > 0), s.loadedFiles];
  await db.exec('BEGIN TRANSACTION');
  try {
    // Staging tables made in the transaction go with it, committed or rolled back: nothing to
    // clean up after a failure.
    for (const [i, t] of parts.entries()) {
      if (recreated(t.table)) {
        await db.exec(`DROP TABLE ${ident(t.table)}`);
        await db.insertIPC(t.table, t.ipc, { create: true });
      } else await copyInto(db, t, `${RESTORE_PREFIX}${i}`);
    }
    // Every table holds exactly what was kept: its rows, and (where re-created) its columns
    // and their types, or the restore is not used.
    const columns = await allRawColumns(db);
    for (const t of parts.filter((p) => recreated(p.table))) {
      const got = [...(columns.get(t.table) ?? [])].map(([name, type]) => `${name} ${type}`);
      if (got.join(', ') !== t.columns.map((c) => `${c.name} ${c.type}`).join(', '))
        throw new Error(`${t.table}: restored columns differ`);
    }
    const counts = rows<Record<string, number>>(
      await db.query(
        `SELECT ${parts.map((t, i) => `(SELECT count(*) FROM ${ident(t.table)}) AS ${ident(`n${i}`)}`).join(', ')}`,
      ),
    )[0];
    parts.forEach((t, i) => {
      if (Number(counts?.[`n${i}`] ?? -1) !== t.rows) throw new Error(`${t.table}: restored row count differs`);
    });
    await db.exec('COMMIT');
  } catch {
    await rollback(db);
    return false;
  }
  // New files get ids after the kept ones (a sequence cannot be set back, only moved on).
  const [max] = rows<{ m: number | null }>(await db.query(`SELECT max(file_id) AS m FROM ${LOADED_FILES}`));
  const ids = Number(max?.m ?? 0);
  if (ids > 0) await db.exec(`SELECT max(nextval('_loaded_files_seq')) FROM range(${ids})`);
  return true;
}

/**
 * A kept table copied into its existing table, in the open transaction, through a staging table
 * `stage`: the columns it lacks added first (DuckDB alters no table a transaction has appended
 * to), then every value cast back to the type it was kept from, as Arrow may bring it as a near
 * type.
 */
async function copyInto(db: Database, t: KeptTable, stage: string): Promise<void> {
  await db.insertIPC(stage, t.ipc, { create: true });
  const existing = await tableColumns(db, t.table);
  const missing = t.columns.filter((c) => !existing.has(c.name));
  if (missing.length > 0) {
    await db.exec(
      missing.map((c) => `ALTER TABLE ${ident(t.table)} ADD COLUMN ${ident(c.name)} ${c.type};`).join('\n'),
    );
  }
  const names = t.columns.map((c) => ident(c.name)).join(', ');
  const values = t.columns.map((c) => `CAST(${ident(c.name)} AS ${c.type})`).join(', ');
  await db.exec(
    `INSERT INTO ${ident(t.table)} (${names}) SELECT ${values} FROM ${ident(stage)}; DROP TABLE ${ident(stage)};`,
  );
}
