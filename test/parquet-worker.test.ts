/**
 * The Parquet worker's client and protocol over a Node MessageChannel (the browser's Worker is the
 * same client over parquet.worker.ts): row groups decoded one at a time to what parquet-wasm gives
 * inline, an encode that round-trips, a consumer that stops early closing its decode, a failed
 * job retiring its worker for a fresh one, and a dead worker failing its open and later requests.
 */
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeParquet } from '../src/db/node.ts';
import { ipcToParquet, parquetToIPC } from '../src/db/parquet.ts';
import { WorkerParquetCodec } from '../src/db/parquet-client.ts';
import { serveParquet, type ParquetReply, type ParquetRequest } from '../src/db/parquet-protocol.ts';
import { channelWorker } from './worker-channel.ts';

type ParquetChannel = ReturnType<typeof channelWorker<ParquetRequest, ParquetReply>>;

/** A codec over in-process workers; `spawned` lists them, `ops` every request they were sent. */
function codec() {
  const spawned: ParquetChannel[] = [];
  const ops: ParquetRequest['op'][] = [];
  const parquet = new WorkerParquetCodec(() => {
    const w = channelWorker<ParquetRequest, ParquetReply>((port) => {
      port.addEventListener('message', ({ data }) => ops.push(data.op));
      serveParquet(port);
    });
    spawned.push(w);
    return w;
  });
  return { parquet, spawned, ops };
}

const table = tableFromArrays({
  id: Int32Array.from({ length: 1000 }, (_, i) => i),
  x: new Float64Array(1000).fill(0.5),
});
let file: Uint8Array;

beforeAll(async () => {
  await initNodeParquet();
  file = await ipcToParquet(tableToIPC(table, 'stream'), { rowGroupSize: 300 });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('Parquet worker', () => {
  it('decodes row group by row group to what parquet-wasm gives inline, and encodes', async () => {
    const { parquet, spawned } = codec();
    const inline = await collect(parquetToIPC(file));
    const remote = await collect(parquet.toIPC(file));
    expect(remote.map((p) => [p.part, p.parts])).toEqual([0, 1, 2, 3].map((i) => [i, 4]));
    expect(remote.map((p) => [...p.ipc])).toEqual(inline.map((p) => [...p.ipc]));
    // The caller keeps its bytes: they were copied, not transferred.
    expect(file.byteLength).toBeGreaterThan(0);

    const encoded = await parquet.fromIPC(tableToIPC(table, 'stream'));
    const back = await collect(parquetToIPC(encoded));
    expect(back.reduce((n, p) => n + tableFromIPC(p.ipc).numRows, 0)).toBe(1000);
    // One worker served every job.
    expect(spawned).toHaveLength(1);
    expect(spawned[0]!.terminated).toBe(false);
  });

  it('closes a decode the consumer stops early, and keeps the worker', async () => {
    const { parquet, spawned, ops } = codec();
    for await (const part of parquet.toIPC(file)) {
      expect(part.part).toBe(0);
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(ops).toEqual(['open', 'next', 'close']);
    expect(await collect(parquet.toIPC(file))).toHaveLength(4);
    expect(spawned).toHaveLength(1);
  });

  it("fails a bad file with parquet-wasm's message and replaces the worker", async () => {
    const { parquet, spawned } = codec();
    await expect(collect(parquet.toIPC(new TextEncoder().encode('PAR1 this is not parquet')))).rejects.toThrow(
      /parquet/i,
    );
    expect(spawned[0]!.terminated).toBe(true);
    expect(await collect(parquet.toIPC(file))).toHaveLength(4);
    expect(spawned).toHaveLength(2);
  });

  it('fails the open job and every later request at once when the worker dies', async () => {
    const { parquet, spawned } = codec();
    const decode = parquet.toIPC(file)[Symbol.asyncIterator]();
    expect((await decode.next()).done).toBe(false);
    const pending = decode.next();
    spawned[0]!.onerror!({ message: 'out of memory', preventDefault() {} } as ErrorEvent);
    await expect(pending).rejects.toThrow('the Parquet decoder stopped: out of memory');
    expect(spawned[0]!.terminated).toBe(true);
    // The next job starts a fresh worker.
    expect(await parquet.fromIPC(tableToIPC(table, 'stream'))).toBeInstanceOf(Uint8Array);
    expect(spawned).toHaveLength(2);
  });
});
