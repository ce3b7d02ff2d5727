/**
 * The Web Worker that computes out-of-fold probabilities for the suspected-mislabel search, so
 * the page stays responsive through the fits (protocol: oof-protocol.ts; client: oof-client.ts).
 */
import { WASM_PATHS } from '../ml/wasm-urls.ts';
import { workerScopePort } from '../workers/scope.ts';
import { serveOutOfFold, type OofReply, type OofRequest } from './oof-protocol.ts';

serveOutOfFold(workerScopePort<OofRequest, OofReply>(), { wasmPath: WASM_PATHS });
