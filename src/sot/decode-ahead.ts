/**
 * Parquet decoded ahead of DuckDB: a producer pulls a file's row groups from the runtime's codec
 * into a queue while the loader inserts, checks and merges what came before. In the browser the
 * codec is its own worker, so decoding the next row group (or the next file) runs on the second
 * core while DuckDB's worker works on this one; in Node the two take turns on one thread, as
 * before.
 *
 * The queue holds at most `budgetBytes` of decoded IPC (one part more when a single part is
 * larger), so reading ahead never needs a whole file's decoded table at once. The per-file
 * decoded-size limit is counted here, as parts are produced, so a file that decompresses to far
 * more than its footer says is refused before it is all in memory.
 */
import type { IPCPart, ParquetCodec } from '../db/runtime.ts';
import { abortError } from './problems.ts';

export interface DecodeAheadOptions {
  signal?: AbortSignal;
  /** Buffered decoded bytes the producer may run ahead by. */
  budgetBytes?: number;
  /** Called with each part's decoded size, before it is queued: throw to refuse the file. */
  onDecoded?: (bytes: number) => void;
}

export interface DecodeAhead extends AsyncIterable<IPCPart> {
  /** Settles when the producer has stopped: every part decoded, failed, or cancelled. Never rejects. */
  readonly settled: Promise<void>;
  /** Stop decoding (the consumer gave up on the file); parts not taken are dropped. */
  cancel(): void;
}

const DEFAULT_BUDGET = 256 * 1024 * 1024;

export function decodeAhead(codec: ParquetCodec, bytes: Uint8Array, opts: DecodeAheadOptions = {}): DecodeAhead {
  const budget = opts.budgetBytes ?? DEFAULT_BUDGET;
  const queue: IPCPart[] = [];
  let buffered = 0;
  let finished = false;
  let failure: { error: unknown } | undefined;
  let cancelled = false;
  // Whoever waits (the consumer for a part, the producer for room) is woken by the other side.
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const wake = (which: 'consumer' | 'producer') => {
    const fn = which === 'consumer' ? wakeConsumer : wakeProducer;
    if (which === 'consumer') wakeConsumer = undefined;
    else wakeProducer = undefined;
    fn?.();
  };

  const produce = async () => {
    const source = codec.toIPC(bytes)[Symbol.asyncIterator]();
    try {
      for (;;) {
        while (!cancelled && buffered >= budget && queue.length > 0) {
          await new Promise<void>((resolve) => (wakeProducer = resolve));
        }
        if (cancelled) return;
        if (opts.signal?.aborted) throw abortError();
        const step = await source.next();
        if (step.done) return;
        opts.onDecoded?.(step.value.ipc.byteLength);
        queue.push(step.value);
        buffered += step.value.ipc.byteLength;
        wake('consumer');
      }
    } catch (e) {
      failure = { error: e };
    } finally {
      finished = true;
      // A codec that is still open (cancelled, refused) frees what it holds.
      if (cancelled || failure) await source.return?.(undefined).catch(() => {});
      wake('consumer');
    }
  };
  const settled = produce();

  return {
    settled,
    cancel() {
      cancelled = true;
      queue.length = 0;
      buffered = 0;
      wake('producer');
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const part = queue.shift();
        if (part) {
          buffered -= part.ipc.byteLength;
          wake('producer');
          yield part;
          continue;
        }
        if (failure) throw failure.error;
        if (finished || cancelled) return;
        await new Promise<void>((resolve) => (wakeConsumer = resolve));
      }
    },
  };
}
