/**
 * The Chromium half of bench:train, imported by a page through Vite: the app's own training
 * worker (src/training/fit-worker-client.ts) trains the dense classifier and the autoencoder on
 * synthetic rows, once per backend, while the page watches its own main thread.
 *
 * Throughput comes from the training loop's epoch logs (rows per second of an epoch, the
 * validation pass included); the first epoch of each run warms up and is left out. The main
 * thread is watched two ways: long tasks (the browser reports each over 50 ms) and a 10 ms
 * heartbeat's worst lateness, which also sees blocks too short to count as long tasks.
 */
import type { TrainProgress } from '../src/ml/train-loop.ts';
import type { BackendName } from '../src/ml/backend.ts';
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { createWorkerRunner } from '../src/training/fit-worker-client.ts';
import type { FitJob } from '../src/training/job.ts';
import { ORIGIN } from '../src/experiment/row-labels.ts';
import { syntheticTrainingData } from './train-data.ts';

export interface BrowserTrainOptions {
  rows: number;
  /** Rows for the cpu backend, which is far slower. */
  cpuRows: number;
  features: number;
  batches: number[];
  /** Timed epochs per run (one warm-up epoch more is trained). */
  epochs: number;
  backends: BackendName[];
  /** The wasm pool size to start with; absent: the worker measures 1 thread against every core. */
  threads?: number;
}

export interface BrowserTrainRow {
  backend: string;
  /** What the worker reported starting (or why it could not). */
  started: string;
  batch: number;
  rows: number;
  classifier: number[];
  autoencoder: number[];
  /** Longest long task on the page's main thread during this backend's runs (0: none over 50 ms). */
  longestTaskMs: number;
  /** Worst lateness of a 10 ms timer on the main thread. */
  worstTimerLateMs: number;
}

function job(
  strategy: 'proxy' | 'autoencoder',
  data: { x: Float32Array; y: Float32Array },
  rows: number,
  features: number,
  batch: number,
  epochs: number,
): FitJob {
  const validation = Math.min(2000, Math.floor(rows / 10));
  const network = { epochs: epochs + 1, batchSize: batch, learningRate: 1e-3, patience: epochs + 1 };
  return {
    strategy,
    input: {
      // Copies: each job transfers its buffers to the worker.
      x: data.x.slice(0, rows * features),
      rows,
      columns: features,
      names: Array.from({ length: features }, (_, i) => `x${i}`),
      train: Int32Array.from({ length: rows - validation }, (_, i) => i),
      validation: Int32Array.from({ length: validation }, (_, i) => rows - validation + i),
      labels: {
        y: data.y.slice(0, rows),
        w: new Float32Array(rows).fill(1),
        origin: new Uint8Array(rows).fill(ORIGIN.proxy),
        positives: 0,
        negatives: 0,
      },
      side: { confidence: new Float32Array(rows).fill(0.5) },
      config: parseTrainingConfig({
        dense: { hidden: [64, 32], ...network },
        autoencoder: { hidden: [32, 8], ...network },
      }),
      seed: 1,
    },
  };
}

/** Watch the main thread until `stop()`: the longest long task and the worst timer lateness. */
function watchMainThread(): () => { longestTaskMs: number; worstTimerLateMs: number } {
  let longest = 0;
  let worst = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  return () => {
    observer.disconnect();
    clearInterval(timer);
    return { longestTaskMs: longest, worstTimerLateMs: Math.max(0, worst) };
  };
}

export async function runBrowserTrainBench(opts: BrowserTrainOptions): Promise<BrowserTrainRow[]> {
  const data = syntheticTrainingData(opts.rows, opts.features);
  const out: BrowserTrainRow[] = [];
  for (const backend of opts.backends) {
    const runner = createWorkerRunner({
      backend: { preferred: backend, ...(opts.threads !== undefined ? { threads: opts.threads } : {}) },
    });
    try {
      let started: string;
      try {
        started = (await runner.backend()).description;
      } catch (e) {
        out.push({
          backend,
          started: `unavailable: ${(e as Error).message}`,
          batch: 0,
          rows: 0,
          classifier: [],
          autoencoder: [],
          longestTaskMs: 0,
          worstTimerLateMs: 0,
        });
        continue;
      }
      const rows = backend === 'cpu' ? Math.min(opts.rows, opts.cpuRows) : opts.rows;
      for (const batch of opts.batches) {
        const stop = watchMainThread();
        const rates = { proxy: [] as number[], autoencoder: [] as number[] };
        for (const strategy of ['proxy', 'autoencoder'] as const) {
          const onEpoch = (p: TrainProgress) => {
            if (p.epoch > 1) rates[strategy].push(p.samplesPerSecond);
          };
          await runner.runFit(job(strategy, data, rows, opts.features, batch, opts.epochs), { onEpoch });
        }
        out.push({ backend, started, batch, rows, classifier: rates.proxy, autoencoder: rates.autoencoder, ...stop() });
      }
    } finally {
      runner.dispose();
    }
  }
  return out;
}
