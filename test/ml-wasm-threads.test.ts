import { describe, expect, it } from 'vitest';
import {
  fasterPool,
  logicalCoresFor,
  TFJS_WASM_MAX_THREADS,
  tfjsWasmPoolSize,
  wantedWasmThreads,
  withLogicalCores,
  withPthreadScript,
  withWorkerMessages,
} from '../src/ml/wasm-threads.ts';

describe("TF.js 4.22's wasm pool size", () => {
  it('halves the logical cores: 2 cores give 1 thread whatever is asked (the bug)', () => {
    expect(tfjsWasmPoolSize(2, 2)).toBe(1);
    expect(tfjsWasmPoolSize(-1, 2)).toBe(1);
    expect(tfjsWasmPoolSize(4, 4)).toBe(2);
    expect(tfjsWasmPoolSize(-1, 16)).toBe(8);
    expect(tfjsWasmPoolSize(0, 8)).toBe(1);
  });

  it('logicalCoresFor(n) makes the pool exactly n for every count the build can run', () => {
    for (let n = 1; n <= TFJS_WASM_MAX_THREADS; n++) {
      expect(tfjsWasmPoolSize(n, logicalCoresFor(n))).toBe(n);
    }
  });
});

describe('wantedWasmThreads', () => {
  it('defaults to every core, clamped to 1..8', () => {
    expect(wantedWasmThreads(2)).toBe(2);
    expect(wantedWasmThreads(32)).toBe(8);
    expect(wantedWasmThreads(undefined)).toBe(1);
    expect(wantedWasmThreads(0)).toBe(1);
    expect(wantedWasmThreads(Number.NaN)).toBe(1);
  });

  it('takes an explicit request over the core count', () => {
    expect(wantedWasmThreads(2, 1)).toBe(1);
    expect(wantedWasmThreads(2, 4)).toBe(4);
    expect(wantedWasmThreads(2, 2.7)).toBe(2);
  });
});

describe('withLogicalCores', () => {
  /** Like WorkerNavigator: the count is a getter on the prototype. */
  function fakeNavigator(cores: number): { hardwareConcurrency: number } {
    const proto = {};
    Object.defineProperty(proto, 'hardwareConcurrency', { get: () => cores, configurable: true });
    return Object.create(proto) as { hardwareConcurrency: number };
  }

  it('reports the count while fn runs, and the real one before and after', async () => {
    const nav = fakeNavigator(2);
    const seen = await withLogicalCores(nav, 4, async () => {
      await Promise.resolve();
      return nav.hardwareConcurrency;
    });
    expect(seen).toBe(4);
    expect(nav.hardwareConcurrency).toBe(2);
    expect(Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency')).toBeUndefined();
  });

  it('restores the real count when fn throws', async () => {
    const nav = fakeNavigator(2);
    await expect(
      withLogicalCores(nav, 4, () => {
        throw new Error('backend failed');
      }),
    ).rejects.toThrow('backend failed');
    expect(nav.hardwareConcurrency).toBe(2);
  });

  it('puts back an own property that was there', async () => {
    const nav = { hardwareConcurrency: 6 };
    await withLogicalCores(nav, 12, async () => expect(nav.hardwareConcurrency).toBe(12));
    expect(nav.hardwareConcurrency).toBe(6);
  });

  it('runs fn with the real count where the property cannot be shadowed', async () => {
    const nav = Object.freeze({ hardwareConcurrency: 2 });
    expect(await withLogicalCores(nav, 4, async () => nav.hardwareConcurrency)).toBe(2);
  });
});

describe('withPthreadScript', () => {
  const rewrite = withPthreadScript('http://app/assets/glue.js');

  it("points a pthread worker's load message at the served glue script", () => {
    const load = { cmd: 'load', handlers: [], urlOrBlob: new Blob(['x']), wasmMemory: 1, wasmModule: 2 };
    expect(rewrite(load)).toEqual({ ...load, urlOrBlob: 'http://app/assets/glue.js' });
  });

  it('leaves every other message as it is', () => {
    const run = { cmd: 'run', start_routine: 1, arg: 0, pthread_ptr: 8 };
    expect(rewrite(run)).toBe(run);
    expect(rewrite({ cmd: 'load' })).toEqual({ cmd: 'load' });
    expect(rewrite('load')).toBe('load');
    expect(rewrite(null)).toBe(null);
  });
});

describe('withWorkerMessages', () => {
  class FakeWorker {
    static sent: unknown[] = [];
    constructor(readonly url: string) {}
    postMessage(message: unknown): void {
      FakeWorker.sent.push(message);
    }
  }

  it('rewrites the messages of workers created while fn runs, then restores the constructor', async () => {
    const scope = { Worker: FakeWorker as unknown as typeof Worker };
    let made: Worker | undefined;
    await withWorkerMessages(
      scope,
      (m) => `rewritten ${String(m)}`,
      async () => {
        made = new scope.Worker('a.js');
      },
    );
    expect(scope.Worker).toBe(FakeWorker);
    made!.postMessage('hello');
    new scope.Worker('b.js').postMessage('plain');
    expect(FakeWorker.sent).toEqual(['rewritten hello', 'plain']);
  });

  it('runs fn unchanged where there is no Worker', async () => {
    expect(
      await withWorkerMessages(
        {},
        (m) => m,
        async () => 7,
      ),
    ).toBe(7);
  });
});

describe('fasterPool', () => {
  it('keeps the faster pool, the fewer threads on a tie', () => {
    const r = (threads: number, samplesPerSecond: number) => ({ threads, samplesPerSecond });
    expect(fasterPool([r(1, 300), r(2, 150)])).toBe(1);
    expect(fasterPool([r(1, 300), r(2, 450)])).toBe(2);
    expect(fasterPool([r(2, 300), r(1, 300)])).toBe(1);
    expect(fasterPool([])).toBe(1);
  });
});
