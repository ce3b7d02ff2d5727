/**
 * Browser-only: where the app serves the TF.js wasm backend's three binaries. Imported as URLs,
 * so Vite serves them from this app (and copies them into dist/) instead of TF.js fetching them
 * from a CDN, which has no route offline. The workers that train (fit.worker.ts, oof.worker.ts)
 * pass this to initBackend as `wasmPath`. The threaded build's Emscripten glue is served too,
 * as the package ships it: its pthread workers load it (ml/wasm-threads.ts says why not the
 * copy bundled into the worker).
 */
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import pthreadScriptUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';
import { PTHREAD_SCRIPT } from './wasm-threads.ts';

export const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  [PTHREAD_SCRIPT]: pthreadScriptUrl,
};
