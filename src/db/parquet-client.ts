/**
 * The page's side of the Parquet worker (parquet-protocol.ts): a `ParquetCodec` whose decodes and
 * encodes run in parquet.worker.ts. The worker is throw-away: any failed job retires it
 * (parquet-wasm may have panicked and leaked), and so does decoding enough to have grown a heap
 * that wasm never gives back; a retired worker takes no new jobs, is terminated when its last job
 * ends, and the next job starts a fresh one.
 *
 * `WorkerParquetCodec` takes a factory rather than creating the Worker itself, so the tests drive
 * the same client over a Node MessageChannel.
 */
import { WorkerClient, type CallReply, type Settle } from '../workers/client.ts';
import type { WorkerLike } from '../workers/ports.ts';
import type { ParquetReply, ParquetRequest } from './parquet-protocol.ts';
import type { IPCPart, ParquetCodec } from './runtime.ts';

export type ParquetWorkerLike = WorkerLike<ParquetRequest, ParquetReply>;

/**
 * parquet-wasm's heap only grows: a worker that has decoded this much input is replaced once it
 * is idle, so one large load does not pin hundreds of MB for the rest of the session.
 */
const RECYCLE_AFTER_BYTES = 256 * 1024 * 1024;

/**
 * parquet-wasm's own messages read well ("Invalid Parquet file. Corrupt footer"); a wasm panic
 * only says "unreachable", so say that the decoder crashed. The loader adds the file's name.
 */
function decoderError(name: string, message: string): Error {
  if (name === 'RuntimeError') return new Error(`the decoder crashed on it, RuntimeError: ${message}`);
  const err = new Error(message);
  err.name = name;
  return err;
}

/** Settle a call with its reply, an `error` reply rejecting. */
function answer(reply: CallReply<ParquetReply>, settle: Settle<CallReply<ParquetReply>>): void {
  if (reply.type === 'error') settle.reject(decoderError(reply.name, reply.message));
  else settle.resolve(reply);
}

/** One worker, its jobs and the input it has decoded. */
class ParquetWorker {
  readonly client: WorkerClient<ParquetRequest, ParquetReply>;
  private jobs = 0;
  private bytesIn = 0;
  private nextDecode = 1;
  retired = false;

  constructor(spawn: () => ParquetWorkerLike) {
    this.client = new WorkerClient<ParquetRequest, ParquetReply>(spawn(), {
      crashed: (detail) => new Error(`the Parquet decoder stopped: ${detail || 'worker error'}`),
      // A dead worker fails its open jobs, and every later request at once instead of waiting forever.
      onClose: () => {
        this.retired = true;
      },
    });
  }

  newDecode(): number {
    return this.nextDecode++;
  }

  request(request: (id: number) => ParquetRequest, transfer?: Transferable[]): Promise<CallReply<ParquetReply>> {
    return this.client.call(request, answer, transfer).result;
  }

  begin(inputBytes: number): void {
    this.jobs++;
    this.bytesIn += inputBytes;
    if (this.bytesIn > RECYCLE_AFTER_BYTES) this.retired = true;
  }

  end(): void {
    this.jobs--;
    if (this.retired && this.jobs === 0) this.client.close(new Error('the Parquet decoder was retired'));
  }
}

export class WorkerParquetCodec implements ParquetCodec {
  private current: ParquetWorker | null = null;

  constructor(private readonly spawn: () => ParquetWorkerLike = spawnParquetWorker) {}

  private acquire(inputBytes: number): ParquetWorker {
    if (!this.current || this.current.retired) this.current = new ParquetWorker(this.spawn);
    const worker = this.current;
    worker.begin(inputBytes);
    return worker;
  }

  async *toIPC(bytes: Uint8Array): AsyncGenerator<IPCPart> {
    const worker = this.acquire(bytes.byteLength);
    const decode = worker.newDecode();
    let finished = false;
    try {
      // Copied by structured clone: the caller keeps its bytes (it may still hash them).
      worker.client.post({ op: 'open', decode, bytes });
      for (;;) {
        const reply = await worker.request((id) => ({ op: 'next', id, decode }));
        if (reply.type === 'end') {
          finished = true;
          return;
        }
        if (reply.type === 'chunk') yield reply.part;
      }
    } catch (err) {
      finished = true;
      worker.retired = true;
      throw err;
    } finally {
      // The consumer stopped early (a break, an abort): let the worker drop the decode.
      if (!finished) worker.client.post({ op: 'close', decode });
      worker.end();
    }
  }

  async fromIPC(ipcStream: Uint8Array): Promise<Uint8Array> {
    const worker = this.acquire(ipcStream.byteLength);
    try {
      const reply = await worker.request((id) => ({ op: 'encode', id, ipc: ipcStream }));
      if (reply.type !== 'parquet') throw new Error(`unexpected reply '${reply.type}' from the Parquet encoder`);
      return reply.bytes;
    } catch (err) {
      worker.retired = true;
      throw err;
    } finally {
      worker.end();
    }
  }
}

/** The browser's worker: parquet.worker.ts, bundled by Vite. */
export function spawnParquetWorker(): ParquetWorkerLike {
  return new Worker(new URL('./parquet.worker.ts', import.meta.url), { type: 'module', name: 'label-lab-parquet' });
}
