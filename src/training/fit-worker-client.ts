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
import type { FitReply, FitRequest } from './fit-protocol.ts';
import { fitJobTransferables, type FitJob, type FitJobResult } from './job.ts';
import type { TrainingRunner } from './runner.ts';
import type { WorkerLike } from '../workers/ports.ts';

export type FitWorkerLike = WorkerLike<FitRequest, FitReply>;

export interface WorkerRunnerOptions {
  /** Which backends the worker may pick; default: the fastest of webgl, wasm and cpu (measured). */
  backend?: Omit<BackendOptions, 'wasmPath'>;
  cancelGraceMs?: number;
}

interface Pending {
  resolve(result: FitJobResult): void;
  reject(error: Error): void;
  onEpoch?: FitHooks['onEpoch'];
}

function abortError(): DOMException {
  return new DOMException('training was cancelled', 'AbortError');
}

export class WorkerRunner implements TrainingRunner {
  private worker: FitWorkerLike | null = null;
  private choice: Promise<BackendChoice> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly spawn: () => FitWorkerLike,
    private readonly options: WorkerRunnerOptions = {},
  ) {}

  backend(): Promise<BackendChoice> {
    this.started();
    return this.choice!;
  }

  async runFit(job: FitJob, hooks: FitHooks = {}): Promise<FitJobResult> {
    const { signal } = hooks;
    if (signal?.aborted) throw abortError();
    const worker = this.started();
    await this.choice;
    // Cancelled while the backend was starting: nothing was posted yet.
    if (signal?.aborted) throw abortError();
    const id = this.nextId++;
    return new Promise<FitJobResult>((resolve, reject) => {
      let grace: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        worker.postMessage({ op: 'cancel', id });
        grace = setTimeout(() => {
          // Still running after the grace period: stop the whole worker; this job is cancelled,
          // any other in it has failed.
          if (this.pending.has(id))
            this.restart(worker, new Error('the training worker was restarted to cancel a job'), id);
        }, this.options.cancelGraceMs ?? 3000);
      };
      const settle = () => {
        clearTimeout(grace);
        signal?.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        resolve: (r) => {
          settle();
          if (signal?.aborted) reject(abortError());
          else resolve(r);
        },
        reject: (e) => {
          settle();
          reject(signal?.aborted ? abortError() : e);
        },
        onEpoch: hooks.onEpoch,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ op: 'fit', id, job }, fitJobTransferables(job));
    });
  }

  /** Stop the worker; jobs still running fail. */
  dispose(): void {
    if (this.worker) this.restart(this.worker, new Error('the training worker was closed'));
  }

  private started(): FitWorkerLike {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    this.worker = worker;
    let resolveChoice!: (c: BackendChoice) => void;
    let rejectChoice!: (e: Error) => void;
    this.choice = new Promise<BackendChoice>((res, rej) => {
      resolveChoice = res;
      rejectChoice = rej;
    });
    // Nobody may be awaiting the choice yet; a failure still reaches whoever asks later.
    this.choice.catch(() => {});
    worker.onmessage = ({ data }) => {
      if (data.type === 'backend') return resolveChoice(data.choice);
      if (data.type === 'backend-error')
        return rejectChoice(new Error(`the training worker could not start a TF.js backend: ${data.message}`));
      const job = this.pending.get(data.id);
      if (!job) return;
      if (data.type === 'epoch') return job.onEpoch?.(data.progress);
      this.pending.delete(data.id);
      if (data.type === 'result') job.resolve(data.result);
      else
        job.reject(
          data.name === 'AbortError' ? abortError() : Object.assign(new Error(data.message), { name: data.name }),
        );
    };
    worker.onerror = (event) => {
      const error = new Error(`the training worker stopped: ${event.message || 'worker error'}`);
      rejectChoice(error);
      this.restart(worker, error);
    };
    worker.postMessage({ op: 'init', backend: this.options.backend ?? { measure: true } });
    return worker;
  }

  /** Terminate `worker` and fail its jobs (`cancelled` with an AbortError). */
  private restart(worker: FitWorkerLike, error: Error, cancelled?: number): void {
    if (this.worker !== worker) return;
    worker.terminate();
    this.worker = null;
    this.choice = null;
    const jobs = [...this.pending];
    this.pending.clear();
    for (const [id, job] of jobs) job.reject(id === cancelled ? abortError() : error);
  }
}

/** The browser's runner: fit.worker.ts, bundled by Vite. */
export function createWorkerRunner(options: WorkerRunnerOptions = {}): WorkerRunner {
  return new WorkerRunner(
    () => new Worker(new URL('./fit.worker.ts', import.meta.url), { type: 'module', name: 'label-lab-training' }),
    options,
  );
}
