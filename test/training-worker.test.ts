/**
 * The training worker's client and protocol over a Node MessageChannel (the browser's Worker is
 * the same client over fit.worker.ts): a job trains remotely to the same scores as inline, epochs
 * stream back, one job's cancel leaves the next job working, and a job that ignores a cancel gets
 * its worker replaced.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend, nodeWasmPath } from '../src/ml/backend-node.ts';
import { Random } from '../src/ml/random.ts';
import type { TrainProgress } from '../src/ml/train-loop.ts';
import type { FitInput } from '../src/strategies/strategy.ts';
import { parseTrainingConfig } from '../src/experiment/config.ts';
import { serveFitJobs, type FitReply, type FitRequest } from '../src/training/fit-protocol.ts';
import { WorkerRunner } from '../src/training/fit-worker-client.ts';
import { runFitJob, type FitJob } from '../src/training/job.ts';
import { ORIGIN } from '../src/experiment/row-labels.ts';
import { channelWorker } from './worker-channel.ts';

/** 600 rows, 6 features; the label is x0 + x1 > 0 with 5% flipped. A fresh copy each call: jobs transfer their buffers. */
function job(strategy = 'proxy', epochs = 30): FitJob {
  const rng = new Random(3);
  const rows = 600;
  const columns = 6;
  const x = Float32Array.from({ length: rows * columns }, () => rng.uniform(-2, 2));
  const y = Float32Array.from({ length: rows }, (_, r) =>
    x[r * columns]! + x[r * columns + 1]! > 0 !== rng.next() < 0.05 ? 1 : 0,
  );
  const input: FitInput = {
    x,
    rows,
    columns,
    names: Array.from({ length: columns }, (_, i) => `x${i}`),
    train: Int32Array.from({ length: 400 }, (_, i) => i),
    validation: Int32Array.from({ length: 100 }, (_, i) => 400 + i),
    labels: {
      y,
      w: new Float32Array(rows).fill(1),
      origin: new Uint8Array(rows).fill(ORIGIN.proxy),
      positives: 0,
      negatives: 0,
    },
    side: { confidence: new Float32Array(rows).fill(0.5) },
    config: parseTrainingConfig({ dense: { hidden: [8], epochs, batchSize: 32, patience: epochs } }),
    seed: 11,
  };
  return { strategy, input };
}

/** The training worker served in this process; `stall` takes jobs and never answers them (a long synchronous step). */
function fitWorker(opts: { stall?: boolean } = {}): ReturnType<typeof channelWorker<FitRequest, FitReply>> {
  return channelWorker<FitRequest, FitReply>((port) => {
    if (!opts.stall) return serveFitJobs(port, { wasmPath: nodeWasmPath() });
    port.addEventListener('message', ({ data }) => {
      if (data.op === 'init')
        port.postMessage({ type: 'backend', choice: { name: 'cpu', attempts: [], description: 'cpu' } });
    });
  });
}

beforeAll(async () => {
  await initNodeBackend();
});

describe('training worker', () => {
  it('trains a job remotely to the scores it gets inline, streaming every epoch', async () => {
    const inline = await runFitJob(job());
    const runner = new WorkerRunner(() => fitWorker(), { backend: { candidates: ['wasm', 'cpu'] } });
    const epochs: TrainProgress[] = [];
    const sent = job();
    const remote = await runner.runFit(sent, { onEpoch: (p) => epochs.push(p) });
    expect((await runner.backend()).name).toBe('wasm');
    expect([...remote.scores]).toEqual([...inline.scores]);
    expect(epochs.length).toBe(remote.training[0]!.epochs);
    expect(epochs.map((e) => e.epoch)).toEqual(epochs.map((_, i) => i + 1));
    expect(epochs.every((e) => Number.isFinite(e.loss) && Number.isFinite(e.valLoss))).toBe(true);
    // The job's buffers were transferred, not copied.
    expect(sent.input.x.byteLength).toBe(0);
    runner.dispose();
  });

  it('cancels one job with an AbortError and runs the next', async () => {
    const runner = new WorkerRunner(() => fitWorker(), { backend: { candidates: ['wasm', 'cpu'] } });
    const controller = new AbortController();
    let seen = 0;
    const cancelled = runner.runFit(job('proxy', 500), {
      signal: controller.signal,
      onEpoch: () => {
        if (++seen === 2) controller.abort();
      },
    });
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    // The cancel lands at the loop's next yield (every 50 ms): tiny epochs may run on until then,
    // but never to the 500 the job asked for.
    expect(seen).toBeLessThan(250);
    const next = await runner.runFit(job('proxy', 5));
    expect(next.training[0]!.epochs).toBe(5);
    runner.dispose();
  });

  it('replaces a worker that does not answer a cancel', async () => {
    const spawned: ReturnType<typeof fitWorker>[] = [];
    const runner = new WorkerRunner(
      () => {
        const w = fitWorker({ stall: spawned.length === 0 });
        spawned.push(w);
        return w;
      },
      { cancelGraceMs: 50, backend: { candidates: ['wasm', 'cpu'] } },
    );
    const controller = new AbortController();
    const stuck = runner.runFit(job(), { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(stuck).rejects.toMatchObject({ name: 'AbortError' });
    expect(spawned[0]!.terminated).toBe(true);
    const next = await runner.runFit(job('proxy', 3));
    expect(spawned).toHaveLength(2);
    expect(next.scores.length).toBe(600);
    runner.dispose();
  });

  it('rejects a job sent after its signal was aborted without starting a worker', async () => {
    let spawned = 0;
    const runner = new WorkerRunner(() => (spawned++, fitWorker()));
    const controller = new AbortController();
    controller.abort();
    await expect(runner.runFit(job(), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(spawned).toBe(0);
  });
});
