/**
 * The training Web Worker: strategies fit here so the page stays responsive while a model trains
 * (the client is fit-worker-client.ts, the protocol fit-protocol.ts).
 *
 * The wasm backend's three binaries are imported as URLs, so Vite serves them from this app (and
 * copies them into dist/) instead of TF.js fetching them from a CDN, which has no route offline.
 */
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { serveFitJobs, type FitPort, type FitRequest } from './fit-protocol.ts';

const scope = globalThis as unknown as DedicatedWorkerGlobalScope;
serveFitJobs(
  {
    postMessage: (message, transfer = []) => scope.postMessage(message, transfer),
    addEventListener: (type, listener) => scope.addEventListener(type, (event: MessageEvent<FitRequest>) => listener(event)),
  } satisfies FitPort,
  {
    wasmPath: {
      'tfjs-backend-wasm.wasm': wasmUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
    },
  },
);
