/**
 * Merge checked staging tables into their raw tables, several files per transaction.
 *
 * Why batches: in DuckDB-WASM a commit that appends fewer rows than a row group (122,880) to a
 * table takes the slow append path, about a second for each row group it completes (measured:
 * 14 files of 70k rows x 62 columns merged in 14 transactions 10.0 s, in one 1.8 s; 980k rows in
 * one transaction onto a partly filled table, 2.2 s with a 3 ms commit). So the loader stages and
 * checks files one by one, each in its own statements (a DuckDB error on a bad file must not abort
 * a transaction that holds good ones), and merges them in batches (lab.ts MERGE_BATCH_BYTES).
 *
 * Readers on other connections see none of a batch until it commits; a batch that fails
 * leaves what was loaded before exactly as it was. Within a batch each file is still its own: its
 * rows and its entry in `_loaded_files` go in together, and a file refused by our own checks (a
 * key already loaded) writes nothing.
 */
import { ident, literal, rows, scalar, type Database } from '../db/database.ts';
import { rollback } from '../db/transaction.ts';
import type { CheckResult, ColumnPlan } from './checks.ts';
import type { TableContract } from './contracts.ts';
import type { SnapshotPlace } from './files.ts';
import { isOutOfMemory, LoadError } from './problems.ts';
import { LOADED_FILES, rawColumns } from './schema.ts';

export interface MergeInput {
  contract: TableContract;
  stage: string;
  plan: ColumnPlan[];
  path: string;
  sha256: string;
  rows: number;
  snapshot?: SnapshotPlace;
  /** The one snapshot every row names, where the checks established it. */
  at?: CheckResult['at'];
}

export interface MergeResult {
  fileId: number;
  /** Columns the raw table gained: views over it must be rebuilt (DuckDB views break otherwise). */
  addedColumns: string[];
}

/**
 * Add the columns the file brings that its raw table lacks, in a transaction of their own (DuckDB
 * does not alter a table that an open transaction has appended to). The names added: the views
 * over the table must be rebuilt (DuckDB views break otherwise).
 */
export async function addMissingColumns(
  db: Database,
  input: MergeInput,
  /** The raw table's columns, when the caller has just read them. */
  known?: Map<string, string>,
): Promise<string[]> {
  const existing = known ?? (await rawColumns(db, input.contract));
  const missing = input.plan.filter((c) => !existing.has(c.name));
  if (missing.length === 0) return [];
  await db.exec('BEGIN TRANSACTION');
  try {
    // One round trip for all of them (a features file brings ~95).
    await db.exec(
      missing
        .map((col) => `ALTER TABLE ${ident(input.contract.raw)} ADD COLUMN ${ident(col.name)} ${col.storageType};`)
        .join('\n'),
    );
    await db.exec('COMMIT');
  } catch (e) {
    await rollback(db);
    throw new LoadError(input.path, `${input.path}: could not be merged into ${input.contract.name} (${firstLine(e)})`);
  }
  return missing.map((c) => c.name);
}

/** Each file's outcome: merged under its file id, or refused with the reason. */
export type MergeOutcome = { input: MergeInput; fileId: number; ms: number } | { input: MergeInput; error: LoadError };

/**
 * Merge checked files (their columns already added) in one transaction. A file our own checks
 * refuse (its keys already loaded, also by a file before it in the batch) is left out and the
 * rest go in. If DuckDB itself fails, the batch is rolled back and merged again one file per
 * transaction, so only the file that fails is lost.
 */
export async function mergeFiles(db: Database, inputs: MergeInput[]): Promise<MergeOutcome[]> {
  if (inputs.length === 0) return [];
  const outcomes: MergeOutcome[] = [];
  await db.exec('BEGIN TRANSACTION');
  try {
    for (const input of inputs) outcomes.push(await mergeOne(db, input));
    await db.exec('COMMIT');
    return outcomes;
  } catch {
    await rollback(db);
  }
  if (inputs.length === 1) return [await mergeAlone(db, inputs[0]!)];
  // One by one, each merged file's staging table dropped at once to free its memory; a file that
  // ran out of memory gets one more try once the others have merged.
  const alone = new Map<MergeInput, MergeOutcome>();
  let todo = inputs;
  for (let pass = 0; pass < 2 && todo.length > 0; pass++) {
    const again: MergeInput[] = [];
    for (const input of todo) {
      const outcome = await mergeAlone(db, input);
      if ('error' in outcome && pass === 0 && isOutOfMemory(outcome.error.message)) {
        again.push(input);
        continue;
      }
      alone.set(input, outcome);
      if (!('error' in outcome)) await db.exec(`DROP TABLE IF EXISTS ${ident(input.stage)}`);
    }
    todo = again;
  }
  return inputs.map((input) => alone.get(input)!);
}

async function mergeAlone(db: Database, input: MergeInput): Promise<MergeOutcome> {
  await db.exec('BEGIN TRANSACTION');
  try {
    const outcome = await mergeOne(db, input);
    await db.exec('COMMIT');
    return outcome;
  } catch (e) {
    await rollback(db);
    const error = new LoadError(
      input.path,
      `${input.path}: could not be merged into ${input.contract.name} (${firstLine(e)})`,
    );
    return { input, error };
  }
}

/** One file in the open transaction; our own refusals are outcomes, DuckDB's failures throw. */
async function mergeOne(db: Database, input: MergeInput): Promise<MergeOutcome> {
  const t0 = performance.now();
  try {
    await refuseLoadedKeys(db, input);
  } catch (e) {
    if (e instanceof LoadError) return { input, error: e };
    throw e;
  }
  const fileId = await appendRows(db, input);
  return { input, fileId, ms: performance.now() - t0 };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/** The file's entry in `_loaded_files` and its rows, in the open transaction; its file id. */
async function appendRows(db: Database, input: MergeInput): Promise<number> {
  const { contract, stage, plan, path } = input;
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
  return Number(fileId);
}

/** A file may not bring rows whose key is already loaded (the same snapshot loaded twice). */
async function refuseLoadedKeys(db: Database, { contract, stage, plan, path, at }: MergeInput): Promise<void> {
  if (!contract.key) return;
  const byName = new Map(plan.map((c) => [c.name, c]));
  if (!contract.key.every((k) => byName.has(k))) return;
  if (!(await mayOverlap(db, contract.key, byName, stage, contract.raw, at))) return;
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
 * a snapshot not loaded yet. Where every row of the file names one snapshot (`at`), a filter on
 * those two constants, which DuckDB answers from its row groups' min/max without scanning the
 * loaded rows (they arrive snapshot by snapshot, so a row group seldom spans two).
 */
async function mayOverlap(
  db: Database,
  key: string[],
  byName: Map<string, ColumnPlan>,
  stage: string,
  raw: string,
  at: MergeInput['at'],
): Promise<boolean> {
  const parts = ['processing_date', 'window_days'].filter((k) => key.includes(k));
  if (parts.length === 0) return true;
  if (at) {
    // Quoted literals, not parameters: a prepared statement is three round trips to the browser's
    // DuckDB worker, and this runs for every file.
    const value = (k: string) =>
      k === 'processing_date' ? `${literal(at.processingDate)}::DATE` : String(Number(at.windowDays));
    const where = parts.map((k) => `${ident(k)} = ${value(k)}`).join(' AND ');
    const [hit] = rows<{ hit: boolean }>(
      await db.query(`SELECT EXISTS (SELECT 1 FROM ${ident(raw)} WHERE ${where}) AS hit`),
    );
    return hit?.hit === true;
  }
  const select = parts.map((k) => `${byName.get(k)!.expr} AS ${ident(k)}`).join(', ');
  const on = parts.map((k) => `s.${ident(k)} = r.${ident(k)}`).join(' AND ');
  const [hit] = rows<{ n: number }>(
    await db.query(
      `SELECT count(*) AS n FROM ${ident(raw)} r SEMI JOIN (SELECT DISTINCT ${select} FROM ${ident(stage)}) s ON ${on}`,
    ),
  );
  return Number(hit?.n ?? 0) > 0;
}
