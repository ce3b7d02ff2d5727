/**
 * The page's end of a worker protocol: requests that carry an id, and the replies that carry the
 * same id routed back to their call. Replies without an id are notices (the training worker's
 * backend choice) and go to `onNotice`. Each worker's client (training, out of fold, Parquet)
 * keeps its own lifetime rules on top: long-lived with cooperative cancel, one-shot, or
 * throw-away after a failure; this file only matches replies and fails every open call when the
 * worker dies or is closed.
 */
import type { WorkerLike } from './ports.ts';

/** The replies that answer a call. */
export type CallReply<Reply> = Extract<Reply, { id: number }>;
/** The replies that answer none. */
export type Notice<Reply> = Exclude<Reply, { id: number }>;

export interface Settle<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

export interface WorkerClientOptions<Reply> {
  /** The error every open call fails with when the worker dies; `detail` is the event's message. */
  crashed(detail: string): Error;
  onNotice?(notice: Notice<Reply>): void;
  /** Told once, when the worker has died or been closed. */
  onClose?(error: Error): void;
}

interface OpenCall<Reply> {
  onReply(reply: CallReply<Reply>): void;
  reject(error: Error): void;
}

export class WorkerClient<Request, Reply extends object> {
  private readonly calls = new Map<number, OpenCall<Reply>>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(
    private readonly worker: WorkerLike<Request, Reply>,
    private readonly options: WorkerClientOptions<Reply>,
  ) {
    worker.onmessage = ({ data }) => {
      if (isCallReply(data)) this.calls.get(data.id)?.onReply(data);
      else this.options.onNotice?.(data as Notice<Reply>);
    };
    // The script failed to load or threw outside a call: nothing the worker holds can be trusted.
    // The open calls carry the error, so the page's console need not report it a second time.
    worker.onerror = (event) => {
      event.preventDefault();
      this.close(options.crashed(event.message || ''));
    };
    worker.onmessageerror = () => this.close(options.crashed('it sent an unreadable message'));
  }

  /** Set once the worker has died or been closed; later calls fail with it at once. */
  get closed(): Error | null {
    return this.failure;
  }

  /** Whether call `id` still waits for its last reply. */
  isOpen(id: number): boolean {
    return this.calls.has(id);
  }

  /**
   * Post `request(id)` and settle with what `onReply` makes of the replies carrying that id (it
   * may see several: progress, then a result). The call ends at its first resolve or reject.
   */
  call<T>(
    request: (id: number) => Request,
    onReply: (reply: CallReply<Reply>, settle: Settle<T>) => void,
    transfer: Transferable[] = [],
  ): { id: number; result: Promise<T> } {
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const settle: Settle<T> = {
        resolve: (value) => {
          if (this.calls.delete(id)) resolve(value);
        },
        reject: (error) => {
          if (this.calls.delete(id)) reject(error);
        },
      };
      this.calls.set(id, { onReply: (reply) => onReply(reply, settle), reject });
      this.worker.postMessage(request(id), transfer);
    });
    return { id, result };
  }

  /** Post a message that gets no reply (a cancel, a close); dropped once the worker is closed. */
  post(message: Request, transfer: Transferable[] = []): void {
    if (!this.failure) this.worker.postMessage(message, transfer);
  }

  /** Terminate the worker; every open call fails with `error`. Later closes do nothing. */
  close(error: Error = new Error('the worker was closed')): void {
    if (this.failure) return;
    this.failure = error;
    this.worker.terminate();
    const open = [...this.calls.values()];
    this.calls.clear();
    for (const call of open) call.reject(error);
    this.options.onClose?.(error);
  }
}

function isCallReply<Reply extends object>(reply: Reply): reply is CallReply<Reply> {
  return 'id' in reply && typeof reply.id === 'number';
}
