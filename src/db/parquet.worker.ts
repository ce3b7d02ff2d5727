/**
 * The Parquet decoder's Web Worker: parquet-wasm off the main thread, so decoding a 1M-row file
 * never freezes the page, and in a worker the page can throw away: on corrupt input parquet-wasm
 * can panic (`RuntimeError: unreachable`) and leak its heap, which never shrinks anyway.
 *
 * The client is `WorkerParquetCodec` in browser.ts. Decoding is pulled one row group at a time
 * (`next`), so a many-group file never piles up undelivered IPC chunks in memory.
 */
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { initParquet, ipcToParquet, parquetToIPC } from './parquet.ts';
import type { IPCPart } from './runtime.ts';

/** Messages from the page. `id` names one decode or encode job. */
export type ParquetRequest =
  | { op: 'open'; id: number; bytes: Uint8Array }
  | { op: 'next'; id: number }
  | { op: 'close'; id: number }
  | { op: 'encode'; id: number; ipc: Uint8Array };

/** Replies to `next` (chunk/end/error) and to `encode` (parquet/error). */
export type ParquetReply =
  | { id: number; type: 'chunk'; part: IPCPart }
  | { id: number; type: 'end' }
  | { id: number; type: 'parquet'; bytes: Uint8Array }
  | { id: number; type: 'error'; name: string; message: string };

const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
const decodes = new Map<number, AsyncGenerator<IPCPart>>();
// A failed start (the .wasm not served) is reported by every job that awaits it.
initParquet(async () => parquetWasmUrl).catch(() => {});

function reply(message: ParquetReply, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function replyError(id: number, err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  reply({ id, type: 'error', name: e.name, message: e.message });
}

async function handle(req: ParquetRequest): Promise<void> {
  switch (req.op) {
    case 'open':
      decodes.set(req.id, parquetToIPC(req.bytes));
      return;
    case 'next': {
      const decode = decodes.get(req.id);
      if (!decode) return replyError(req.id, new Error(`no Parquet decode with id ${req.id}`));
      try {
        const step = await decode.next();
        if (step.done) {
          decodes.delete(req.id);
          reply({ id: req.id, type: 'end' });
        } else {
          // parquet-wasm copies its output out of wasm memory, so the buffer is ours to transfer.
          reply({ id: req.id, type: 'chunk', part: step.value }, [step.value.ipc.buffer]);
        }
      } catch (err) {
        decodes.delete(req.id);
        replyError(req.id, err);
      }
      return;
    }
    case 'close':
      await decodes.get(req.id)?.return(undefined);
      decodes.delete(req.id);
      return;
    case 'encode':
      try {
        const bytes = await ipcToParquet(req.ipc);
        reply({ id: req.id, type: 'parquet', bytes }, [bytes.buffer]);
      } catch (err) {
        replyError(req.id, err);
      }
      return;
  }
}

scope.onmessage = (event: MessageEvent<ParquetRequest>) => {
  void handle(event.data);
};
