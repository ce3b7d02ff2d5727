/**
 * The Parquet worker's protocol, and the worker's side of it as a plain function over a message
 * port, so one code path serves the browser's Web Worker (parquet.worker.ts) and a Node
 * MessageChannel in the tests. parquet-wasm must be initialised (initParquet) by the host.
 *
 * Decoding is pulled one row group at a time (`next`), so a many-group file never piles up
 * undelivered IPC chunks in memory.
 */
import type { WorkerPort } from '../workers/ports.ts';
import { ipcToParquet, parquetToIPC } from './parquet.ts';
import type { IPCPart } from './runtime.ts';

/**
 * Messages from the page. `decode` names one decode (opened, pulled, closed); `id` names one
 * request that gets a reply, which carries the same id.
 */
export type ParquetRequest =
  | { op: 'open'; decode: number; bytes: Uint8Array }
  | { op: 'next'; id: number; decode: number }
  | { op: 'close'; decode: number }
  | { op: 'encode'; id: number; ipc: Uint8Array };

/** Replies to `next` (chunk/end/error) and to `encode` (parquet/error). */
export type ParquetReply =
  | { id: number; type: 'chunk'; part: IPCPart }
  | { id: number; type: 'end' }
  | { id: number; type: 'parquet'; bytes: Uint8Array }
  | { id: number; type: 'error'; name: string; message: string };

export type ParquetPort = WorkerPort<ParquetRequest, ParquetReply>;

/** Answer requests on `port` until it closes. */
export function serveParquet(port: ParquetPort): void {
  const decodes = new Map<number, AsyncGenerator<IPCPart>>();
  const reply = (message: ParquetReply, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  const replyError = (id: number, err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    reply({ id, type: 'error', name: e.name, message: e.message });
  };

  const handle = async (req: ParquetRequest): Promise<void> => {
    switch (req.op) {
      case 'open':
        decodes.set(req.decode, parquetToIPC(req.bytes));
        return;
      case 'next': {
        const decode = decodes.get(req.decode);
        if (!decode) return replyError(req.id, new Error(`no Parquet decode with id ${req.decode}`));
        try {
          const step = await decode.next();
          if (step.done) {
            decodes.delete(req.decode);
            reply({ id: req.id, type: 'end' });
          } else {
            // parquet-wasm copies its output out of wasm memory, so the buffer is ours to transfer.
            reply({ id: req.id, type: 'chunk', part: step.value }, [step.value.ipc.buffer]);
          }
        } catch (err) {
          decodes.delete(req.decode);
          replyError(req.id, err);
        }
        return;
      }
      case 'close':
        await decodes.get(req.decode)?.return(undefined);
        decodes.delete(req.decode);
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
  };

  port.addEventListener('message', ({ data }) => {
    void handle(data);
  });
}
