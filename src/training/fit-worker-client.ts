/**
 * The page's side of the training worker: a TrainingRunner whose jobs run in fit.worker.ts.
 *
 * Jobs are posted with their buffers transferred (no copy of the feature matrix), epochs come
 * back to `hooks.onEpoch`, and `hooks.signal` cancels: the worker aborts the job at its next
 * yield. A job that does not answer a cancel within `cancelGraceMs` (a strategy in a long
 * synchronous step) gets the worker terminated instead; the next job starts a fresh one.
 *
 * `WorkerRunner` takes a factory rather than creating the Worker itself, so the tests drive the
 * same client over a Node MessageChannel served by fit-protocol.ts.
 */
import type { BackendChoice, BackendOptions } from '../ml/backend.ts';
import type { FitHooks } from '../strategies/strategy.ts';
import { WorkerClient } from '../workers/client.ts';
import type { WorkerLike } from '../workers/ports.ts';
import type { FitReply, FitRequest } from './fit-protocol.ts';
import { fitJobTransferables, type FitJob, type FitJobResult } from './job.ts';
import type { TrainingRunner } from './runner.ts';

export type FitWorkerLike = WorkerLike<FitRequest, FitReply>;

export interface WorkerRunnerOptions {
  /** Which backends the worker may pick; default: the fastest of webgl, wasm and cpu (measured). */
  backend?: Omit<BackendOptions, 'wasmPath'>;
  cancelGraceMs?: number;
}

function abortError(): DOMException {
  return new DOMException('training was cancelled', 'AbortError');
}

/** The running worker: its client, and the backend it chose at `init`. */
interface Started {
  client: WorkerClient<FitRequest, FitReply>;
  choice: Promise<BackendChoice>;
}

export class WorkerRunner implements TrainingRunner {
  private current: Started | null = null;

  constructor(
    private readonly spawn: () => FitWorkerLike,
    private readonly options: WorkerRunnerOptions = {},
  ) {}

  backend(): Promise<BackendChoice> {
    return this.started().choice;
  }

  async runFit(job: FitJob, hooks: FitHooks = {}): Promise<FitJobResult> {
    const { signal } = hooks;
    if (signal?.aborted) throw abortError();
    const { client, choice } = this.started();
    await choice;
    // Cancelled while the backend was starting: nothing was posted yet.
    if (signal?.aborted) throw abortError();
    const { id, result } = client.call<FitJobResult>(
      (id) => ({ op: 'fit', id, job }),
      (reply, settle) => {
        if (reply.type === 'epoch') hooks.onEpoch?.(reply.progress);
        else if (reply.type === 'result') settle.resolve(reply.result);
        else
          settle.reject(
            reply.name === 'AbortError' ? abortError() : Object.assign(new Error(reply.message), { name: reply.name }),
          );
      },
      fitJobTransferables(job),
    );
    let grace: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      client.post({ op: 'cancel', id });
      grace = setTimeout(() => {
        // Still running after the grace period: stop the whole worker; this job is cancelled,
        // any other in it has failed.
        if (client.isOpen(id)) client.close(new Error('the training worker was restarted to cancel a job'));
      }, this.options.cancelGraceMs ?? 3000);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const r = await result;
      // A job cancelled after its last epoch still finished, but the caller asked to drop it.
      if (signal?.aborted) throw abortError();
      return r;
    } catch (e) {
      throw signal?.aborted ? abortError() : e;
    } finally {
      clearTimeout(grace);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stop the worker; jobs still running fail. */
  dispose(): void {
    this.current?.client.close(new Error('the training worker was closed'));
  }

  private started(): Started {
    if (this.current) return this.current;
    let resolveChoice!: (c: BackendChoice) => void;
    let rejectChoice!: (e: Error) => void;
    const choice = new Promise<BackendChoice>((res, rej) => {
      resolveChoice = res;
      rejectChoice = rej;
    });
    // Nobody may be awaiting the choice yet; a failure still reaches whoever asks later.
    choice.catch(() => {});
    const client = new WorkerClient<FitRequest, FitReply>(this.spawn(), {
      crashed: (detail) => new Error(`the training worker stopped: ${detail || 'worker error'}`),
      onNotice: (notice) => {
        if (notice.type === 'backend') resolveChoice(notice.choice);
        else rejectChoice(new Error(`the training worker could not start a TF.js backend: ${notice.message}`));
      },
      onClose: (error) => {
        rejectChoice(error);
        // The next job starts a fresh worker.
        if (this.current?.client === client) this.current = null;
      },
    });
    this.current = { client, choice };
    client.post({ op: 'init', backend: this.options.backend ?? { measure: true } });
    return this.current;
  }
}

/** The browser's runner: fit.worker.ts, bundled by Vite. */
export function createWorkerRunner(options: WorkerRunnerOptions = {}): WorkerRunner {
  return new WorkerRunner(
    () => new Worker(new URL('./fit.worker.ts', import.meta.url), { type: 'module', name: 'label-lab-training' }),
    options,
  );
}
