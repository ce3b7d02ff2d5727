/**
 * The training Web Worker: strategies fit here so the page stays responsive while a model trains
 * (the client is fit-worker-client.ts, the protocol fit-protocol.ts). The wasm backend's binaries
 * come from the app itself (ml/wasm-urls.ts).
 */
import { WASM_PATHS } from '../ml/wasm-urls.ts';
import { serveFitJobs, type FitPort, type FitRequest } from './fit-protocol.ts';

const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
serveFitJobs(
  {
    postMessage: (message, transfer = []) => scope.postMessage(message, transfer),
    addEventListener: (type, listener) =>
      scope.addEventListener(type, (event: MessageEvent<FitRequest>) => listener(event)),
  } satisfies FitPort,
  { wasmPath: WASM_PATHS },
);
