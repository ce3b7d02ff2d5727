/**
 * Read one file into a private staging table, so it can be checked before anything that is
 * already loaded is touched. Parquet goes through the runtime's codec (parquet-wasm), Arrow IPC
 * through apache-arrow, CSV through DuckDB's own reader.
 */
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { ident, literal, scalar } from '../db/database.ts';
import type { Runtime } from '../db/runtime.ts';
import type { FileFormat } from './files.ts';
import { LoadError } from './problems.ts';

export interface StageOptions {
  signal?: AbortSignal;
  /** Called after each decoded chunk with the share of the file done, 0..1. */
  onChunk?: (fraction: number) => void;
}

/** Decode `bytes` into table `stage`. Throws LoadError with the file's name on unreadable input. */
export async function stageFile(
  rt: Runtime,
  stage: string,
  fileName: string,
  format: FileFormat,
  bytes: Uint8Array,
  opts: StageOptions = {},
): Promise<void> {
  if (bytes.byteLength === 0) throw new LoadError(fileName, `${fileName}: the file is empty`);
  try {
    if (format === 'csv') await stageCsv(rt, stage, bytes);
    else if (format === 'arrow') await stageArrow(rt, stage, bytes);
    else await stageParquet(rt, stage, bytes, opts);
  } catch (e) {
    if (e instanceof LoadError || (e as Error).name === 'AbortError') throw e;
    throw new LoadError(fileName, `${fileName}: cannot read it as ${FORMAT_WORDS[format]} (${cleanMessage(e)})`);
  }
  // DuckDB silently ignores IPC bytes it cannot parse: make sure a table came out of it.
  const exists = await rt.db.query(`SELECT count(*)::INTEGER FROM duckdb_tables() WHERE table_name = ?`, [stage]);
  if (scalar<number>(exists) === 0) {
    throw new LoadError(fileName, `${fileName}: cannot read it as ${FORMAT_WORDS[format]} (no table came out of it)`);
  }
}

const FORMAT_WORDS: Record<FileFormat, string> = {
  parquet: 'Parquet',
  arrow: 'an Arrow IPC file or stream',
  csv: 'CSV',
};

async function stageParquet(rt: Runtime, stage: string, bytes: Uint8Array, opts: StageOptions): Promise<void> {
  let first = true;
  for await (const { ipc, part, parts } of rt.parquet.toIPC(bytes)) {
    if (opts.signal?.aborted) throw abortError();
    // Row groups of one file share one schema, so the positional append is safe here.
    await rt.db.insertIPC(stage, ipc, { create: first });
    first = false;
    opts.onChunk?.((part + 1) / parts);
  }
  if (first) throw new Error('no row groups');
}

async function stageArrow(rt: Runtime, stage: string, bytes: Uint8Array): Promise<void> {
  // Accept both the IPC file format (.arrow/.feather) and the stream format; DuckDB takes streams.
  const table = tableFromIPC(bytes);
  if (table.schema.fields.length === 0) throw new Error('no columns');
  await rt.db.insertIPC(stage, tableToIPC(table, 'stream'), { create: true });
}

/**
 * Where CSV bytes are registered for read_csv: one virtual folder, so a host that locks the
 * database's file access (`lab run`: notebook SQL must not read local files) can still allow
 * this one (`SET allowed_directories`) and label imports keep working.
 */
export const STAGED_FILES_DIR = '/label-lab-staged/';

async function stageCsv(rt: Runtime, stage: string, bytes: Uint8Array): Promise<void> {
  const virtualName = `${STAGED_FILES_DIR}${stage}.csv`;
  await rt.db.registerFile(virtualName, bytes);
  try {
    // The virtual file name is ours, not the user's; table functions take no bound parameters.
    await rt.db.exec(
      `CREATE TABLE ${ident(stage)} AS SELECT * FROM read_csv(${literal(virtualName)}, header = true, sample_size = -1)`,
    );
  } finally {
    await rt.db.dropFile(virtualName);
  }
}

export function abortError(): Error {
  const e = new Error('The load was cancelled');
  e.name = 'AbortError';
  return e;
}

/** parquet-wasm and DuckDB messages carry prefixes and stack-like tails a user does not need. */
function cleanMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg
    .split('\n')[0]!
    .replace(/^(Parquet error|Invalid Input Error|IO Error): /, '')
    .trim();
}
