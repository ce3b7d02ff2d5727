/**
 * Choosing and starting the TF.js backend. Runtime-neutral: the Node entry (backend-node.ts)
 * passes the folder of the .wasm files on disk, a browser entry passes the URL it serves them
 * from; both then call `initBackend`.
 *
 * Why not simply "the first that starts": on these machines wasm trains about 20x faster than
 * cpu, and WebGL in a headless browser runs on a software rasteriser and is slower than wasm
 * (shared/stack-notes.md). With `measure`, every candidate that starts trains the same small
 * network for a moment and the fastest wins; the probe takes well under a second each.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Mlp } from './mlp.ts';
import { Random } from './random.ts';
import {
  logicalCoresFor,
  PTHREAD_SCRIPT,
  fasterPool,
  wantedWasmThreads,
  withLogicalCores,
  withPthreadScript,
  withWorkerMessages,
} from './wasm-threads.ts';

export const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendOptions {
  /** 'auto' tries `candidates` in order; a name uses that backend or fails. */
  preferred?: 'auto' | BackendName;
  /** Order of preference for 'auto'. Default: webgl, wasm, cpu. */
  candidates?: readonly BackendName[];
  /**
   * Where the wasm backend's .wasm files are: a folder path (Node) or URL prefix, or a map from
   * each file's name to its URL (a bundler gives each file its own hashed URL). The map may also
   * name the threaded build's glue script, which its pthread workers then load (wasm-threads.ts).
   */
  wasmPath?: string | Partial<Record<WasmFile | typeof PTHREAD_SCRIPT, string>>;
  /** Probe every candidate that starts and keep the fastest (see the file comment). */
  measure?: boolean;
  /**
   * Threads for the threaded wasm build (a cross-origin isolated page), at most 8. Default:
   * measured, every core (navigator.hardwareConcurrency) against one, the faster kept; on a
   * machine whose cores are busy with other work the extra threads wait for a core at every
   * kernel and one thread can train twice as fast. Fixed when the wasm backend first starts.
   */
  threads?: number;
}

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  error?: string;
  /** Training samples per second in the probe, when measured. */
  samplesPerSecond?: number;
}

export interface BackendChoice {
  name: BackendName;
  attempts: BackendAttempt[];
  /** One line for the UI and the leaderboard, e.g. "wasm (fastest of wasm 310k/s, cpu 18k/s)". */
  description: string;
  /** Threads the backend computes on: XNNPACK's pool for wasm (getThreadsCount), else 1. */
  threads?: number;
  /** When the wasm pool size was measured: the probe's samples per second per pool size. */
  threadRates?: { threads: number; samplesPerSecond: number }[];
}

type WasmFile = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

let wasmPathSet: string | undefined;
/** The threaded build's glue script, from the wasmPath map. */
let pthreadScript: string | undefined;
/** The pool size measurePool tries after start() began the wasm backend on one thread. */
let pendingPoolSize: number | undefined;

/** Start a backend per `opts` and make it TF.js's current one. */
export async function initBackend(opts: BackendOptions = {}): Promise<BackendChoice> {
  const preferred = opts.preferred ?? 'auto';
  const candidates = preferred === 'auto' ? [...(opts.candidates ?? BACKENDS)] : [preferred];
  const wasmKey = opts.wasmPath === undefined ? undefined : JSON.stringify(opts.wasmPath);
  if (opts.wasmPath && candidates.includes('wasm') && wasmPathSet !== wasmKey) {
    // setWasmPaths refuses once the wasm backend has started; a second call with the same
    // folder is then harmless to skip.
    try {
      const path = opts.wasmPath;
      if (typeof path === 'string') setWasmPaths(path.endsWith('/') ? path : path + '/');
      else {
        const { [PTHREAD_SCRIPT]: script, ...binaries } = path;
        setWasmPaths(binaries);
        pthreadScript = script;
      }
      wasmPathSet = wasmKey;
    } catch (e) {
      if (!wasmStarted()) throw e;
    }
  }
  const attempts: BackendAttempt[] = [];
  for (const name of candidates) {
    const attempt = await start(name, opts.threads);
    attempts.push(attempt);
    if (!attempt.ok) continue;
    if (!opts.measure) break;
    attempt.samplesPerSecond = probe();
  }
  const started = attempts.filter((a) => a.ok);
  if (started.length === 0) {
    throw new Error(`no TF.js backend could start: ${attempts.map((a) => `${a.name}: ${a.error}`).join('; ')}`);
  }
  const best = opts.measure
    ? started.reduce((a, b) => ((b.samplesPerSecond ?? 0) > (a.samplesPerSecond ?? 0) ? b : a))
    : started[0]!;
  await tf.setBackend(best.name);
  await tf.ready();
  const threadRates = best.name === 'wasm' && opts.threads === undefined ? measurePool() : undefined;
  const build = best.name === 'wasm' ? await wasmBuild(threadRates) : undefined;
  return {
    name: best.name,
    attempts,
    description: describe(best, attempts, opts.measure === true) + (build ? build.label : ''),
    threads: build?.threads ?? 1,
    ...(threadRates ? { threadRates } : {}),
  };
}

/** The started wasm backend's own entry points to its XNNPACK pool (tf-backend-wasm's `wasm.tfjs`). */
interface WasmPool {
  initWithThreadsCount(threads: number): void;
  getThreadsCount(): number;
}

function wasmPool(): WasmPool | undefined {
  const backend = tf.engine().registry['wasm'] as unknown as { wasm?: { tfjs?: WasmPool } } | undefined;
  return backend?.wasm?.tfjs;
}

/**
 * With the threaded build started on a pool of 1 (start() does so when the count is left to
 * measure), probe it, then on the pool of every core, and keep the faster. A pool cannot be
 * freed from outside: the one not kept stays allocated, its threads asleep; pools are only ever
 * made 1 -> all -> (1), so the build's 8 pthread workers always suffice.
 */
function measurePool(): { threads: number; samplesPerSecond: number }[] | undefined {
  const pool = wasmPool();
  const all = pendingPoolSize;
  pendingPoolSize = undefined;
  if (!pool || all === undefined || all <= 1 || pool.getThreadsCount() !== 1) return undefined;
  const one = Math.max(probe(), probe());
  pool.initWithThreadsCount(all);
  if (pool.getThreadsCount() !== all) return undefined;
  const many = Math.max(probe(), probe());
  const rates = [
    { threads: 1, samplesPerSecond: one },
    { threads: all, samplesPerSecond: many },
  ];
  if (fasterPool(rates) === 1) pool.initWithThreadsCount(1);
  return rates;
}

async function start(name: BackendName, threads: number | undefined): Promise<BackendAttempt> {
  if (name !== 'wasm' || wasmStarted() || !(await threadedBuild())) return startBackend(name);
  // The pool is sized once, while the backend starts: TF.js halves the core count it reads
  // then, and its pthread workers need the glue script as shipped (wasm-threads.ts).
  const count = wantedWasmThreads(navigator.hardwareConcurrency, threads);
  // Left to measure: start on one thread, initBackend then tries every core (measurePool).
  pendingPoolSize = threads === undefined ? count : undefined;
  setThreadsCount(threads === undefined ? 1 : count);
  const script = pthreadScript;
  const run = script
    ? () =>
        withWorkerMessages(globalThis, withPthreadScript(new URL(script, self.location.href).href), () =>
          startBackend(name),
        )
    : () => startBackend(name);
  return withLogicalCores(navigator, logicalCoresFor(count), run);
}

/**
 * Whether the wasm backend is already up. Not tf.findBackend: for a registered backend that has
 * not started, it starts one (a second wasm module with its own 8 pthread workers, outside
 * withLogicalCores and withWorkerMessages) and returns null.
 */
function wasmStarted(): boolean {
  return tf.engine().registry['wasm'] !== undefined;
}

/** Whether `tf.setBackend('wasm')` will start the threaded SIMD build (a cross-origin isolated page). */
async function threadedBuild(): Promise<boolean> {
  if (typeof navigator === 'undefined' || typeof self === 'undefined') return false;
  const [simd, threads] = await Promise.all([
    tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  ]);
  return simd === true && threads === true;
}

async function startBackend(name: BackendName): Promise<BackendAttempt> {
  try {
    if (tf.findBackendFactory(name) === null) return { name, ok: false, error: 'not registered in this build' };
    const ok = await tf.setBackend(name);
    if (!ok) return { name, ok: false, error: 'failed to initialise' };
    await tf.ready();
    return { name, ok: true };
  } catch (e) {
    return { name, ok: false, error: (e as Error).message };
  }
}

/** Samples per second of a few training steps of the default classifier on random data. */
function probe(): number {
  const rng = new Random(1);
  const rows = 2048;
  const width = 40;
  const x = Float32Array.from({ length: rows * width }, () => rng.uniform(-1, 1));
  const xT = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) xT[c * rows + r] = x[r * width + c]!;
  const y = Float32Array.from({ length: rows }, (_, i) => (x[i * width]! > 0 ? 1 : 0));
  const w = new Float32Array(rows).fill(1);
  const mlp = new Mlp({ sizes: [width, 64, 32, 1], output: 'sigmoid', learningRate: 1e-3, l2: 0, seed: 1 });
  try {
    const step = () => {
      const loss = mlp.trainBatch({ x, xT, target: y, weight: w, size: rows });
      if (typeof loss === 'number') return; // computed on the host: the step has finished
      loss.dataSync(); // waits for the step to finish
      loss.dispose();
    };
    step(); // first call compiles kernels and allocates
    const steps = 4;
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    return (steps * rows) / Math.max(1e-3, (performance.now() - t0) / 1000);
  } finally {
    mlp.dispose();
  }
}

/**
 * Which wasm build started: SIMD where the engine has it, and threads only on a cross-origin
 * isolated page (SharedArrayBuffer), which the app's server provides. The count is the pool
 * XNNPACK really got (getThreadsCount), not the one asked for.
 */
async function wasmBuild(
  rates?: { threads: number; samplesPerSecond: number }[],
): Promise<{ label: string; threads: number }> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  // The live pool: tf-backend-wasm's getThreadsCount() keeps the count the backend started with.
  const threads = multithread ? (wasmPool()?.getThreadsCount() ?? getThreadsCount()) : 1;
  const measured = rates
    ? ` (measured: ${rates.map((r) => `${r.threads} ${r.threads === 1 ? 'thread' : 'threads'} ${Math.round(r.samplesPerSecond / 1000)}k samples/s`).join(', ')})`
    : '';
  return { label: ` [${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}${measured}]`, threads };
}

function describe(best: BackendAttempt, attempts: BackendAttempt[], measured: boolean): string {
  const failed = attempts.filter((a) => !a.ok).map((a) => `${a.name} unavailable`);
  if (!measured) return [best.name, ...failed.map((f) => `(${f})`)].join(' ');
  const rates = attempts
    .filter((a) => a.ok)
    .map((a) => `${a.name} ${Math.round((a.samplesPerSecond ?? 0) / 1000)}k samples/s`)
    .join(', ');
  return `${best.name} (fastest of ${rates}${failed.length ? `; ${failed.join(', ')}` : ''})`;
}
