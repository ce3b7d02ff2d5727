/**
 * The page's side of the out-of-fold worker (oof-protocol.ts): an `outOfFold` function for
 * findSuspectedMislabels that runs the fits in a fresh worker, reports each fold, and cancels by
 * terminating the worker (a fit in a long synchronous step would never read a cancel message).
 *
 * It takes a factory rather than creating the Worker itself, so the tests drive the same client
 * over a Node MessageChannel.
 */
import { WorkerClient } from '../workers/client.ts';
import type { WorkerLike } from '../workers/ports.ts';
import type { OutOfFoldInput } from './mislabels.ts';
import type { LearnerSpec, OofReply, OofRequest } from './oof-protocol.ts';

export type OofWorkerLike = WorkerLike<OofRequest, OofReply>;

export interface OofHooks {
  signal?: AbortSignal;
  onFold?: (done: number, total: number) => void;
}

function abortError(): DOMException {
  return new DOMException('the search for suspected mislabels was cancelled', 'AbortError');
}

/**
 * `outOfFold` for SuspectOptions: the fits run in `spawn()`'s worker with the learner `spec`
 * builds there (input.learner, a function, stays on the page: give the same spec's learner so the
 * report names it). The feature matrix is transferred, not copied; the caller does not read it
 * after the fits.
 */
export function workerOutOfFold(
  spawn: () => OofWorkerLike,
  spec: LearnerSpec,
  hooks: OofHooks = {},
): (input: OutOfFoldInput) => Promise<Float64Array> {
  return async (input) => {
    const { signal } = hooks;
    if (signal?.aborted) throw abortError();
    const client = new WorkerClient<OofRequest, OofReply>(spawn(), {
      crashed: (detail) => new Error(`the mislabel worker failed: ${detail || 'it could not start'}`),
    });
    // Terminating is the cancel: a fit in a long synchronous step would never read a message.
    const onAbort = () => client.close(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const { learner: _learner, onFold: _onFold, ...data } = input;
    try {
      return await client.call<Float64Array>(
        (id) => ({ op: 'run', id, job: { ...data, learner: spec } }),
        (reply, settle) => {
          if (reply.type === 'fold') hooks.onFold?.(reply.done, reply.total);
          else if (reply.type === 'result') settle.resolve(reply.p);
          else settle.reject(new Error(reply.message));
        },
        [input.x.buffer as ArrayBuffer],
      ).result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // One job per worker.
      client.close();
    }
  };
}

/** The browser's worker: oof.worker.ts, bundled by Vite. */
export function spawnOofWorker(): OofWorkerLike {
  return new Worker(new URL('./oof.worker.ts', import.meta.url), { type: 'module', name: 'label-lab-mislabels' });
}
