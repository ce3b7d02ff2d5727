/**
 * The page's side of the out-of-fold worker (oof-protocol.ts): an `outOfFold` function for
 * findSuspectedMislabels that runs the fits in a fresh worker, reports each fold, and cancels by
 * terminating the worker (a fit in a long synchronous step would never read a cancel message).
 *
 * It takes a factory rather than creating the Worker itself, so the tests drive the same client
 * over a Node MessageChannel.
 */
import type { OutOfFoldInput } from './mislabels.ts';
import type { LearnerSpec, OofReply, OofRequest } from './oof-protocol.ts';
import type { WorkerLike } from '../workers/ports.ts';

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
  return (input) =>
    new Promise<Float64Array>((resolve, reject) => {
      const { signal } = hooks;
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const worker = spawn();
      const finish = () => {
        signal?.removeEventListener('abort', onAbort);
        worker.terminate();
      };
      const onAbort = () => {
        finish();
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.onmessage = ({ data }) => {
        if (data.type === 'fold') hooks.onFold?.(data.done, data.total);
        else if (data.type === 'result') {
          finish();
          resolve(data.p);
        } else {
          finish();
          reject(new Error(data.message));
        }
      };
      worker.onerror = (event) => {
        finish();
        reject(new Error(`the mislabel worker failed: ${event.message || 'it could not start'}`));
      };
      const { learner: _learner, onFold: _onFold, ...data } = input;
      worker.postMessage({ op: 'run', job: { ...data, learner: spec } }, [input.x.buffer as ArrayBuffer]);
    });
}

/** The browser's worker: oof.worker.ts, bundled by Vite. */
export function spawnOofWorker(): OofWorkerLike {
  return new Worker(new URL('./oof.worker.ts', import.meta.url), { type: 'module', name: 'label-lab-mislabels' });
}
