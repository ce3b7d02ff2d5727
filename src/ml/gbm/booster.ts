/**
 * Histogram gradient boosting for binary log-loss: the training loop and the fitted model.
 *
 * The model starts from the weighted training log-odds (the init score), then adds one tree per
 * iteration fitted to the loss's gradient and hessian (g = w (p - y), h = w p (1 - p)), each leaf
 * worth -G / (H + l2) times the learning rate. Training rows are binned once (bins.ts, one byte a
 * cell, column-major); predictions of training and validation rows are updated from the trees on
 * their bins, and new rows are scored on their raw values against the trees' thresholds, which
 * send every value where its bin went (bins.ts).
 *
 * Early stopping watches the validation rows' metric (log-loss, or ROC-AUC) and keeps the trees up
 * to the best iteration. Every iteration is reported (iteration as epoch, train and validation
 * log-loss) and checks the AbortSignal; the event loop gets a turn every `yieldMs`, which is what
 * lets a Cancel message reach a training worker. Without row subsampling nothing is random, so the
 * same rows give the same trees; with it, the seed picks the rows.
 */
import { rocAuc } from '../../metrics/ranking.ts';
import { Random } from '../random.ts';
import { abortError, type EpochLog, type LoopHooks, type LoopResult } from '../train-loop.ts';
import { binRows, fitBins, type BinMapper } from './bins.ts';
import { histogramLayout, histogramOffsets } from './histogram.ts';
import { TreeGrower, type GrowData } from './grow.ts';
import { GbmKernel } from './kernel.ts';
import { leafOfBinned, predictRow, type Tree } from './tree.ts';
import { yieldTask } from '../../util/yield-task.ts';

export interface GbmParams {
  learningRate: number;
  maxIter: number;
  maxLeafNodes: number;
  /** Edges from the root to the deepest leaf; undefined for no limit. */
  maxDepth?: number;
  l2: number;
  minSamplesLeaf: number;
  minHessian: number;
  maxBins: number;
  /** Iterations without a validation improvement of more than `tol` before stopping; 0 = never stop early. */
  patience: number;
  tol: number;
  validationMetric: 'log-loss' | 'roc-auc';
  /** Share of the training rows each tree sees (1 = all, nothing random). */
  subsample: number;
  /**
   * Threads building histograms, the fitting one included; 0 = one per core. The trees are the
   * same whatever the count (threads.ts).
   */
  threads: number;
}

export const DEFAULT_GBM: GbmParams = {
  learningRate: 0.1,
  maxIter: 100,
  maxLeafNodes: 31,
  l2: 0,
  minSamplesLeaf: 20,
  minHessian: 1e-3,
  maxBins: 255,
  patience: 10,
  tol: 1e-7,
  validationMetric: 'log-loss',
  subsample: 1,
  threads: 0,
};

export interface GbmData {
  /** Row-major raw features, NaN where missing. */
  x: Float32Array;
  columns: number;
  train: Int32Array;
  validation: Int32Array;
  /** 0/1 per matrix row (only train and validation rows are read). */
  y: Float32Array;
  /** Sample weight per matrix row; 1 when absent. */
  w?: Float32Array;
}

export interface GbmFit {
  model: GbmModel;
  result: LoopResult;
  /** Threads that built the histograms, the fitting one included. */
  threads: number;
}

/** The fitted booster: init score plus trees, scoring raw rows. */
export class GbmModel {
  constructor(
    readonly init: number,
    readonly trees: Tree[],
    readonly columns: number,
    /** Total split gain per feature over the kept trees. */
    readonly importance: Float64Array,
    readonly bins: BinMapper,
  ) {}

  /** Log-odds of the first `rows` rows of `x` (row-major, `columns` wide, NaN as missing). */
  predictRaw(x: Float32Array, rows: number): Float64Array {
    const out = new Float64Array(rows);
    const { trees, columns, init } = this;
    for (let r = 0; r < rows; r++) {
      const base = r * columns;
      let s = init;
      for (let t = 0; t < trees.length; t++) s += predictRow(trees[t]!, x, base);
      out[r] = s;
    }
    return out;
  }

  predictProbability(x: Float32Array, rows: number): Float64Array {
    const raw = this.predictRaw(x, rows);
    for (let i = 0; i < raw.length; i++) raw[i] = sigmoid(raw[i]!);
    return raw;
  }
}

export async function fitGbm(data: GbmData, params: GbmParams, seed: number, hooks: LoopHooks = {}): Promise<GbmFit> {
  const { x, columns, train } = data;
  if (train.length === 0) throw new Error('gbm: no rows to train on');
  const t0 = performance.now();
  const mapper = fitBins(x, columns, train, { maxBins: params.maxBins, seed });
  const nBins = Int32Array.from(mapper.edges, (e) => e.length + 1);
  const offsets = histogramOffsets(nBins);
  const maxLeaves = Math.max(2, params.maxLeafNodes);
  // A tree holds at most one histogram per leaf, plus the one being built while its parent
  // waits to be subtracted from.
  const size = { rows: train.length, features: columns, slots: offsets[columns]!, histograms: maxLeaves + 1 };
  const kernel = await GbmKernel.create(size, params.threads);
  try {
    return {
      ...(await boost(kernel, data, params, seed, hooks, mapper, nBins, offsets, t0)),
      threads: kernel.threadCount,
    };
  } finally {
    kernel.close();
  }
}

async function boost(
  kernel: GbmKernel,
  data: GbmData,
  params: GbmParams,
  seed: number,
  hooks: LoopHooks,
  mapper: BinMapper,
  nBins: Int32Array,
  offsets: Int32Array,
  t0: number,
): Promise<Omit<GbmFit, 'threads'>> {
  const { x, columns, train, validation, y, w } = data;
  const n = train.length;
  const yieldMs = 50;
  const bins = binRows(mapper, x, columns, train, kernel.arena.bins);
  const skip = new Uint8Array(columns);
  for (let j = 0; j < columns; j++) {
    if (nBins[j]! > 1) continue;
    // One value bin: splittable only into present and missing.
    const col = bins.subarray(j * n, (j + 1) * n);
    skip[j] = col.includes(nBins[j]!) && col.includes(0) ? 0 : 1;
  }
  const layout = histogramLayout(offsets, skip);
  await kernel.useLayout(layout.active, layout.start);
  const growData: GrowData = { bins, n, features: columns, nBins, offsets, edges: mapper.edges, skip };
  const grower = new TreeGrower(growData, kernel);

  const ty = new Float32Array(n);
  const tw = new Float32Array(n);
  let wSum = 0;
  let wySum = 0;
  for (let i = 0; i < n; i++) {
    const r = train[i]!;
    ty[i] = y[r]!;
    tw[i] = w ? w[r]! : 1;
    wSum += tw[i]!;
    wySum += tw[i]! * ty[i]!;
  }
  if (!(wSum > 0)) throw new Error('gbm: the training rows have no weight');
  const mean = Math.min(1 - 1e-15, Math.max(1e-15, wySum / wSum));
  const init = Math.log(mean / (1 - mean));

  const nv = validation.length;
  const vbins = binRows(mapper, x, columns, validation);
  const vy = Float32Array.from(validation, (r) => y[r]!);
  const vw = Float32Array.from(validation, (r) => (w ? w[r]! : 1));
  const vraw = new Float64Array(nv).fill(init);
  const raw = new Float64Array(n).fill(init);
  const { g, h } = kernel.arena;
  const importance = new Float64Array(columns);
  const trees: Tree[] = [];
  const history: EpochLog[] = [];
  const rng = new Random(seed ^ 0x5bd1e995);
  const growParams = {
    l2: params.l2,
    minSamplesLeaf: params.minSamplesLeaf,
    minHessian: params.minHessian,
    maxLeaves: Math.max(2, params.maxLeafNodes),
    maxDepth: params.maxDepth ?? Infinity,
    learningRate: params.learningRate,
  };
  const higherIsBetter = params.validationMetric === 'roc-auc';
  const monitored = (): number => {
    if (nv === 0) return NaN;
    return higherIsBetter ? -(rocAuc(vraw, vy) ?? 0.5) : logLoss(vraw, vy, vw);
  };
  let best = { score: nv > 0 ? monitored() : Infinity, iteration: 0, importance: importance.slice() };
  let stopped: LoopResult['stopped'] = 'epochs';
  let lastYield = performance.now();
  const leafOf = growParams.maxLeaves <= 256 ? new Uint8Array(n) : new Uint16Array(n);
  const leafValue = new Float64Array(growParams.maxLeaves);
  let lossNow = gradients(raw, ty, tw, g, h, null);
  const allSplittable = skip.some((s) => s === 0);
  const binsStart = (performance.now() - t0) / 1000;

  for (let iteration = 1; iteration <= params.maxIter && allSplittable; iteration++) {
    if (hooks.signal?.aborted) throw abortError();
    const t1 = performance.now();
    const sample = params.subsample < 1 ? subsampleRows(n, params.subsample, rng) : null;
    const order = grower.rows();
    let leaves = 0;
    const tree = grower.grow(sample, growParams, importance, (start, end, value) => {
      if (sample) return;
      // Each row's leaf number, a byte a row (a double a row, scattered over 8 MB at 1M rows,
      // misses the cache); the gradient pass adds the leaves' values in row order.
      leafValue[leaves] = value;
      for (let k = start; k < end; k++) leafOf[order[k]!] = leaves;
      leaves++;
    });
    if (tree.feature.length === 0) break;
    trees.push(tree);
    if (sample) for (let i = 0; i < n; i++) raw[i]! += tree.leafValue[leafOfBinned(tree, bins, n, i, nBins)]!;
    for (let i = 0; i < nv; i++) vraw[i]! += tree.leafValue[leafOfBinned(tree, vbins, nv, i, nBins)]!;
    lossNow = gradients(raw, ty, tw, g, h, sample ? null : { leafOf, leafValue });
    const valLoss = nv > 0 ? logLoss(vraw, vy, vw) : NaN;
    const score = higherIsBetter ? monitored() : valLoss;
    // The first iteration's time includes binning the rows: it is part of what the fit costs.
    const seconds = (performance.now() - t1) / 1000 + (iteration === 1 ? binsStart : 0);
    history.push({ epoch: iteration, loss: lossNow, valLoss, seconds, samplesPerSecond: n / seconds });
    if (nv === 0 || score < best.score - params.tol) best = { score, iteration, importance: importance.slice() };
    hooks.onEpoch?.({
      ...history[history.length - 1]!,
      epochs: params.maxIter,
      stage: hooks.stage ?? 'gbm',
      bestEpoch: best.iteration,
    });
    if (params.patience > 0 && nv > 0 && iteration - best.iteration >= params.patience) {
      stopped = 'early-stopping';
      break;
    }
    if (performance.now() - lastYield > yieldMs) {
      await yieldTask();
      lastYield = performance.now();
    }
  }
  if (hooks.signal?.aborted) throw abortError();
  const kept = trees.slice(0, best.iteration);
  return {
    model: new GbmModel(init, kept, columns, best.importance, mapper),
    result: { history, bestEpoch: best.iteration, stopped },
  };
}

/**
 * Fill g and h from the current log-odds; returns the weighted mean log-loss. With `tree`, first
 * adds the new tree's leaf values to the log-odds (row i's leaf is leafOf[i]).
 */
function gradients(
  raw: Float64Array,
  y: Float32Array,
  w: Float32Array,
  g: Float32Array,
  h: Float32Array,
  tree: { leafOf: Uint8Array | Uint16Array; leafValue: Float64Array } | null,
): number {
  let loss = 0;
  let wSum = 0;
  if (tree) {
    const { leafOf, leafValue } = tree;
    for (let i = 0; i < raw.length; i++) raw[i]! += leafValue[leafOf[i]!]!;
  }
  for (let i = 0; i < raw.length; i++) {
    const z = raw[i]!;
    const e = Math.exp(-Math.abs(z));
    const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    const wi = w[i]!;
    const yi = y[i]!;
    g[i] = wi * (p - yi);
    h[i] = wi * p * (1 - p);
    loss += wi * (Math.max(z, 0) - z * yi + Math.log1p(e));
    wSum += wi;
  }
  return loss / wSum;
}

/** Weighted mean log-loss of log-odds `raw` against 0/1 labels. */
export function logLoss(raw: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>): number {
  let loss = 0;
  let wSum = 0;
  for (let i = 0; i < raw.length; i++) {
    const z = raw[i]!;
    loss += w[i]! * (Math.max(z, 0) - z * y[i]! + Math.log1p(Math.exp(-Math.abs(z))));
    wSum += w[i]!;
  }
  return wSum > 0 ? loss / wSum : NaN;
}

function sigmoid(z: number): number {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** A seeded, ascending sample of round(share * n) of 0..n-1. */
function subsampleRows(n: number, share: number, rng: Random): Int32Array {
  const k = Math.max(1, Math.round(share * n));
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  // Partial Fisher-Yates: the first k entries become a uniform sample.
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.subarray(0, k).sort();
}
