/**
 * The gbm trainer's WebAssembly kernel and its histogram threads (src/ml/gbm/kernel.wat,
 * kernel.ts, arena.ts, threads.ts): the embedded binaries are the ones kernel.wat assembles to;
 * its histograms, subtraction and gather equal a plain one-feature-at-a-time reference to the
 * last bit; and a fit grows the same trees on one thread as on two or three, with the helper
 * threads really started.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { compileKernel, KERNEL_TS, kernelModuleText } from '../tools/wasm/gbm-kernel.ts';
import { syntheticGbmData } from '../bench/gbm-data.ts';
import { GbmArena } from '../src/ml/gbm/arena.ts';
import { DEFAULT_GBM, fitGbm, type GbmData } from '../src/ml/gbm/booster.ts';
import { histogramLayout, histogramOffsets, STRIDE, type HistogramLayout } from '../src/ml/gbm/histogram.ts';
import { GbmKernel } from '../src/ml/gbm/kernel.ts';
import { Random } from '../src/ml/random.ts';

/** Histogram of rows order[start..end) one feature at a time, in row order: what the kernel must equal. */
function referenceHistogram(
  kernel: GbmKernel,
  layout: HistogramLayout,
  start: number,
  end: number,
  g: Float32Array,
  h: Float32Array,
): Float64Array {
  const { bins, order } = kernel.arena;
  const rows = order.length;
  const { active, start: slot, length } = layout;
  const hist = new Float64Array(length);
  for (let a = 0; a < active.length; a++) {
    for (let k = 0; k < end - start; k++) {
      const s = slot[a]! + bins[active[a]! * rows + order[start + k]!]! * STRIDE;
      hist[s]! += g[k]!;
      hist[s + 1]! += h[k]!;
      hist[s + 2]! += 1;
    }
  }
  return hist;
}

/** A kernel on random bins: `features` columns, some with few bins (long runs on one slot), some skipped. */
async function randomKernel(rows: number, features: number, threads: number, seed = 1) {
  const rng = new Random(seed);
  const nBins = Int32Array.from({ length: features }, (_, j) => (j % 5 === 0 ? 2 : 1 + rng.int(255)));
  const offsets = histogramOffsets(nBins);
  const skip = Uint8Array.from({ length: features }, (_, j) => (j % 7 === 3 ? 1 : 0));
  const layout = histogramLayout(offsets, skip);
  const kernel = await GbmKernel.create({ rows, features, slots: offsets[features]!, histograms: 3 }, threads);
  const { arena } = kernel;
  for (let j = 0; j < features; j++) {
    for (let r = 0; r < rows; r++) arena.bins[j * rows + r] = rng.int(nBins[j]! + 1);
  }
  for (let r = 0; r < rows; r++) {
    arena.g[r] = rng.uniform(-1, 1);
    arena.h[r] = rng.uniform(0, 0.25);
  }
  await kernel.useLayout(layout.active, layout.start);
  return { kernel, layout, rng };
}

const kernels: GbmKernel[] = [];
afterEach(() => {
  for (const k of kernels.splice(0)) k.close();
});

describe('gbm kernel', () => {
  it('embeds exactly what kernel.wat assembles to (run `npm run build:wasm` after editing it)', async () => {
    expect(readFileSync(KERNEL_TS, 'utf8')).toBe(kernelModuleText(await compileKernel()));
  });

  it('builds histograms equal to the one-feature-at-a-time reference, on all rows and on a node of them', async () => {
    const rows = 3_001;
    // 23 features, 3 skipped: 20 active, five runs of four; 22 would leave a remainder of two.
    for (const features of [23, 22]) {
      const { kernel, layout, rng } = await randomKernel(rows, features, 1);
      kernels.push(kernel);
      const { arena } = kernel;
      for (let i = 0; i < rows; i++) arena.order[i] = i;
      const hist = arena.takeHistogram();
      kernel.histogram(hist, 0, rows, arena.g, arena.h);
      const want = referenceHistogram(kernel, layout, 0, rows, arena.g, arena.h);
      expect(Array.from(hist)).toEqual(Array.from(want));

      // A node: an ascending subset of the rows at an offset of the order, its gradients gathered.
      let m = 0;
      for (let r = 0; r < rows; r++) if (rng.uniform(0, 1) < 0.3) arena.order[100 + m++] = r;
      kernel.gather(100, 100 + m);
      const og = arena.og.slice(0, m);
      expect(Array.from(og)).toEqual(Array.from(arena.order.subarray(100, 100 + m), (r) => arena.g[r]!));
      expect(Array.from(arena.oh.subarray(0, m))).toEqual(
        Array.from(arena.order.subarray(100, 100 + m), (r) => arena.h[r]!),
      );
      const child = arena.takeHistogram();
      kernel.histogram(child, 100, 100 + m, arena.og, arena.oh);
      const wantChild = referenceHistogram(kernel, layout, 100, 100 + m, arena.og, arena.oh);
      expect(Array.from(child)).toEqual(Array.from(wantChild));

      const parent = Float64Array.from(hist);
      kernel.subtract(hist, child);
      expect(Array.from(hist)).toEqual(Array.from(parent, (v, i) => v - child[i]!));
    }
  });

  it('subtracts an odd number of doubles, the last one included', async () => {
    const arena = new GbmArena({ rows: 1, features: 1, slots: 1, histograms: 2 }, false);
    expect(arena.takeHistogram().length % 2).toBe(1);
    const { kernel } = await randomKernel(10, 1, 1);
    kernels.push(kernel);
    const a = kernel.arena.takeHistogram();
    const b = kernel.arena.takeHistogram();
    a.forEach((_, i) => (a[i] = i * 1.5));
    b.forEach((_, i) => (b[i] = i * 0.25));
    kernel.subtract(a, b);
    expect(Array.from(a)).toEqual(Array.from(a, (_, i) => i * 1.5 - i * 0.25));
  });

  it('builds the same histograms with helper threads as without', async () => {
    const rows = 20_000; // 20 active features x 20,000 rows: above the size helpers are woken for
    const one = await randomKernel(rows, 23, 1, 5);
    const three = await randomKernel(rows, 23, 3, 5);
    kernels.push(one.kernel, three.kernel);
    expect(one.kernel.threadCount).toBe(1);
    expect(three.kernel.threadCount).toBe(3);
    for (const { kernel } of [one, three]) for (let i = 0; i < rows; i++) kernel.arena.order[i] = (i * 7) % rows;
    const a = one.kernel.arena.takeHistogram();
    const b = three.kernel.arena.takeHistogram();
    for (let round = 0; round < 3; round++) {
      one.kernel.histogram(a, 0, rows, one.kernel.arena.g, one.kernel.arena.h);
      three.kernel.histogram(b, 0, rows, three.kernel.arena.g, three.kernel.arena.h);
      expect(Array.from(b)).toEqual(Array.from(a));
    }
  });

  it('fails, naming the thread, when a helper dies instead of waiting for it forever', async () => {
    const { kernel } = await randomKernel(20_000, 23, 2, 6);
    kernels.push(kernel);
    // The pool's own fields: a helper to kill, and a wait short enough for a test.
    const threads = (kernel as unknown as { threads: { timeoutMs: number; helpers: { terminate(): void }[] } }).threads;
    threads.timeoutMs = 300;
    threads.helpers[0]!.terminate();
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 20_000; i++) kernel.arena.order[i] = i;
    const hist = kernel.arena.takeHistogram();
    expect(() => kernel.histogram(hist, 0, 20_000, kernel.arena.g, kernel.arena.h)).toThrow(
      /gbm: histogram thread 1 stopped answering; train again, or set gbm.threads to 1/,
    );
  });

  it('refuses a fit that needs more than WebAssembly’s 4 GiB, saying how much and what to do', () => {
    expect(() => new GbmArena({ rows: 100_000_000, features: 50, slots: 50 * 256, histograms: 32 }, false)).toThrow(
      /100,000,000 training rows of 50 features need 6\.5 GiB of working memory; WebAssembly holds at most 4 GiB: train on fewer rows/,
    );
  });

  it('stays on one thread where shared memory is not allowed (a page that is not cross-origin isolated)', async () => {
    const g = globalThis as { crossOriginIsolated?: boolean };
    g.crossOriginIsolated = false;
    try {
      const { kernel } = await randomKernel(100, 12, 2);
      kernels.push(kernel);
      expect(kernel.arena.shared).toBe(false);
      expect(kernel.threadCount).toBe(1);
    } finally {
      delete g.crossOriginIsolated;
    }
  });
});

describe('gbm fit on threads', () => {
  const data = syntheticGbmData(30_000, 4);
  const rows = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);
  const base: GbmData = {
    x: data.x,
    columns: data.columns,
    train: rows(0, 25_000),
    validation: rows(25_000, 30_000),
    y: data.y,
    w: data.w,
  };

  it('grows the same trees on one, two and three threads', async () => {
    const params = { ...DEFAULT_GBM, maxIter: 15, patience: 0 };
    const fits = [];
    for (const threads of [1, 2, 3]) fits.push(await fitGbm(base, { ...params, threads }, 1));
    expect(fits.map((f) => f.threads)).toEqual([1, 2, 3]);
    const want = fits[0]!.model.predictRaw(data.x, 30_000);
    for (const f of fits.slice(1)) expect(f.model.predictRaw(data.x, 30_000)).toEqual(want);
    expect(fits[1]!.result.history.map((h) => h.loss)).toEqual(fits[0]!.result.history.map((h) => h.loss));
  });
});
