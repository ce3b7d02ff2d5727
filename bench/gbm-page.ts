/**
 * The Chromium half of bench:gbm, imported by a page through Vite: the app's own training worker
 * (src/training/fit-worker-client.ts) fits the gbm job (bench/gbm-job.ts) `repeats` times per
 * size; the fit time is the worker's own (FitJobResult.seconds.fit), without the transfers.
 */
import { createWorkerRunner } from '../src/training/fit-worker-client.ts';
import { gbmBenchData, gbmBenchJob } from './gbm-job.ts';

export interface BrowserGbmOptions {
  sizes: number[];
  iterations: number;
  repeats: number;
  threads: number;
}

export interface BrowserGbmRow {
  rows: number;
  seconds: number[];
  trees: number;
  threads: number;
}

export async function runBrowserGbmBench(opts: BrowserGbmOptions): Promise<BrowserGbmRow[]> {
  // gbm needs no TF.js backend; the worker starts one anyway, and cpu starts at once.
  const runner = createWorkerRunner({ backend: { preferred: 'cpu' } });
  const out: BrowserGbmRow[] = [];
  try {
    await runner.backend();
    for (const rows of opts.sizes) {
      const data = gbmBenchData(rows);
      const seconds: number[] = [];
      let trees = 0;
      let threads = 1;
      for (let i = 0; i < opts.repeats; i++) {
        const result = await runner.runFit(gbmBenchJob(data, opts.iterations, opts.threads));
        seconds.push(result.seconds.fit);
        trees = result.training[0]?.bestEpoch ?? 0;
        threads = result.training[0]?.threads ?? 1;
      }
      out.push({ rows, seconds, trees, threads });
    }
  } finally {
    runner.dispose();
  }
  return out;
}
