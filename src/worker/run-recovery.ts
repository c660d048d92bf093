/**
 * Where a run goes after an attempt ended without a result: to the backend
 * the person asked for (a move), to the next backend of the fallback order
 * (a failure another backend would not repeat), or nowhere (an error the
 * page is told about). The page hears the outcome as a 'ready' event that
 * carries the recovery, or as an 'error' event.
 */
import type { BackendChoice } from '../core/backend';
import type { EngineBackendName } from '../core/spec/backend';
import type { EngineChoice } from './backend-host';
import { BackendMove, classifyError } from './errors';
import type { BackendRequest, EventBodies, WorkerEvent } from './protocol';

type Recovery = NonNullable<EventBodies['ready']['recovery']>;

export interface RecoveryDeps {
  post: (e: WorkerEvent) => void;
  fallback: (from: EngineBackendName, reason: string) => Promise<BackendChoice | null>;
  switchTo?: (request: BackendRequest) => Promise<BackendChoice>;
}

/** 'moved' and 'fell back' resume from the last snapshot; 'ended' means an error event was posted. */
export type Outcome = 'moved' | 'fell back' | 'ended';

export async function recover(
  error: unknown,
  backend: EngineBackendName,
  snapshotStep: number,
  deps: RecoveryDeps,
): Promise<Outcome> {
  if (error instanceof BackendMove && deps.switchTo) {
    const next = await deps.switchTo(error.request);
    announce(deps.post, next, {
      from: backend,
      reason: 'moved on request',
      resumedFromStep: snapshotStep,
      moved: true,
    });
    return 'moved';
  }
  const c = classifyError(error, backend);
  if (c.fallback) {
    const next = await deps.fallback(backend, c.message);
    if (next) {
      announce(deps.post, next, {
        from: backend,
        reason: c.message,
        resumedFromStep: snapshotStep,
      });
      return 'fell back';
    }
  }
  deps.post({ type: 'error', code: c.code, message: c.message });
  return 'ended';
}

/** Tells the page the run continues on `next`, and why it moved (a move on request or a failure). */
function announce(
  post: RecoveryDeps['post'],
  next: BackendChoice | EngineChoice,
  recovery: Recovery,
): void {
  post({
    type: 'ready',
    backend: next.backend,
    engine: 'engine' in next ? next.engine : null,
    adapterInfo: next.adapterInfo,
    fallbackReason: next.fallbackReason,
    attempts: next.attempts,
    recovery,
  });
}
