/**
 * The Parquet decoder's Web Worker: parquet-wasm off the main thread, so decoding a 1M-row file
 * never freezes the page, and in a worker the page can throw away: on corrupt input parquet-wasm
 * can panic (`RuntimeError: unreachable`) and leak its heap, which never shrinks anyway.
 *
 * The protocol is parquet-protocol.ts; the client is `WorkerParquetCodec` in parquet-client.ts.
 */
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { workerScopePort } from '../workers/scope.ts';
import { initParquet } from './parquet.ts';
import { serveParquet, type ParquetReply, type ParquetRequest } from './parquet-protocol.ts';

// A failed start (the .wasm not served) is reported by every job that awaits it.
initParquet(async () => parquetWasmUrl).catch(() => {});
serveParquet(workerScopePort<ParquetRequest, ParquetReply>());
