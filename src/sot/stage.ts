/**
 * Read one file into a private staging table, so it can be checked before anything that is
 * already loaded is touched. Parquet goes through the runtime's codec (parquet-wasm), Arrow IPC
 * through apache-arrow, CSV through DuckDB's own reader.
 *
 * Each format's bytes are checked for shape first (csv-scan.ts, parquet-footer.ts,
 * arrow-check.ts): the decoders' own failures on damaged input are a crash, a hang, a panic or
 * a message about their internals; these checks name what is wrong in the file instead.
 */
import { RecordBatchStreamReader, tableFromIPC, tableToIPC } from 'apache-arrow';
import { ident, literal, rows } from '../db/database.ts';
import type { ParquetCodec, Runtime } from '../db/runtime.ts';
import { ArrowShapeError, checkArrowShape } from './arrow-check.ts';
import { decodeAhead, type DecodeAhead } from './decode-ahead.ts';
import { CsvShapeError, scanCsv } from './csv-scan.ts';
import type { FileFormat } from './files.ts';
import { ParquetLayoutError, readParquetLayout } from './parquet-footer.ts';
import { abortError, LoadError } from './problems.ts';
import { formatBytes } from '../util/byte-size.ts';

/**
 * How large one file may become once decoded. parquet-wasm decodes into wasm memory (4 GiB at
 * most, and it never shrinks): a 1.2 GiB decode already needed 2.6 GB resident and panicked. A
 * 1M-row, 95-column features file decodes to about 0.8 GiB.
 */
export const DEFAULT_MAX_DECODED_BYTES = 1024 ** 3;

/**
 * Column names the database gives a meaning of its own. DuckDB's `rowid` pseudo-column (the
 * file order every message's row number comes from) is hidden by a file column of that name,
 * so such a column is staged under another name and keeps its own name when merged.
 */
const SHADOWING = new Set(['rowid']);
const STAGED_PREFIX = '__label_lab_file_';

export interface StageOptions {
  signal?: AbortSignal;
  /** Called after each decoded chunk with the share of the file done, 0..1. */
  onChunk?: (fraction: number) => void;
  /** Refuse a file that would decode to more than this (DEFAULT_MAX_DECODED_BYTES). */
  maxDecodedBytes?: number;
  /** A Parquet file's decode, already started (decodeParquet) so it runs ahead of DuckDB. */
  parquet?: DecodeAhead;
  /**
   * Read every CSV column as text instead of letting DuckDB sniff types. A labels file wants
   * this: its cells are quoted back in the report as the file wrote them ('2', not '2.0'), and a
   * label column of numbers must not turn '1' into '1.0'.
   */
  csvAsText?: boolean;
}

export interface StagedFile {
  /** The file's own column names, in file order (DuckDB renames case-insensitive repeats). */
  fileColumns: string[];
  /** Staging column -> the file's name, for columns staged under another name (see SHADOWING). */
  renamed: Map<string, string>;
  /** The staging table's columns and types (its DESCRIBE, after the renames), for the checks. */
  columns: { column_name: string; column_type: string }[];
}

/** Decode `bytes` into table `stage`. Throws LoadError with the file's name on unreadable input. */
export async function stageFile(
  rt: Runtime,
  stage: string,
  fileName: string,
  format: FileFormat,
  bytes: Uint8Array,
  opts: StageOptions = {},
): Promise<StagedFile> {
  if (bytes.byteLength === 0) throw new LoadError(fileName, `${fileName}: the file is empty`);
  const limit = opts.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  let fileColumns: string[];
  try {
    if (format === 'csv') fileColumns = await stageCsv(rt, stage, fileName, bytes, limit, opts.csvAsText ?? false);
    else if (format === 'arrow') fileColumns = await stageArrow(rt, stage, fileName, bytes, limit);
    else {
      const decoded = opts.parquet ?? decodeParquet(rt.parquet, fileName, bytes, { ...opts, maxDecodedBytes: limit });
      fileColumns = await stageParquet(rt, stage, decoded, opts);
    }
  } catch (e) {
    if (e instanceof LoadError || (e as Error).name === 'AbortError') throw e;
    throw new LoadError(fileName, `${fileName}: ${decodeFailure(format, e)}`);
  }
  // DuckDB silently ignores IPC bytes it cannot parse: make sure a table came out of it. Its
  // DESCRIBE says so (it fails when there is none) and gives the checks their columns.
  let columns: { column_name: string; column_type: string }[];
  try {
    columns = rows<{ column_name: string; column_type: string }>(await rt.db.query(`DESCRIBE ${ident(stage)}`));
  } catch {
    columns = [];
  }
  if (columns.length === 0) {
    throw new LoadError(fileName, `${fileName}: cannot read it as ${FORMAT_WORDS[format]} (no table came out of it)`);
  }
  const renamed = await unshadow(
    rt,
    stage,
    fileName,
    columns.map((c) => c.column_name),
  );
  return {
    fileColumns,
    renamed,
    columns: columns.map((c) => ({
      column_name: [...renamed].find(([, from]) => from === c.column_name)?.[0] ?? c.column_name,
      column_type: c.column_type,
    })),
  };
}

/** Rename staged columns that hide DuckDB's own names; refuse a file that already uses ours. */
async function unshadow(rt: Runtime, stage: string, fileName: string, names: string[]): Promise<Map<string, string>> {
  const taken = names.find((c) => c.toLowerCase().startsWith(STAGED_PREFIX));
  if (taken) {
    throw new LoadError(
      fileName,
      `${fileName}: column ${taken} uses a name the loader keeps for itself (${STAGED_PREFIX}...): rename it`,
      taken,
    );
  }
  const renamed = new Map<string, string>();
  for (const c of names) {
    if (!SHADOWING.has(c.toLowerCase())) continue;
    const to = `${STAGED_PREFIX}${c}`;
    await rt.db.exec(`ALTER TABLE ${ident(stage)} RENAME COLUMN ${ident(c)} TO ${ident(to)}`);
    renamed.set(to, c);
  }
  return renamed;
}

const FORMAT_WORDS: Record<FileFormat, string> = {
  parquet: 'Parquet',
  arrow: 'an Arrow IPC file or stream',
  csv: 'CSV',
};

/**
 * Start decoding a Parquet file into Arrow IPC parts, ahead of staging (decode-ahead.ts): its
 * footer is checked first, and its decoded size counted against the limit as parts come. Failures
 * (a damaged footer, the limit, the decoder's own) surface when the parts are taken.
 */
export function decodeParquet(
  codec: ParquetCodec,
  fileName: string,
  bytes: Uint8Array,
  opts: { signal?: AbortSignal; maxDecodedBytes?: number } = {},
): DecodeAhead {
  const limit = opts.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  try {
    const layout = readParquetLayout(bytes);
    refuseOverLimit(fileName, layout.uncompressedBytes, limit, (n) => `its footer says it takes ${n}`);
  } catch (e) {
    return failedDecode(e);
  }
  let decoded = 0;
  return decodeAhead(codec, bytes, {
    signal: opts.signal,
    // Dictionary-encoded text can decode to far more than the footer's figures: count as we go.
    onDecoded: (n) => {
      decoded += n;
      refuseOverLimit(fileName, decoded, limit, (size) => `it had reached ${size} before its end`);
    },
  });
}

function failedDecode(error: unknown): DecodeAhead {
  return {
    settled: Promise.resolve(),
    cancel() {},
    async *[Symbol.asyncIterator]() {
      throw error;
    },
  };
}

async function stageParquet(rt: Runtime, stage: string, decoded: DecodeAhead, opts: StageOptions): Promise<string[]> {
  let first = true;
  let columns: string[] = [];
  try {
    for await (const { ipc, part, parts } of decoded) {
      if (opts.signal?.aborted) throw abortError();
      if (first) columns = ipcColumns(ipc);
      // Row groups of one file share one schema, so the positional append is safe here. The part
      // is the decoder's output, needed by nothing after this: it is handed over, not copied.
      await rt.db.insertIPC(stage, ipc, { create: first, handOver: true });
      first = false;
      opts.onChunk?.((part + 1) / parts);
    }
  } finally {
    decoded.cancel(); // a no-op once every part was taken
  }
  if (first) throw new Error('no row groups');
  return columns;
}

function refuseOverLimit(fileName: string, bytes: number, limit: number, what: (size: string) => string): void {
  if (bytes <= limit) return;
  throw new LoadError(
    fileName,
    `${fileName}: refused: decoded, ${what(formatBytes(bytes))}, over the limit of ${formatBytes(limit)} per file (raise it with --max-decoded-bytes in lab, or under Load data › Limits in the app)`,
  );
}

/** The column names of an IPC stream, from its schema message alone. */
function ipcColumns(ipc: Uint8Array): string[] {
  const reader = RecordBatchStreamReader.from(ipc);
  reader.open();
  return reader.schema.fields.map((f) => f.name);
}

async function stageArrow(
  rt: Runtime,
  stage: string,
  fileName: string,
  bytes: Uint8Array,
  limit: number,
): Promise<string[]> {
  refuseOverLimit(fileName, bytes.byteLength, limit, (n) => `it takes ${n}`);
  checkArrowShape(bytes);
  // Accept both the IPC file format (.arrow/.feather) and the stream format; DuckDB takes streams.
  let table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    // Well-framed messages can still hold a damaged schema or batch ("Unrecognized type").
    throw new ArrowShapeError(`its schema or data is damaged (${cleanMessage(e)})`);
  }
  if (table.schema.fields.length === 0) throw new Error('no columns');
  await rt.db.insertIPC(stage, tableToIPC(table, 'stream'), { create: true });
  return table.schema.fields.map((f) => f.name);
}

/**
 * Where CSV bytes are registered for read_csv: one virtual folder, so a host that locks the
 * database's file access (`lab run`: notebook SQL must not read local files) can still allow
 * this one (`SET allowed_directories`) and label imports keep working.
 */
export const STAGED_FILES_DIR = '/label-lab-staged/';

async function stageCsv(
  rt: Runtime,
  stage: string,
  fileName: string,
  bytes: Uint8Array,
  limit: number,
  asText: boolean,
): Promise<string[]> {
  refuseOverLimit(fileName, bytes.byteLength, limit, (n) => `it takes ${n}`);
  let shape;
  try {
    shape = scanCsv(bytes);
  } catch (e) {
    if (e instanceof CsvShapeError)
      throw new LoadError(fileName, `${fileName}: not a well-formed CSV file: ${e.message}`);
    throw e;
  }
  if (shape.records === 0) {
    // DuckDB may read a lone header line as a row of data: the scan knows there is none.
    const cols = shape.header.map((c) => `${ident(c)} VARCHAR`).join(', ');
    await rt.db.exec(`CREATE TABLE ${ident(stage)} (${cols})`);
    return shape.header;
  }
  const virtualName = `${STAGED_FILES_DIR}${stage}.csv`;
  await rt.db.registerFile(virtualName, bytes);
  try {
    // The virtual file name is ours, not the user's; table functions take no bound parameters.
    // The delimiter is the one the scan counted fields by, so DuckDB cannot sniff another.
    await rt.db.exec(
      `CREATE TABLE ${ident(stage)} AS SELECT * FROM read_csv(${literal(virtualName)}, header = true, delim = ${literal(shape.delimiter)}, sample_size = -1${asText ? ', all_varchar = true' : ''})`,
    );
  } finally {
    await rt.db.dropFile(virtualName);
  }
  return shape.header;
}

/** What a decoder's failure means, in words: never its internals. */
function decodeFailure(format: FileFormat, e: unknown): string {
  if (e instanceof ArrowShapeError) return `not a valid Arrow IPC file or stream: ${e.message}`;
  if (e instanceof ParquetLayoutError) return `cannot read it as Parquet (${e.message})`;
  const msg = e instanceof Error ? e.message : String(e);
  // parquet-wasm panics with a bare "unreachable"; in the browser its worker reports "the decoder
  // crashed", or "the Parquet decoder stopped" when the worker itself died (out of memory).
  if ((e as Error).name === 'RuntimeError' || /^unreachable$|decoder crashed|decoder stopped|RuntimeError/.test(msg)) {
    return 'could not be decoded: the Parquet decoder crashed on it (the file is damaged, or too large once decompressed)';
  }
  return `cannot read it as ${FORMAT_WORDS[format]} (${cleanMessage(e)})`;
}

/** parquet-wasm and DuckDB messages carry prefixes and stack-like tails a user does not need. */
function cleanMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg
    .split('\n')[0]!
    .replace(/^(Parquet error|Invalid Input Error|IO Error): /, '')
    .trim();
}
