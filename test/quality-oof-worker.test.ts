/**
 * The out-of-fold worker's client and protocol over a Node MessageChannel (the browser's Worker
 * is the same client over oof.worker.ts): the same probabilities as inline, each fold reported,
 * a cancel that rejects at once and ends the worker, and the worker's error passed on.
 */
import { describe, expect, it } from 'vitest';
import { nodeWasmPath } from '../src/ml/backend-node.ts';
import { logisticLearner } from '../src/ml/learner.ts';
import { outOfFoldProbabilities, type OutOfFoldInput } from '../src/quality/mislabels.ts';
import { workerOutOfFold } from '../src/quality/oof-client.ts';
import { serveOutOfFold, type OofReply, type OofRequest } from '../src/quality/oof-protocol.ts';
import { separable } from './active-fixtures.ts';
import { channelWorker } from './worker-channel.ts';

/** The out-of-fold worker served in this process. */
const oofWorker = () =>
  channelWorker<OofRequest, OofReply>((port) => serveOutOfFold(port, { wasmPath: nodeWasmPath() }));

/** 400 alert groups (two rows each), labels from the separable truth; a fresh copy each call (x is transferred). */
function input(): OutOfFoldInput {
  const d = separable(400, 4);
  return {
    x: d.x,
    columns: d.columns,
    rows: Int32Array.from({ length: d.rows }, (_, i) => i),
    y: d.truth,
    group: d.group,
    folds: 5,
    seed: 7,
    learner: logisticLearner(),
  };
}

describe('out-of-fold probabilities in a worker', () => {
  it('gives the probabilities computed inline, reporting every fold', async () => {
    const inline = await outOfFoldProbabilities(input());
    const folds: [number, number][] = [];
    let spawned: ReturnType<typeof oofWorker> | undefined;
    const remote = await workerOutOfFold(
      () => (spawned = oofWorker()),
      { kind: 'logistic' },
      { onFold: (done, total) => folds.push([done, total]) },
    )(input());
    expect(Array.from(remote)).toEqual(Array.from(inline));
    expect(folds).toEqual([1, 2, 3, 4, 5].map((k) => [k, 5]));
    expect(spawned!.terminated).toBe(true);
  });

  it('rejects with an AbortError as soon as it is cancelled, and ends the worker', async () => {
    const controller = new AbortController();
    let spawned: ReturnType<typeof oofWorker> | undefined;
    const run = workerOutOfFold(
      () => (spawned = oofWorker()),
      { kind: 'logistic' },
      { signal: controller.signal, onFold: (done) => done === 1 && controller.abort() },
    )(input());
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(spawned!.terminated).toBe(true);
    // Cancelled before it starts: no worker at all.
    let started = false;
    await expect(
      workerOutOfFold(
        () => ((started = true), oofWorker()),
        { kind: 'logistic' },
        { signal: controller.signal },
      )(input()),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(started).toBe(false);
  });

  it("passes the worker's error on", async () => {
    const one = input();
    // Every row in one alert group: no fold has anything to train on.
    one.group = new Int32Array(one.group.length);
    await expect(workerOutOfFold(() => oofWorker(), { kind: 'logistic' })(one)).rejects.toThrow(
      /at least two alert groups/,
    );
  });
});
