/**
 * Parquet <-> Arrow IPC through parquet-wasm.
 *
 * DuckDB-WASM cannot read Parquet offline (it downloads its parquet extension at run time), so
 * Parquet is decoded here and handed to DuckDB as Arrow IPC streams. The wasm module is
 * initialised by the runtime-specific entry (Node reads the .wasm from disk, the browser fetches
 * the URL Vite serves); this file only uses it.
 */
import * as pq from 'parquet-wasm/esm';
import type { IPCPart } from './runtime.ts';

let ready: Promise<void> | null = null;

/** Initialise parquet-wasm once, from bytes (Node) or a URL (browser). Later calls are no-ops. */
export function initParquet(source: () => Promise<BufferSource | URL | string>): Promise<void> {
  ready ??= source().then(async (input) => {
    if (input instanceof URL || typeof input === 'string') await pq.default({ module_or_path: input });
    else pq.initSync({ module: input });
  });
  return ready;
}

async function whenReady(): Promise<void> {
  if (!ready) throw new Error('parquet-wasm is not initialised: call initParquet first');
  await ready;
}

export interface ParquetFooter {
  numRows: number;
  numRowGroups: number;
}

/** Read the footer only. Throws parquet-wasm's own message on a corrupt or truncated file. */
export async function parquetFooter(bytes: Uint8Array): Promise<ParquetFooter> {
  await whenReady();
  const file = await pq.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  try {
    const meta = file.metadata();
    return { numRows: meta.fileMetadata().numRows(), numRowGroups: meta.numRowGroups() };
  } finally {
    file.free();
  }
}

/**
 * Decode a Parquet file into Arrow IPC streams, one per row group, so a 1M-row file never needs
 * its whole decoded table in wasm memory at once (parquet-wasm's heap never shrinks; reading
 * group by group cut peak memory by a third and was faster, see shared/stack-notes.md).
 */
export async function* parquetToIPC(bytes: Uint8Array): AsyncGenerator<IPCPart> {
  const { numRowGroups } = await parquetFooter(bytes);
  if (numRowGroups <= 1) {
    yield { ipc: pq.readParquet(bytes).intoIPCStream(), part: 0, parts: 1 };
    return;
  }
  for (let i = 0; i < numRowGroups; i++) {
    yield { ipc: pq.readParquet(bytes, { rowGroups: [i] }).intoIPCStream(), part: i, parts: numRowGroups };
  }
}

/** Encode an Arrow IPC stream as a snappy-compressed Parquet file, as SOT exports are. */
export async function ipcToParquet(ipcStream: Uint8Array, opts: { rowGroupSize?: number } = {}): Promise<Uint8Array> {
  await whenReady();
  let props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.SNAPPY).setCreatedBy('label-lab');
  if (opts.rowGroupSize) props = props.setMaxRowGroupSize(opts.rowGroupSize);
  return pq.writeParquet(pq.Table.fromIPCStream(ipcStream), props.build());
}
