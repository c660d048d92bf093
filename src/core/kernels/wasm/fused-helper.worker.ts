/**
 * The browser's helper thread of the split fused meta-step: a nested
 * dedicated worker started by threads.ts inside the training (or bench)
 * worker. All it does is thread-helper.ts's.
 */
import { serveFusedHelper } from './thread-helper';
import type { HelperRequest } from './thread-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const serve = serveFusedHelper((m) => scope.postMessage(m));
scope.onmessage = (e: MessageEvent<HelperRequest>) => serve(e.data);
