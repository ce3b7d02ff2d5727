/**
 * Histogram threads: helpers that build their share of a node's histogram in the fit's shared
 * arena while the fitting thread builds the rest. Each takes a fixed range of the active features
 * for the whole fit, so every feature's histogram is summed by one thread in the same row order
 * as without helpers: the trees are the same to the last bit, with any number of threads.
 *
 * The fitting thread and its helpers meet on words of the arena's control block with
 * Atomics.wait/notify, not messages: a tree asks for about 30 histograms, a fit for thousands, and
 * a message round trip costs more than a small histogram. Helpers are plain classic workers (a Web
 * Worker from a Blob in a browser, a worker_threads Worker in Node) running WORKER_BODY, the same
 * text in both, so no bundler has to find a worker file.
 *
 * Control words: SEQ counts jobs (a helper wakes when it changes), STOP ends the helpers, HIST ..
 * HP are the job's kernel arguments; helper i's feature range is at FIRST + 3i, FIRST + 3i + 1, and
 * it writes the job number it finished at FIRST + 3i + 2.
 */
import type { GbmArena } from './arena.ts';
import { CONTROL_WORDS } from './arena.ts';

const SEQ = 0;
const STOP = 1;
const HIST = 2;
const OP = 3;
const N = 4;
const GP = 5;
const HP = 6;
const FIRST = 8;

/** A share takes milliseconds: a minute without one means the helper is gone. */
const HELPER_TIMEOUT_MS = 60_000;

/** The most helpers the control block has words for. */
export const MAX_HELPERS = Math.floor((CONTROL_WORDS - FIRST) / 3);

/** What a helper receives once: the kernel, the arena, and the fit's fixed kernel arguments. */
interface HelperStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
  bins: number;
  rows: number;
  active: number;
  slot: number;
  index: number;
}

/**
 * The helper's loop, as source text (a function's toString() would carry whatever names a
 * transpiler adds). `serve(start, post)` instantiates the kernel on the shared memory, says
 * 'ready', then builds each job's share until STOP.
 */
const WORKER_BODY = `
function serve(s, post) {
  const k = new WebAssembly.Instance(s.module, { env: { memory: s.memory } }).exports;
  const ctl = new Int32Array(s.memory.buffer, s.control, ${CONTROL_WORDS});
  const base = ${FIRST} + 3 * s.index;
  let seen = Atomics.load(ctl, ${SEQ});
  post('ready');
  for (;;) {
    Atomics.wait(ctl, ${SEQ}, seen);
    const seq = Atomics.load(ctl, ${SEQ});
    if (seq === seen) continue;
    seen = seq;
    if (Atomics.load(ctl, ${STOP}) !== 0) return;
    k.build(ctl[${HIST}], s.bins, s.rows, s.active, s.slot, ctl[base], ctl[base + 1],
      ctl[${OP}], ctl[${N}], ctl[${GP}], ctl[${HP}]);
    Atomics.store(ctl, base + 2, seq);
    Atomics.notify(ctl, base + 2);
  }
}
`;

const BROWSER_WORKER = `${WORKER_BODY}
self.onmessage = (e) => serve(e.data, (m) => self.postMessage(m));
`;

const NODE_WORKER = `${WORKER_BODY}
const { parentPort, workerData } = require('node:worker_threads');
serve(workerData, (m) => parentPort.postMessage(m));
`;

interface Helper {
  terminate(): void;
}

/** The kernel's build function, as the fitting thread calls it for its own share. */
export type BuildFn = (
  hist: number,
  bins: number,
  rows: number,
  active: number,
  slot: number,
  from: number,
  to: number,
  op: number,
  n: number,
  gp: number,
  hp: number,
) => void;

export class HistogramThreads {
  /** How long build() waits for a helper's share before giving the helper up. */
  timeoutMs = HELPER_TIMEOUT_MS;

  private constructor(
    private readonly arena: GbmArena,
    private readonly helpers: Helper[],
    /** The fitting thread's own range: active features 0 .. own - 1. */
    private readonly own: number,
  ) {}

  /** Threads in all, the fitting thread included. */
  get count(): number {
    return this.helpers.length + 1;
  }

  /**
   * Start `threads - 1` helpers on the arena (shared), splitting its active features evenly in
   * runs of four (the kernel's unit). Resolves to null where helpers cannot run here: no shared
   * memory, no worker API, a thread that may not block (a browser page's main thread), or fewer
   * than eight active features.
   */
  static async start(arena: GbmArena, module: WebAssembly.Module, threads: number): Promise<HistogramThreads | null> {
    const active = arena.active.length;
    const count = Math.min(threads, MAX_HELPERS + 1, Math.floor(active / 4));
    if (count < 2 || !arena.shared || !mayBlock()) return null;
    const per = Math.ceil(active / count / 4) * 4;
    const bounds = Array.from({ length: count + 1 }, (_, i) => Math.min(active, i * per));
    const ctl = arena.control;
    ctl.fill(0);
    const helpers: Helper[] = [];
    try {
      for (let i = 0; i < count - 1; i++) {
        ctl[FIRST + 3 * i] = bounds[i + 1]!;
        ctl[FIRST + 3 * i + 1] = bounds[i + 2]!;
        const start: HelperStart = {
          module,
          memory: arena.memory,
          control: ctl.byteOffset,
          bins: arena.bins.byteOffset,
          rows: arena.order.length,
          active: arena.active.byteOffset,
          slot: arena.slot.byteOffset,
          index: i,
        };
        const helper = await spawn(start);
        if (!helper) break;
        helpers.push(helper);
      }
    } catch (e) {
      for (const h of helpers) h.terminate();
      throw e;
    }
    if (helpers.length === 0) return null;
    if (helpers.length < count - 1) {
      // Fewer helpers started than asked: the last one's range ends where the features do.
      ctl[FIRST + 3 * (helpers.length - 1) + 1] = active;
    }
    return new HistogramThreads(arena, helpers, bounds[1]!);
  }

  /**
   * Build one histogram with every thread: the helpers their ranges, this thread the first. The
   * arguments are the kernel's (byte offsets); returns when all shares are in.
   */
  build(build: BuildFn, hist: number, bins: number, rows: number, op: number, n: number, gp: number, hp: number): void {
    const { control: ctl, active, slot } = this.arena;
    ctl[HIST] = hist;
    ctl[OP] = op;
    ctl[N] = n;
    ctl[GP] = gp;
    ctl[HP] = hp;
    const seq = Atomics.add(ctl, SEQ, 1) + 1;
    Atomics.notify(ctl, SEQ);
    build(hist, bins, rows, active.byteOffset, slot.byteOffset, 0, this.own, op, n, gp, hp);
    for (let i = 0; i < this.helpers.length; i++) {
      const at = FIRST + 3 * i + 2;
      for (let done = Atomics.load(ctl, at); done !== seq; done = Atomics.load(ctl, at)) {
        // A share takes milliseconds; a helper that has not answered in a minute has died (out of
        // memory, killed) and never will: fail the fit rather than wait forever.
        if (Atomics.wait(ctl, at, done, this.timeoutMs) === 'timed-out') {
          throw new Error(`gbm: histogram thread ${i + 1} stopped answering; train again, or set gbm.threads to 1`);
        }
      }
    }
  }

  close(): void {
    Atomics.store(this.arena.control, STOP, 1);
    Atomics.add(this.arena.control, SEQ, 1);
    Atomics.notify(this.arena.control, SEQ);
    for (const h of this.helpers) h.terminate();
  }
}

/** How many threads this runtime has cores for (the fitting thread included). */
export async function availableThreads(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency) return nav.hardwareConcurrency;
  const os = await nodeModule<{ availableParallelism(): number }>('node:os');
  return os ? os.availableParallelism() : 1;
}

/** Whether this thread may block in Atomics.wait (a browser page's main thread may not). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

async function spawn(start: HelperStart): Promise<Helper | null> {
  if (typeof Worker === 'function') {
    const url = URL.createObjectURL(new Blob([BROWSER_WORKER], { type: 'text/javascript' }));
    const worker = new Worker(url, { name: 'label-lab-gbm-histograms' });
    try {
      await new Promise<void>((resolve, reject) => {
        worker.onmessage = () => resolve();
        worker.onerror = (e) => reject(new Error(`gbm: a histogram thread failed to start: ${e.message}`));
        worker.postMessage(start);
      });
    } catch (e) {
      worker.terminate();
      throw e;
    } finally {
      URL.revokeObjectURL(url);
    }
    return { terminate: () => worker.terminate() };
  }
  const threads = await nodeModule<typeof import('node:worker_threads')>('node:worker_threads');
  if (!threads) return null;
  const worker = new threads.Worker(NODE_WORKER, { eval: true, workerData: start });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', (e) => reject(new Error(`gbm: a histogram thread failed to start: ${e.message}`)));
    });
  } catch (e) {
    void worker.terminate();
    throw e;
  }
  // A helper blocked in Atomics.wait must not keep the process alive.
  worker.unref();
  return { terminate: () => void worker.terminate() };
}

/**
 * A Node built-in, or null outside Node. The specifier is a variable so that a browser bundle
 * neither resolves nor warns about it; this branch never runs there.
 */
async function nodeModule<T>(specifier: string): Promise<T | null> {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!process?.versions?.node) return null;
  return (await import(/* @vite-ignore */ specifier)) as T;
}
