/**
 * A sweep's trial worker: a thin adapter over TrialHost, created only by the
 * sweep coordinator inside the training worker (nested workers), so trials
 * train off the page's thread and, on WASM, several at once.
 */
import type { TrialCommand, TrialEvent } from './protocol';
import { TrialHost } from './trial-host';
import { WASM_PATHS } from './wasm-paths';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const host = new TrialHost((e: TrialEvent) => scope.postMessage(e), WASM_PATHS);

scope.onmessage = (e: MessageEvent<TrialCommand>) => void host.handle(e.data);
