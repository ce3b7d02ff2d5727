/**
 * The one block of WebAssembly memory a gbm fit works in: the binned training rows, the row order
 * the grower partitions, the gradients, the histograms, and the words the histogram threads
 * synchronise on. The kernel (kernel.wat) reads and writes it by byte offset; TypeScript reads and
 * writes the same bytes through the typed-array views below, so nothing is copied between the two.
 *
 * Its size is fixed when the fit starts (everything a fit needs is known then), so no view ever
 * goes stale from the memory growing. It is shared (a SharedArrayBuffer) where the runtime allows:
 * Node always, a browser page only when cross-origin isolated; then other threads can build
 * histograms in it too (threads.ts).
 */
import { STRIDE } from './histogram.ts';

export interface ArenaSize {
  /** Training rows. */
  rows: number;
  /** Feature columns. */
  features: number;
  /** Histogram slots per histogram (histogramOffsets' last entry). */
  slots: number;
  /** Histograms held at once, at most. */
  histograms: number;
}

/** Int32 words of the control block: threads.ts gives them their meaning. */
export const CONTROL_WORDS = 64;

const PAGE = 65536;
/** WebAssembly 1.0 addresses 32 bits: 4 GiB (65536 pages) is all one memory can hold. */
const MAX_PAGES = 65536;

export class GbmArena {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  /** Column-major bins, `rows` per column (bins.ts). */
  readonly bins: Uint8Array;
  readonly order: Int32Array;
  /** Gradients and hessians of the training rows, in row order. */
  readonly g: Float32Array;
  readonly h: Float32Array;
  /** The same of a node's rows, in the node's order (gathered). */
  readonly og: Float32Array;
  readonly oh: Float32Array;
  /** The features a histogram pass visits and each one's first slot (histogram.ts layout; setLayout). */
  active: Int32Array;
  slot: Int32Array;
  private readonly activeStore: Int32Array;
  private readonly slotStore: Int32Array;
  readonly control: Int32Array;
  private readonly free: Float64Array[] = [];

  constructor(size: ArenaSize, wantShared: boolean) {
    const { rows, features, slots, histograms } = size;
    const histBytes = slots * STRIDE * 8;
    let bytes = 0;
    // Every region starts on a 64-byte line, so one thread's writes never share a line with another's.
    const region = (length: number) => {
      const at = bytes;
      bytes += Math.ceil(length / 64) * 64;
      return at;
    };
    const at = {
      control: region(CONTROL_WORDS * 4),
      active: region(features * 4),
      slot: region(features * 4),
      order: region(rows * 4),
      g: region(rows * 4),
      h: region(rows * 4),
      og: region(rows * 4),
      oh: region(rows * 4),
      hist: region(histograms * histBytes),
      bins: region(rows * features),
    };
    const pages = Math.ceil(bytes / PAGE);
    if (pages > MAX_PAGES) {
      throw new Error(
        `gbm: ${rows.toLocaleString('en-US')} training rows of ${features} features need ` +
          `${(bytes / 2 ** 30).toFixed(1)} GiB of working memory; WebAssembly holds at most 4 GiB: ` +
          `train on fewer rows (a sample) or fewer features`,
      );
    }
    this.shared = wantShared && sharedMemoryAvailable();
    this.memory = new WebAssembly.Memory(
      this.shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages, maximum: pages },
    );
    const buffer = this.memory.buffer;
    this.control = new Int32Array(buffer, at.control, CONTROL_WORDS);
    this.activeStore = new Int32Array(buffer, at.active, features);
    this.slotStore = new Int32Array(buffer, at.slot, features);
    this.active = this.activeStore.subarray(0, 0);
    this.slot = this.slotStore.subarray(0, 0);
    this.order = new Int32Array(buffer, at.order, rows);
    this.g = new Float32Array(buffer, at.g, rows);
    this.h = new Float32Array(buffer, at.h, rows);
    this.og = new Float32Array(buffer, at.og, rows);
    this.oh = new Float32Array(buffer, at.oh, rows);
    this.bins = new Uint8Array(buffer, at.bins, rows * features);
    for (let i = histograms - 1; i >= 0; i--) {
      this.free.push(new Float64Array(buffer, at.hist + i * histBytes, slots * STRIDE));
    }
  }

  /** The histogram layout's active features and first slots (known once the rows are binned). */
  setLayout(active: Int32Array, slot: Int32Array): void {
    this.activeStore.set(active);
    this.slotStore.set(slot);
    this.active = this.activeStore.subarray(0, active.length);
    this.slot = this.slotStore.subarray(0, slot.length);
  }

  /** A histogram from the pool (its contents are whatever it last held). */
  takeHistogram(): Float64Array {
    const hist = this.free.pop();
    // The pool is sized for the most histograms a tree can hold at once (ArenaSize.histograms).
    if (!hist) throw new Error('gbm: internal error: more histograms held than the arena was sized for');
    return hist;
  }

  giveHistogram(hist: Float64Array): void {
    this.free.push(hist);
  }
}

/** Whether a shared WebAssembly memory can be made here (SharedArrayBuffer present and allowed). */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  // A browser page that is not cross-origin isolated may still have the constructor (older
  // engines); the memory could then not be sent to a worker.
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}
