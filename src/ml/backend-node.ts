/**
 * Node-only: the TF.js backend for the CLI, the tests and the benchmarks. tfjs-node does not
 * install offline, so Node uses the wasm backend with the .wasm files from node_modules (the
 * trailing slash matters to setWasmPaths), falling back to the plain-JS cpu backend.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { initBackend, type BackendChoice, type BackendName } from './backend.ts';

const require = createRequire(import.meta.url);

/** Folder of @tensorflow/tfjs-backend-wasm's .wasm files, with a trailing slash. */
export function nodeWasmPath(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/';
}

/** 'auto' gives wasm, else cpu (WebGL does not exist in Node). */
export function initNodeBackend(preferred: 'auto' | BackendName = 'auto'): Promise<BackendChoice> {
  return initBackend({ preferred, candidates: ['wasm', 'cpu'], wasmPath: nodeWasmPath() });
}
