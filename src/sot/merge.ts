/**
 * Merge a checked staging table into its raw table, in one transaction: the new columns, the
 * rows and the entry in `_loaded_files` land together or not at all, so a file that fails
 * half-way leaves what was loaded before exactly as it was.
 */
import { ident, rows, scalar, type Database } from '../db/database.ts';
import type { ColumnPlan } from './checks.ts';
import type { TableContract } from './contracts.ts';
import type { SnapshotPlace } from './files.ts';
import { LoadError } from './problems.ts';
import { LOADED_FILES, rawColumns } from './schema.ts';

export interface MergeInput {
  contract: TableContract;
  stage: string;
  plan: ColumnPlan[];
  path: string;
  sha256: string;
  rows: number;
  snapshot?: SnapshotPlace;
}

export interface MergeResult {
  fileId: number;
  /** Columns the raw table gained: views over it must be rebuilt (DuckDB views break otherwise). */
  addedColumns: string[];
}

export async function mergeStaged(db: Database, input: MergeInput): Promise<MergeResult> {
  const { contract, stage, plan, path } = input;
  await db.exec('BEGIN TRANSACTION');
  try {
    const existing = await rawColumns(db, contract);
    const addedColumns: string[] = [];
    for (const col of plan) {
      if (!existing.has(col.name)) {
        await db.exec(`ALTER TABLE ${ident(contract.raw)} ADD COLUMN ${ident(col.name)} ${col.storageType}`);
        addedColumns.push(col.name);
      }
    }
    await refuseLoadedKeys(db, input);
    const fileId = scalar<number>(
      await db.query(
        `INSERT INTO ${LOADED_FILES} (path, table_name, rows, sha256, network, processing_date, window_days)
         VALUES (?, ?, ?, ?, ?, ?::DATE, ?) RETURNING file_id`,
        [
          path,
          contract.name,
          input.rows,
          input.sha256,
          input.snapshot?.network ?? null,
          input.snapshot?.processingDate ?? null,
          input.snapshot?.windowDays ?? null,
        ],
      ),
    );
    const names = plan.map((c) => ident(c.name)).join(', ');
    const exprs = plan.map((c) => c.expr).join(', ');
    // fileId comes from our own sequence (an integer), not from the user.
    await db.exec(
      `INSERT INTO ${ident(contract.raw)} (${names}, _file_id) SELECT ${exprs}, ${Number(fileId)} FROM ${ident(stage)}`,
    );
    await db.exec('COMMIT');
    return { fileId: Number(fileId), addedColumns };
  } catch (e) {
    await db.exec('ROLLBACK');
    if (e instanceof LoadError) throw e;
    throw new LoadError(
      path,
      `${path}: could not be merged into ${contract.name} (${(e as Error).message.split('\n')[0]})`,
    );
  }
}

/** A file may not bring rows whose key is already loaded (the same snapshot loaded twice). */
async function refuseLoadedKeys(db: Database, { contract, stage, plan, path }: MergeInput): Promise<void> {
  if (!contract.key) return;
  const byName = new Map(plan.map((c) => [c.name, c]));
  if (!contract.key.every((k) => byName.has(k))) return;
  if (!(await mayOverlap(db, contract.key, byName, stage, contract.raw))) return;
  const staged = contract.key.map((k) => `${byName.get(k)!.expr} AS ${ident(k)}`).join(', ');
  const on = contract.key.map((k) => `s.${ident(k)} = r.${ident(k)}`).join(' AND ');
  const [hit] = rows<{ n: number; example: string | null }>(
    await db.query(
      `SELECT count(*) AS n, min(s.${ident(contract.key[0]!)}::VARCHAR) AS example
       FROM (SELECT ${staged} FROM ${ident(stage)}) s JOIN ${ident(contract.raw)} r ON ${on}`,
    ),
  );
  if (hit && Number(hit.n) > 0) {
    throw new LoadError(
      path,
      `${path}: ${hit.n} row${Number(hit.n) === 1 ? '' : 's'} of ${contract.name} with the same ${contract.key.join(', ')} are already loaded (for example ${contract.key[0]} '${hit.example}'): is this snapshot loaded twice?`,
      contract.key[0],
    );
  }
}

/**
 * Whether any loaded row shares the file's snapshot dates (and windows): a cheap scan of two
 * small columns that spares the full key join (strings, a million rows) for the usual case of
 * a snapshot not loaded yet.
 */
async function mayOverlap(
  db: Database,
  key: string[],
  byName: Map<string, ColumnPlan>,
  stage: string,
  raw: string,
): Promise<boolean> {
  const parts = ['processing_date', 'window_days'].filter((k) => key.includes(k));
  if (parts.length === 0) return true;
  const select = parts.map((k) => `${byName.get(k)!.expr} AS ${ident(k)}`).join(', ');
  const on = parts.map((k) => `s.${ident(k)} = r.${ident(k)}`).join(' AND ');
  const [hit] = rows<{ n: number }>(
    await db.query(
      `SELECT count(*) AS n FROM ${ident(raw)} r SEMI JOIN (SELECT DISTINCT ${select} FROM ${ident(stage)}) s ON ${on}`,
    ),
  );
  return Number(hit?.n ?? 0) > 0;
}
