/**
 * The training Web Worker: strategies fit here so the page stays responsive while a model trains
 * (the client is fit-worker-client.ts, the protocol fit-protocol.ts). The wasm backend's binaries
 * come from the app itself (ml/wasm-urls.ts).
 */
import { WASM_PATHS } from '../ml/wasm-urls.ts';
import { workerScopePort } from '../workers/scope.ts';
import { serveFitJobs, type FitReply, type FitRequest } from './fit-protocol.ts';

serveFitJobs(workerScopePort<FitRequest, FitReply>(), { wasmPath: WASM_PATHS });
