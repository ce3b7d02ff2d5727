/**
 * What a runtime (Node or the browser) provides to the core: a DuckDB database and a Parquet
 * codec. Parquet is kept apart from `Database` because it is not DuckDB's job here (DuckDB-WASM
 * cannot read Parquet offline), and because the browser decodes it in a throw-away worker: a
 * corrupt file can make parquet-wasm panic and leak its heap (shared/stack-notes.md).
 */
import { tableToIPC, type Table } from 'apache-arrow';
import type { Database } from './database.ts';

export interface IPCPart {
  ipc: Uint8Array;
  part: number;
  parts: number;
}

export interface ParquetCodec {
  /**
   * Decode Parquet into Arrow IPC streams, one per row group (`part` of `parts`, from 0), so
   * callers can show progress. Throws on unreadable input.
   */
  toIPC(bytes: Uint8Array): AsyncIterable<IPCPart>;
  /** Encode an Arrow IPC stream as snappy Parquet. */
  fromIPC(ipcStream: Uint8Array): Promise<Uint8Array>;
}

/** A table as snappy Parquet bytes, through the runtime's codec (in the browser, its worker). */
export function tableToParquet(codec: ParquetCodec, table: Table): Promise<Uint8Array> {
  return codec.fromIPC(tableToIPC(table, 'stream'));
}

export interface Runtime {
  db: Database;
  parquet: ParquetCodec;
}

/** SHA-256 as lowercase hex, with WebCrypto (present in Node 20 and every browser). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
