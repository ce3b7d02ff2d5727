/**
 * Where fit jobs run: the seam between the training core and its hosts. Node (the CLI, tests,
 * headless notebooks) runs them inline on the TF.js backend it started; the browser runs them in
 * a training Web Worker (src/training/fit-worker-client.ts) so the page stays responsive.
 * Anything that trains (compare cells, the leaderboard, background retraining) takes a runner
 * instead of choosing for itself.
 */
import type { BackendChoice } from '../ml/backend.ts';
import type { FitHooks } from '../strategies/strategy.ts';
import { runFitJob, type FitJob, type FitJobResult } from './job.ts';

export interface TrainingRunner {
  /** Run one fit job. `hooks.signal` cancels it (the promise rejects with an AbortError). */
  runFit(job: FitJob, hooks?: FitHooks): Promise<FitJobResult>;
  /** The TF.js backend the jobs run on, started on first use, for the UI and the leaderboard. */
  backend(): Promise<BackendChoice>;
}

/** Jobs run in this thread, on the backend `start` picks (once, on first use). */
export function inlineRunner(start: () => Promise<BackendChoice>): TrainingRunner {
  let choice: Promise<BackendChoice> | undefined;
  const backend = () => (choice ??= start());
  return {
    backend,
    async runFit(job, hooks = {}) {
      await backend();
      return runFitJob(job, hooks);
    },
  };
}
