/**
 * The training worker's protocol, and the worker's side of it as a plain function over a message
 * port, so the same code serves a browser Web Worker (fit.worker.ts) and a Node MessageChannel in
 * the tests.
 *
 * One backend per worker, chosen at `init` (measured: the fastest that starts, see
 * ml/backend.ts). Jobs arrive with their buffers transferred; each reports every epoch, then its
 * result (buffers transferred back) or its error. `cancel` aborts a job's signal: the training
 * loop yields to the event loop every few milliseconds, which is what lets the message in.
 */
import { initBackend, type BackendChoice, type BackendOptions } from '../ml/backend.ts';
import type { TrainProgress } from '../ml/train-loop.ts';
import type { WorkerPort } from '../workers/ports.ts';
import { fitResultTransferables, runFitJob, type FitJob, type FitJobResult } from './job.ts';

export type FitRequest =
  | { op: 'init'; backend: Omit<BackendOptions, 'wasmPath'> }
  | { op: 'fit'; id: number; job: FitJob }
  | { op: 'cancel'; id: number };

export type FitReply =
  | { type: 'backend'; choice: BackendChoice }
  | { type: 'backend-error'; message: string }
  | { id: number; type: 'epoch'; progress: TrainProgress }
  | { id: number; type: 'result'; result: FitJobResult }
  | { id: number; type: 'error'; name: string; message: string };

export type FitPort = WorkerPort<FitRequest, FitReply>;

/**
 * Answer requests on `port` until it closes. `host` holds what only the worker's host knows
 * (where the wasm files are served); the page's `init` picks among backends.
 */
export function serveFitJobs(port: FitPort, host: Pick<BackendOptions, 'wasmPath'> = {}): void {
  let backend: Promise<BackendChoice> | undefined;
  const running = new Map<number, AbortController>();
  const reply = (message: FitReply, transfer: Transferable[] = []) => port.postMessage(message, transfer);

  const fit = async (id: number, job: FitJob) => {
    const controller = new AbortController();
    running.set(id, controller);
    try {
      if (!backend) throw new Error('the training worker was sent a job before init');
      await backend;
      const result = await runFitJob(job, {
        signal: controller.signal,
        onEpoch: (progress) => reply({ id, type: 'epoch', progress }),
      });
      // A job cancelled after its last epoch still finished: the page decides what to keep.
      reply({ id, type: 'result', result }, fitResultTransferables(result));
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      reply({ id, type: 'error', name: controller.signal.aborted ? 'AbortError' : e.name, message: e.message });
    } finally {
      running.delete(id);
    }
  };

  port.addEventListener('message', ({ data }) => {
    switch (data.op) {
      case 'init':
        backend = initBackend({ ...data.backend, ...host });
        backend.then(
          (choice) => reply({ type: 'backend', choice }),
          (err: Error) => reply({ type: 'backend-error', message: err.message }),
        );
        return;
      case 'fit':
        void fit(data.id, data.job);
        return;
      case 'cancel':
        running.get(data.id)?.abort();
        return;
    }
  });
}
