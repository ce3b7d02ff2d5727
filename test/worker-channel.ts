/**
 * A worker-shaped client end (WorkerLike) whose other end is a port served in this process: the
 * worker protocols' clients are tested over it exactly as the browser drives them over a Worker.
 */
import { MessageChannel } from 'node:worker_threads';
import type { WorkerLike, WorkerPort } from '../src/workers/ports.ts';

export function channelWorker<Request, Reply>(
  serve: (port: WorkerPort<Request, Reply>) => void,
): WorkerLike<Request, Reply> & { terminated: boolean } {
  const { port1, port2 } = new MessageChannel();
  serve({
    postMessage: (m, transfer) => port2.postMessage(m, transfer as never),
    addEventListener: (_type, listener) => port2.on('message', (data: Request) => listener({ data })),
  });
  const worker = {
    terminated: false,
    onerror: null,
    set onmessage(fn: ((event: MessageEvent<Reply>) => void) | null) {
      port1.removeAllListeners('message');
      if (fn) port1.on('message', (data: Reply) => fn({ data } as MessageEvent<Reply>));
    },
    get onmessage() {
      return null;
    },
    postMessage: (m: Request, transfer?: Transferable[]) => port1.postMessage(m, transfer as never),
    terminate() {
      worker.terminated = true;
      port1.close();
      port2.close();
    },
  };
  return worker;
}
