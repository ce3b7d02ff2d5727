/**
 * Out-of-fold probabilities (mislabels.ts) computed in a worker: the protocol, and the worker's
 * side as a plain function over a message port, so one code path serves the browser's Web Worker
 * (oof.worker.ts) and a Node MessageChannel in the tests.
 *
 * A learner is a pair of functions and cannot be posted, so the job names it (`LearnerSpec`) and
 * the worker builds it; the dense learner starts a TF.js backend in the worker on first use.
 * One job per worker: the page spawns a worker per computation and cancels by terminating it,
 * which stops even a fit that is in a long synchronous step.
 */
import { initBackend, type BackendChoice, type BackendOptions } from '../ml/backend.ts';
import type { WorkerPort } from '../workers/ports.ts';
import type { DenseParams } from '../ml/dense.ts';
import { denseLearner, logisticLearner, type Learner } from '../ml/learner.ts';
import { outOfFoldProbabilities, type OutOfFoldInput } from './mislabels.ts';

/** A learner as data: what a worker needs to build the same learner as the page. */
export type LearnerSpec =
  { kind: 'logistic' } | { kind: 'dense'; params: DenseParams; backend?: Omit<BackendOptions, 'wasmPath'> };

export function learnerFromSpec(spec: LearnerSpec): Learner {
  return spec.kind === 'logistic' ? logisticLearner() : denseLearner(spec.params);
}

/** The out-of-fold input without its functions, plus the learner to build. */
export type OutOfFoldJob = Omit<OutOfFoldInput, 'learner' | 'onFold'> & { learner: LearnerSpec };

/** The client sends one `run`; its replies carry its id, as every worker protocol's do. */
export type OofRequest = { op: 'run'; id: number; job: OutOfFoldJob };

export type OofReply =
  | { id: number; type: 'fold'; done: number; total: number }
  | { id: number; type: 'result'; p: Float64Array }
  | { id: number; type: 'error'; message: string };

export type OofPort = WorkerPort<OofRequest, OofReply>;

/** Answer jobs on `port`; `host` says where the wasm backend's files are served. */
export function serveOutOfFold(port: OofPort, host: Pick<BackendOptions, 'wasmPath'> = {}): void {
  let backend: Promise<BackendChoice> | undefined;
  port.addEventListener('message', ({ data }) => {
    if (data.op !== 'run') return;
    const { id } = data;
    const { learner: spec, ...input } = data.job;
    void (async () => {
      try {
        if (spec.kind === 'dense') await (backend ??= initBackend({ measure: true, ...spec.backend, ...host }));
        const p = await outOfFoldProbabilities({
          ...input,
          learner: learnerFromSpec(spec),
          onFold: (done, total) => port.postMessage({ id, type: 'fold', done, total }),
        });
        port.postMessage({ id, type: 'result', p }, [p.buffer]);
      } catch (err) {
        port.postMessage({ id, type: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
}
