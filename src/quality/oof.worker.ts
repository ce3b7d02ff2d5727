/**
 * The Web Worker that computes out-of-fold probabilities for the suspected-mislabel search, so
 * the page stays responsive through the fits (protocol: oof-protocol.ts; client: oof-client.ts).
 */
import { WASM_PATHS } from '../ml/wasm-urls.ts';
import { serveOutOfFold, type OofPort, type OofRequest } from './oof-protocol.ts';

const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
serveOutOfFold(
  {
    postMessage: (message, transfer = []) => scope.postMessage(message, transfer),
    addEventListener: (type, listener) =>
      scope.addEventListener(type, (event: MessageEvent<OofRequest>) => listener(event)),
  } satisfies OofPort,
  { wasmPath: WASM_PATHS },
);
