/**
 * The gbm trainer's inner loops (kernel.wat, embedded as kernel-wasm.ts) bound to a fit's arena:
 * histograms, histogram subtraction and the gradient gather, and the histogram threads when the
 * fit has them. histogram.ts says why these loops are WebAssembly.
 */
import { GbmArena, type ArenaSize } from './arena.ts';
import { KERNEL_PLAIN, KERNEL_SHARED } from './kernel-wasm.ts';
import { availableThreads, HistogramThreads, type BuildFn } from './threads.ts';

interface KernelExports {
  build: BuildFn;
  subtract(dst: number, src: number, count: number): void;
  gather(op: number, n: number, g: number, h: number, og: number, oh: number): void;
}

const modules = new Map<boolean, WebAssembly.Module>();

/** The compiled kernel for a shared or a plain memory (compiled once per runtime; 1 KB). */
function kernelModule(shared: boolean): WebAssembly.Module {
  let module = modules.get(shared);
  if (!module) {
    const text = atob(shared ? KERNEL_SHARED : KERNEL_PLAIN);
    module = new WebAssembly.Module(Uint8Array.from(text, (c) => c.charCodeAt(0)));
    modules.set(shared, module);
  }
  return module;
}

/**
 * Below this many histogram updates (rows x features) a histogram is built on the fitting thread
 * alone: waking the helpers costs tens of microseconds, about what 40,000 updates take.
 */
const PARALLEL_MIN_UPDATES = 200_000;

export class GbmKernel {
  private threads: HistogramThreads | null = null;

  private constructor(
    readonly arena: GbmArena,
    private readonly k: KernelExports,
    private readonly module: WebAssembly.Module,
    /** Threads asked for (the fitting one included). */
    private readonly wanted: number,
    private readonly rows: number,
  ) {}

  /**
   * A kernel with its arena for a fit, for `threads` threads building histograms, this one
   * included (0: as many as the runtime has cores). Bin the rows into arena.bins, then call
   * useLayout before the first histogram.
   */
  static async create(size: ArenaSize, threads: number): Promise<GbmKernel> {
    const want = threads === 0 ? await availableThreads() : threads;
    const arena = new GbmArena(size, want > 1);
    const module = kernelModule(arena.shared);
    const k = new WebAssembly.Instance(module, { env: { memory: arena.memory } }).exports as unknown as KernelExports;
    return new GbmKernel(arena, k, module, want, size.rows);
  }

  /**
   * The histogram layout (histogram.ts: the features a pass visits and their first slots), and
   * the histogram threads started on it, where this runtime can run them (threads.ts).
   */
  async useLayout(active: Int32Array, slot: Int32Array): Promise<void> {
    this.arena.setLayout(active, slot);
    this.threads?.close();
    this.threads = this.wanted > 1 ? await HistogramThreads.start(this.arena, this.module, this.wanted) : null;
  }

  /** Threads that build histograms, this one included. */
  get threadCount(): number {
    return this.threads?.count ?? 1;
  }

  /**
   * Fill `hist` (an arena histogram) from the rows order[start..end) with the gradients `g`, `h`
   * (arena arrays; their k-th entry belongs to the k-th of those rows).
   */
  histogram(hist: Float64Array, start: number, end: number, g: Float32Array, h: Float32Array): void {
    hist.fill(0);
    const n = end - start;
    const { arena } = this;
    const op = arena.order.byteOffset + start * 4;
    const bins = arena.bins.byteOffset;
    if (this.threads && n * arena.active.length >= PARALLEL_MIN_UPDATES) {
      this.threads.build(this.k.build, hist.byteOffset, bins, this.rows, op, n, g.byteOffset, h.byteOffset);
      return;
    }
    const { active, slot } = arena;
    this.k.build(
      hist.byteOffset,
      bins,
      this.rows,
      active.byteOffset,
      slot.byteOffset,
      0,
      active.length,
      op,
      n,
      g.byteOffset,
      h.byteOffset,
    );
  }

  /** dst -= src, slot by slot (both arena histograms). */
  subtract(dst: Float64Array, src: Float64Array): void {
    this.k.subtract(dst.byteOffset, src.byteOffset, dst.length);
  }

  /** og/oh[k] = g/h[order[start + k]] for the rows order[start..end). */
  gather(start: number, end: number): void {
    const { order, g, h, og, oh } = this.arena;
    this.k.gather(order.byteOffset + start * 4, end - start, g.byteOffset, h.byteOffset, og.byteOffset, oh.byteOffset);
  }

  /** Stop the histogram threads; the arena is freed with the kernel. */
  close(): void {
    this.threads?.close();
    this.threads = null;
  }
}
