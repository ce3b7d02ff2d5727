/**
 * How many threads TF.js's threaded wasm build trains on, and how to make it use every core.
 *
 * TF.js 4.22's wasm backend (tfjs-backend-wasm/src/cc/backend.cc) sizes XNNPACK's thread pool
 * once, when the backend starts, as
 *
 *   min(max(requested, 1), 8, emscripten_num_logical_cores() / 2)
 *
 * where `requested` is setThreadsCount's number (default: the same halved count) and
 * emscripten_num_logical_cores() is navigator.hardwareConcurrency. The halving assumes two
 * hyperthreads per core; on a machine with 2 logical cores it leaves a pool of 1 whatever
 * setThreadsCount asked, so the threaded build ran on one thread although its 8 pthread workers
 * had all started. The cap is read in a static constructor of the wasm module (while
 * `tf.setBackend('wasm')` instantiates it), so the backend's start is the only moment that sees
 * the number: `withLogicalCores` makes navigator.hardwareConcurrency report twice the wanted
 * thread count for that moment and then restores it, and setThreadsCount asks for the count.
 */

/** The most threads the build can run: it pre-creates 8 pthread workers. */
export const TFJS_WASM_MAX_THREADS = 8;

/** The pool size TF.js 4.22's wasm backend picks (the formula above, integer division). */
export function tfjsWasmPoolSize(requested: number, logicalCores: number): number {
  const halved = Math.floor(logicalCores / 2);
  const count = requested < 0 ? halved : requested;
  return Math.min(Math.max(count, 1), TFJS_WASM_MAX_THREADS, halved);
}

/** The logical core count the backend must see at start to size its pool to `threads`. */
export function logicalCoresFor(threads: number): number {
  return 2 * threads;
}

/**
 * Threads to ask for: `requested` if given, else every core the engine reports; at least 1, at
 * most what the build can run.
 */
export function wantedWasmThreads(hardwareConcurrency: number | undefined, requested?: number): number {
  const n = requested ?? hardwareConcurrency ?? 1;
  if (!Number.isFinite(n)) return 1;
  return Math.min(Math.max(Math.floor(n), 1), TFJS_WASM_MAX_THREADS);
}

/**
 * The pool size to keep from a probe of each: the fastest, and on a tie the fewest threads (they
 * cost a core each that other work could use).
 */
export function fasterPool(rates: readonly { threads: number; samplesPerSecond: number }[]): number {
  let best = rates[0];
  for (const r of rates) {
    if (!best || r.samplesPerSecond > best.samplesPerSecond) best = r;
    else if (r.samplesPerSecond === best.samplesPerSecond && r.threads < best.threads) best = r;
  }
  return best?.threads ?? 1;
}

/**
 * Run `fn` while `nav.hardwareConcurrency` reads `cores`, then put back what was there (the
 * engine's getter on the prototype, or an own property). Where the property cannot be shadowed,
 * `fn` runs with the real count.
 */
export async function withLogicalCores<T>(nav: object, cores: number, fn: () => Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  try {
    Object.defineProperty(nav, 'hardwareConcurrency', { value: cores, configurable: true });
  } catch {
    return fn();
  }
  try {
    return await fn();
  } finally {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/** The threaded build's Emscripten glue, as its pthread workers must load it. */
export const PTHREAD_SCRIPT = 'tfjs-backend-wasm-threaded-simd.js';

/**
 * The pthread workers' main script. TF.js hands each pthread worker the glue as a Blob of
 * `factory.toString()`, the factory as bundled into the page's own code. A minifier renames the
 * factory's free variables (its `_scriptDir` becomes `e`, and `typeof _scriptDir` checks are
 * dropped), so in a production build each pthread worker throws "e is not defined" on load and
 * the backend never becomes ready. The `load` message that carries the Blob is rewritten here to
 * carry the URL of the glue file as the package ships it (served by the app), which Emscripten's
 * worker then loads with importScripts.
 */
export function withPthreadScript(url: string): (message: unknown) => unknown {
  return (message) => {
    if (typeof message !== 'object' || message === null) return message;
    const m = message as { cmd?: unknown; urlOrBlob?: unknown; wasmModule?: unknown };
    if (m.cmd !== 'load' || !('urlOrBlob' in m) || !('wasmModule' in m)) return message;
    return { ...m, urlOrBlob: url };
  };
}

interface WorkerScope {
  Worker?: typeof Worker;
}

/**
 * Run `fn` (the wasm backend's start, which creates and loads the build's 8 pthread workers) with
 * `scope.Worker` replaced by a subclass whose messages go through `rewrite`; the original
 * constructor is back afterwards. Workers created meanwhile keep the rewrite.
 */
export async function withWorkerMessages<T>(
  scope: WorkerScope,
  rewrite: (message: unknown) => unknown,
  fn: () => Promise<T>,
): Promise<T> {
  const Base = scope.Worker;
  if (typeof Base !== 'function') return fn();
  class RewritingWorker extends Base {
    override postMessage(message: unknown, options?: Transferable[] | StructuredSerializeOptions): void {
      if (Array.isArray(options)) super.postMessage(rewrite(message), options);
      else super.postMessage(rewrite(message), options);
    }
  }
  scope.Worker = RewritingWorker;
  try {
    return await fn();
  } finally {
    scope.Worker = Base;
  }
}
