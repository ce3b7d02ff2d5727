/**
 * The epoch loop every TF.js strategy trains with: seeded shuffles, batches gathered straight
 * from the row-major matrix (with their transpose, see mlp.ts), early stopping on the
 * validation loss with the best weights restored, a progress callback per epoch and
 * cancellation through an AbortSignal.
 *
 * The loop hands the event loop a turn every `yieldMs`: in a Web Worker that is what lets a
 * Cancel message arrive (and the signal flip) while training runs; in Node it costs about a
 * millisecond per turn.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Mlp, MlpBatch } from './mlp.ts';
import { Random } from './random.ts';
import { yieldTask } from '../util/yield-task.ts';

export interface EpochLog {
  epoch: number;
  loss: number;
  /** NaN when there is no validation set. */
  valLoss: number;
  seconds: number;
  samplesPerSecond: number;
}

export interface TrainProgress extends EpochLog {
  epochs: number;
  /** Which model is training, e.g. "proxy" or "self-training round 2". */
  stage: string;
  bestEpoch: number;
}

export interface LoopHooks {
  onEpoch?: (p: TrainProgress) => void;
  signal?: AbortSignal;
  /** Shown in progress, e.g. the strategy's name. */
  stage?: string;
}

/** The training hyperparameters every network shares (the dense classifier, the autoencoder). */
export interface NetworkTrainingParams {
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  /** Epochs without a validation-loss improvement of at least `minDelta` before stopping. */
  patience: number;
  minDelta: number;
}

export interface LoopOptions {
  epochs: number;
  batchSize: number;
  /** Epochs without a validation-loss improvement of at least `minDelta` before stopping. */
  patience: number;
  minDelta: number;
  seed: number;
  /** How often to give the event loop a turn, in milliseconds. */
  yieldMs?: number;
}

/**
 * The rows to learn from. Targets and weights are indexed by matrix row, like `x`. Without
 * `target` the network learns to reproduce its input (the autoencoder).
 */
export interface LoopData {
  x: Float32Array;
  columns: number;
  rows: Int32Array;
  target?: Float32Array;
  weight?: Float32Array;
}

export interface LoopResult {
  history: EpochLog[];
  bestEpoch: number;
  stopped: 'epochs' | 'early-stopping';
}

export function abortError(): Error {
  return new DOMException('training was cancelled', 'AbortError');
}

/** Rows of `data` copied into contiguous arrays (for validation, scored in one go). */
export function gatherRows(data: LoopData): { x: Float32Array; target: Float32Array; weight?: Float32Array } {
  const { columns, rows } = data;
  const x = new Float32Array(rows.length * columns);
  for (let i = 0; i < rows.length; i++)
    x.set(data.x.subarray(rows[i]! * columns, (rows[i]! + 1) * columns), i * columns);
  const target = data.target ? Float32Array.from(rows, (r) => data.target![r]!) : x;
  const weight = data.weight ? Float32Array.from(rows, (r) => data.weight![r]!) : undefined;
  return { x, target, weight };
}

export async function trainLoop(
  model: Mlp,
  train: LoopData,
  validation: LoopData | undefined,
  opts: LoopOptions,
  hooks: LoopHooks = {},
): Promise<LoopResult> {
  if (train.rows.length === 0) throw new Error('no rows to train on');
  const { columns } = train;
  const rng = new Random(opts.seed);
  const batchSize = Math.max(1, Math.min(opts.batchSize, train.rows.length));
  const autoencoder = train.target === undefined;
  const batch: MlpBatch = {
    x: new Float32Array(batchSize * columns),
    xT: new Float32Array(batchSize * columns),
    target: new Float32Array(batchSize * (autoencoder ? columns : 1)),
    weight: train.weight ? new Float32Array(batchSize) : undefined,
    size: 0,
  };
  if (autoencoder) batch.target = batch.x;
  const val = validation && validation.rows.length > 0 ? gatherRows(validation) : undefined;
  const order = Int32Array.from(train.rows);
  const yieldMs = opts.yieldMs ?? 50;
  const history: EpochLog[] = [];
  let best = { loss: Infinity, epoch: 0, weights: model.snapshot() };
  let stopped: LoopResult['stopped'] = 'epochs';
  let lastYield = performance.now();

  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const t0 = performance.now();
    rng.shuffle(order);
    const lossSum = new LossSum();
    for (let start = 0; start < order.length; start += batchSize) {
      if (hooks.signal?.aborted) throw abortError();
      const size = Math.min(batchSize, order.length - start);
      fillBatch(batch, train, order, start, size);
      lossSum.add(model.trainBatch(batch));
      if (performance.now() - lastYield > yieldMs) {
        await yieldTask();
        lastYield = performance.now();
      }
    }
    const loss = lossSum.read() / Math.ceil(order.length / batchSize);
    const valLoss = val ? model.loss(val.x, val.target, validation!.rows.length, val.weight) : NaN;
    const seconds = (performance.now() - t0) / 1000;
    history.push({ epoch, loss, valLoss, seconds, samplesPerSecond: order.length / seconds });

    const monitored = val ? valLoss : loss;
    if (monitored < best.loss - opts.minDelta) best = { loss: monitored, epoch, weights: model.snapshot() };
    hooks.onEpoch?.({
      ...history[history.length - 1]!,
      epochs: opts.epochs,
      stage: hooks.stage ?? 'training',
      bestEpoch: best.epoch,
    });
    if (epoch - best.epoch >= opts.patience) {
      stopped = 'early-stopping';
      break;
    }
  }
  if (best.epoch > 0 && best.epoch !== history.length) model.restore(best.weights);
  return { history, bestEpoch: best.epoch, stopped };
}

/**
 * The sum of an epoch's batch losses, each weighted equally (the last, partial batch counts as
 * one). Tensor losses are summed on the backend and read once per epoch: reading each one would
 * wait for every kernel to finish and stall the pipeline. Numbers (losses computed in
 * JavaScript) are added as they come.
 */
class LossSum {
  private host = 0;
  private pending: tf.Scalar[] = [];
  private total: tf.Tensor | undefined;

  add(loss: tf.Scalar | number): void {
    if (typeof loss === 'number') this.host += loss;
    else if (this.pending.push(loss) >= 16) this.fold();
  }

  /** The sum so far; frees the backend's tensors. */
  read(): number {
    this.fold();
    const backend = this.total ? this.total.dataSync()[0]! : 0;
    this.total?.dispose();
    this.total = undefined;
    return this.host + backend;
  }

  private fold(): void {
    for (const l of this.pending) {
      const next = this.total ? this.total.add(l) : l.clone();
      this.total?.dispose();
      l.dispose();
      this.total = next;
    }
    this.pending = [];
  }
}

/** Gather rows order[start..start+size) into the batch buffers, and the transpose of x. */
function fillBatch(batch: MlpBatch, data: LoopData, order: Int32Array, start: number, size: number): void {
  const { columns, x } = data;
  const bx = batch.x;
  const bxT = batch.xT;
  for (let i = 0; i < size; i++) {
    const row = order[start + i]!;
    const from = row * columns;
    const to = i * columns;
    for (let c = 0; c < columns; c++) {
      const v = x[from + c]!;
      bx[to + c] = v;
      bxT[c * size + i] = v;
    }
    if (data.target) batch.target[i] = data.target[row]!;
    if (data.weight) batch.weight![i] = data.weight[row]!;
  }
  batch.size = size;
}
