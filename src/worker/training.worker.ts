/**
 * The worker entry: a thin adapter that hands messages to a WorkerSession
 * and posts its event batches back. It owns only what needs the worker
 * global: the WASM binaries' URLs (served by Vite), the IndexedDB session
 * store the autosave writes to, and the last-resort error handlers, so
 * nothing the worker does fails silently in the console.
 */
import type { Command, WorkerMessage } from './protocol';
import { WorkerSession } from './session';
import { WASM_PATHS } from './wasm-paths';
import { spawnTrialWorker } from './trial-client';
import { imageTransferables } from './adapt-images';
import { createSessionStore } from '../sessions/store/index';
import { browserAssetLoader } from '../core/data/omniglot/fetch-asset';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// An image adaptation's pixel and prediction buffers move to the page instead of being copied.
const send = (m: WorkerMessage) =>
  scope.postMessage(
    m,
    m.flatMap((e) => (e.type === 'adaptation' ? imageTransferables(e) : [])),
  );

const session = new WorkerSession(send, {
  wasmPaths: WASM_PATHS,
  spawnTrial: spawnTrialWorker,
  sessions: createSessionStore(),
  // public/ is served at the app's base URL (Vite's BASE_URL)
  assets: browserAssetLoader(new URL(import.meta.env.BASE_URL, scope.location.origin).href),
});

scope.onmessage = (e: MessageEvent<Command>) => session.handle(e.data);

scope.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => {
  const reason: unknown = e.reason;
  const message = reason instanceof Error ? reason.message : String(reason);
  send([
    { type: 'error', code: 'internal', message: `Unexpected failure in the worker: ${message}` },
  ]);
});
scope.addEventListener('error', (e: ErrorEvent) => {
  send([
    { type: 'error', code: 'internal', message: `Unexpected failure in the worker: ${e.message}` },
  ]);
});
