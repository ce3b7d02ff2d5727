/**
 * How the app trains: one training Web Worker for the page (src/training/fit-worker-client.ts),
 * started when something first trains and kept for the page's life, so its TF.js backend is
 * measured and chosen once. Compare cells train only when asked (their Run comparison button):
 * opening a notebook must not start minutes of work.
 *
 * The worker client is imported on first use: it brings the strategies and TF.js, which the page
 * does not need until then.
 */
import type { NotebookTraining } from '../notebook/runtime.ts';
import type { WorkerRunner } from '../training/fit-worker-client.ts';
import type { TrainingRunner } from '../training/runner.ts';

let worker: Promise<WorkerRunner> | null = null;

const started = (): Promise<WorkerRunner> =>
  (worker ??= import('../training/fit-worker-client.ts').then((m) => m.createWorkerRunner()));

const runner: TrainingRunner = {
  backend: async () => (await started()).backend(),
  runFit: async (job, hooks) => (await started()).runFit(job, hooks),
};

export function appTraining(): NotebookTraining {
  return { runner, start: 'on-request', runtime: navigator.userAgent };
}
