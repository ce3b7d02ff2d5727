import { describe, expect, it } from 'vitest';
import type { IPCPart, ParquetCodec } from '../src/db/runtime.ts';
import { decodeAhead } from '../src/sot/decode-ahead.ts';

/** A codec whose decode yields `parts` parts of `size` bytes, logging each one it produces. */
function fakeCodec(parts: number, size: number, opts: { failAt?: number } = {}) {
  const produced: number[] = [];
  let closed = false;
  const codec: ParquetCodec = {
    async *toIPC() {
      try {
        for (let i = 0; i < parts; i++) {
          await new Promise((r) => setTimeout(r, 1));
          if (i === opts.failAt) throw new Error(`row group ${i} is damaged`);
          produced.push(i);
          yield { ipc: new Uint8Array(size), part: i, parts } satisfies IPCPart;
        }
      } finally {
        closed = true;
      }
    },
    fromIPC: () => Promise.reject(new Error('not used')),
  };
  return { codec, produced, closed: () => closed };
}

describe('decoding ahead', () => {
  it('delivers every part in order, whether the consumer is slow or fast', async () => {
    const { codec } = fakeCodec(6, 10);
    const ahead = decodeAhead(codec, new Uint8Array(1), { budgetBytes: 1000 });
    const got: number[] = [];
    for await (const p of ahead) got.push(p.part);
    expect(got).toEqual([0, 1, 2, 3, 4, 5]);
    await ahead.settled;
  });

  it('runs ahead of the consumer by at most its budget', async () => {
    const { codec, produced } = fakeCodec(10, 100);
    const ahead = decodeAhead(codec, new Uint8Array(1), { budgetBytes: 250 });
    await new Promise((r) => setTimeout(r, 60));
    // 250 bytes of budget: three 100-byte parts queued (the third crosses it), then it waits.
    expect(produced).toEqual([0, 1, 2]);
    const it = ahead[Symbol.asyncIterator]();
    expect((await it.next()).value?.part).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(produced).toEqual([0, 1, 2, 3]);
    let n = 1;
    while (!(await it.next()).done) n++;
    expect(n).toBe(10);
  });

  it('decodes the whole file ahead when it fits the budget, before anyone asks', async () => {
    const { codec, produced } = fakeCodec(5, 10);
    const ahead = decodeAhead(codec, new Uint8Array(1), { budgetBytes: 1000 });
    await ahead.settled;
    expect(produced).toEqual([0, 1, 2, 3, 4]);
  });

  it('hands the decoder failure to the consumer after the parts before it', async () => {
    const { codec } = fakeCodec(5, 10, { failAt: 3 });
    const ahead = decodeAhead(codec, new Uint8Array(1));
    await ahead.settled; // settles, never rejects
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const p of ahead) got.push(p.part);
      })(),
    ).rejects.toThrow('row group 3 is damaged');
    expect(got).toEqual([0, 1, 2]);
  });

  it('refuses through onDecoded: the producer stops at the part that crossed the limit', async () => {
    const { codec, produced, closed } = fakeCodec(10, 100);
    let total = 0;
    const ahead = decodeAhead(codec, new Uint8Array(1), {
      onDecoded: (n) => {
        total += n;
        if (total > 300) throw new Error('over the limit');
      },
    });
    await ahead.settled;
    expect(produced).toEqual([0, 1, 2, 3]);
    expect(closed()).toBe(true);
    await expect(ahead[Symbol.asyncIterator]().next()).resolves.toMatchObject({ value: { part: 0 } });
  });

  it('stops decoding when cancelled, and closes the decoder', async () => {
    const { codec, produced, closed } = fakeCodec(100, 100);
    const ahead = decodeAhead(codec, new Uint8Array(1), { budgetBytes: 150 });
    await new Promise((r) => setTimeout(r, 20));
    ahead.cancel();
    await ahead.settled;
    expect(produced.length).toBeLessThan(5);
    expect(closed()).toBe(true);
    expect(await ahead[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
  });

  it('stops with an AbortError when the load is cancelled', async () => {
    const { codec } = fakeCodec(100, 10);
    const abort = new AbortController();
    const ahead = decodeAhead(codec, new Uint8Array(1), { signal: abort.signal, budgetBytes: 1e9 });
    abort.abort();
    await ahead.settled;
    await expect(
      (async () => {
        for await (const _ of ahead) void _;
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
