/**
 * The booster's own contract (src/ml/gbm/): one progress report per iteration with train and
 * validation log-loss, early stopping that keeps the trees up to the best iteration, Cancel at the
 * next iteration, the same trees for the same rows, missing values routed by the trees (not read
 * as a number), sample weights that count, and the feature importance as total split gain.
 */
import { describe, expect, it } from 'vitest';
import { syntheticGbmData } from '../bench/gbm-data.ts';
import { DEFAULT_GBM, fitGbm, type GbmData } from '../src/ml/gbm/booster.ts';
import { binOf, featureEdges } from '../src/ml/gbm/bins.ts';
import type { TrainProgress } from '../src/ml/train-loop.ts';

const data = syntheticGbmData(4_000, 3);
const rows = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);
const base: GbmData = {
  x: data.x,
  columns: data.columns,
  train: rows(0, 3_000),
  validation: rows(3_000, 4_000),
  y: data.y,
  w: data.w,
};

describe('gbm booster', () => {
  it('reports every iteration and stops early, keeping the trees up to the best validation loss', async () => {
    const seen: TrainProgress[] = [];
    const { model, result } = await fitGbm(base, { ...DEFAULT_GBM, maxIter: 300, learningRate: 0.3, patience: 5 }, 1, {
      onEpoch: (p) => seen.push(p),
      stage: 'test',
    });
    expect(seen.map((p) => p.epoch)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.every((p) => p.stage === 'test' && p.epochs === 300 && p.valLoss > 0 && p.loss > 0)).toBe(true);
    expect(result.stopped).toBe('early-stopping');
    expect(seen.length).toBe(result.bestEpoch + 5);
    expect(model.trees.length).toBe(result.bestEpoch);
    const best = Math.min(...seen.map((p) => p.valLoss));
    expect(seen[result.bestEpoch - 1]!.valLoss).toBe(best);
    // Training loss falls as trees are added.
    expect(seen[seen.length - 1]!.loss).toBeLessThan(seen[0]!.loss);
  });

  it('stops at the next iteration once its signal fires', async () => {
    const controller = new AbortController();
    let epochs = 0;
    const fit = fitGbm(base, { ...DEFAULT_GBM, maxIter: 500, patience: 0 }, 1, {
      signal: controller.signal,
      onEpoch: () => {
        if (++epochs === 3) controller.abort();
      },
    });
    await expect(fit).rejects.toThrow(/cancelled/);
    expect(epochs).toBe(3);
  });

  it('grows the same trees from the same rows, and weights count', async () => {
    const params = { ...DEFAULT_GBM, maxIter: 20, patience: 0 };
    const a = await fitGbm(base, params, 1);
    const b = await fitGbm(base, params, 2);
    expect(b.model.predictRaw(data.x, 4_000)).toEqual(a.model.predictRaw(data.x, 4_000));
    const unweighted = await fitGbm({ ...base, w: undefined }, params, 1);
    expect(unweighted.model.predictRaw(data.x, 4_000)).not.toEqual(a.model.predictRaw(data.x, 4_000));
  });

  it('routes missing values through the trees and ranks features by total split gain', async () => {
    // Column 1 is missing in a share of rows, and the label reads a missing value as a signal of its own.
    const { model } = await fitGbm(base, { ...DEFAULT_GBM, maxIter: 40, patience: 0 }, 1);
    const x = data.x.slice(0, data.columns * 2);
    x.set(data.x.subarray(0, data.columns), data.columns);
    x[1] = NaN;
    x[data.columns + 1] = 0;
    const [missing, zero] = model.predictRaw(x, 2);
    expect(missing).not.toBe(zero);
    const gain = Array.from(model.importance);
    const top = gain.indexOf(Math.max(...gain));
    // signal_0 carries the most weight in the planted label; the noise columns the least.
    expect(data.names[top]).toBe('signal_0');
    for (let j = 32; j < 40; j++) expect(model.importance[j]!).toBeLessThan(model.importance[top]! / 10);
  });

  it('bins so that bin <= b is exactly x <= edge[b]', () => {
    const values = Float64Array.from([1, 1, 2, 3, 3, 3, 7]);
    const edges = featureEdges(values, 255);
    expect(Array.from(edges)).toEqual([1.5, 2.5, 5]);
    for (const v of [0, 1, 1.5, 1.5000001, 2, 2.5, 3, 5, 7, 100])
      for (let b = 0; b < edges.length; b++) expect(binOf(edges, v) <= b).toBe(v <= edges[b]!);
    expect(binOf(edges, NaN)).toBe(edges.length + 1);
    // More distinct values than bins: quantile edges, at most maxBins bins.
    const many = Float64Array.from({ length: 1000 }, (_, i) => i * i);
    expect(featureEdges(many, 16).length).toBe(15);
  });
});
