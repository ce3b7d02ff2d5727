/**
 * A dedicated worker's global scope as the `WorkerPort` its protocol serves on: what every
 * *.worker.ts file passes to its `serve...` function, so the protocols never touch globalThis
 * and the tests serve them over a MessagePort instead.
 */
import type { WorkerPort } from './ports.ts';

export function workerScopePort<Request, Reply>(): WorkerPort<Request, Reply> {
  const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
  return {
    postMessage: (message, transfer = []) => scope.postMessage(message, transfer),
    addEventListener: (type, listener) =>
      scope.addEventListener(type, (event: MessageEvent<Request>) => listener(event)),
  };
}
