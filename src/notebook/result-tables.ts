/**
 * Where sql cells keep their results: a TEMP table named after the cell.
 *
 * Why TEMP tables under the cell's own name: later cells (and the app's SQL console) can then
 * write `FROM by_severity` exactly as the notebook reads, with no rewriting of SQL text. DuckDB
 * resolves the temp catalog before `main`, so a result table would hide a table or view of the
 * same name from every query on the connection; a cell may therefore never take the name of a
 * table or view that exists outside the temp catalog (checked before each run), and two open
 * notebooks on one database may not both claim a name. Results are tables, not views, so what
 * later cells read is exactly what the cell showed, and a heavy query runs once.
 */
import { ident, rows, unlimited, type Database } from '../db/database.ts';

const claims = new WeakMap<Database, Map<string, symbol>>();

/** Reserve `name` on `db` for `owner` (one open notebook); throws if another notebook holds it. */
export function claimResultName(db: Database, name: string, owner: symbol): void {
  let names = claims.get(unlimited(db));
  if (!names) claims.set(unlimited(db), (names = new Map()));
  const holder = names.get(name);
  if (holder && holder !== owner)
    throw new Error(`the result name ${name} is in use by another open notebook: expected a name of its own`);
  names.set(name, owner);
}

/** Throws if a table or view outside the temp catalog has this name (the result would hide it). */
export async function checkNameIsFree(db: Database, name: string): Promise<void> {
  const taken = rows<{ kind: string }>(
    await db.query(
      `SELECT 'table' AS kind FROM duckdb_tables() WHERE NOT temporary AND lower(table_name) = ?
       UNION ALL SELECT 'view' FROM duckdb_views() WHERE NOT temporary AND NOT internal AND lower(view_name) = ?`,
      [name, name],
    ),
  )[0];
  if (taken)
    throw new Error(
      `the name ${name} is taken by the ${taken.kind} ${name}: rename the cell (its result table would hide the ${taken.kind})`,
    );
}

export async function dropResult(db: Database, name: string): Promise<void> {
  await db.exec(`DROP TABLE IF EXISTS temp.main.${ident(name)}`);
}

/** Drop every result `owner` holds and free the names. */
export async function releaseResults(db: Database, owner: symbol): Promise<void> {
  const names = claims.get(unlimited(db));
  if (!names) return;
  for (const [name, holder] of [...names]) {
    if (holder !== owner) continue;
    names.delete(name);
    await dropResult(db, name);
  }
}

export function releaseResultName(db: Database, name: string, owner: symbol): void {
  const names = claims.get(unlimited(db));
  if (names?.get(name) === owner) names.delete(name);
}

/** What a cell that reads a result table knows of it (a sql cell's value is one). */
export interface ResultTable {
  /** The table's name: the cell's. */
  name: string;
  columns: { name: string; type: string }[];
  rowCount: number;
}

/**
 * The result tables of one open notebook: the owner its cells claim names under, and their end.
 * A table goes when its cell leaves the notebook, and all of them when the notebook is disposed.
 */
export class NotebookTables {
  /** Passed to runs (RunContext.owner): the claims they make belong to this notebook. */
  readonly owner = Symbol('notebook');

  constructor(private readonly db: Database) {}

  /** The cell `name` left the notebook: free its name and drop its table. */
  forget(name: string): void {
    releaseResultName(this.db, name, this.owner);
    // Fire and forget: a table that is already gone (or a closed database) is no loss.
    dropResult(this.db, name).catch(() => undefined);
  }

  /** Drop every table and free every name. */
  dispose(): Promise<void> {
    return releaseResults(this.db, this.owner);
  }
}
