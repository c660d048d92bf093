/**
 * Autosave on the page: the worker writes checkpoints and finished runs to
 * IndexedDB itself (src/worker/autosave.ts) and tells the page only which
 * session reached which step. The page puts that session on screen as the
 * current one (the worker names a new run's session), records the step,
 * and refreshes the list from the stored summaries, which load no weights;
 * Save / Export / Share read the document back when asked
 * (sessions-context.ts latestDoc). Only a run that is not stored (a share
 * link's session) sends its final document along. So a checkpoint costs the main thread
 * the same at step 200 and at step 20,000.
 *
 * An evaluation is still written from here: the page asked for it and
 * holds the document it belongs to.
 */
import type { EventOf, WorkerEvent } from '../worker/protocol';
import type { SessionContext } from './sessions-context';
import { withSessions, type SessionRef } from './sessions-slice';

export function createAutosave(ctx: SessionContext) {
  const { get, patch, now, enqueue, refresh, askPersistence, sessions, say, latestDoc } = ctx;
  let refreshQueued = false;

  function onCheckpoint(e: EventOf<'checkpoint'>): void {
    const cur = get().sessions.current;
    const same = cur?.id === e.sessionId;
    const ref: SessionRef = {
      id: e.sessionId,
      name: e.name,
      createdAt: e.createdAt,
      readOnly: same ? cur.readOnly : false,
      stored: e.stored || (same && cur.stored && e.error !== null),
      lineage: e.lineage,
    };
    patch((s) =>
      withSessions(s, (x) => ({
        current: ref,
        doc: e.doc ?? (same ? x.doc : null),
        evaluation: same && !e.final ? x.evaluation : null,
        lastCheckpoint: e.stored ? { step: e.step, at: now().toISOString() } : x.lastCheckpoint,
      })),
    );
    if (e.error) say('error', e.error);
    if (!e.stored || refreshQueued) return;
    // One list refresh at a time: checkpoints arriving meanwhile are covered by it.
    refreshQueued = true;
    void enqueue(async () => {
      refreshQueued = false;
      await askPersistence();
      await refresh();
    });
  }

  function onEvaluation(e: EventOf<'session-evaluation'>): void {
    const current = get().sessions.current;
    if (!current) return;
    const id = current.id;
    const stamp = (doc: NonNullable<ReturnType<typeof get>['sessions']['doc']>) => ({
      ...doc,
      evaluation: e.evaluation,
      updatedAt: now().toISOString(),
    });
    const shown = get().sessions.doc;
    if (shown?.id === id) patch((s) => withSessions(s, () => ({ doc: stamp(shown) })));
    if (current.readOnly || !current.stored) return;
    void enqueue(async () => {
      const doc = await latestDoc();
      if (!doc || doc.id !== id) return;
      const next = stamp(doc);
      await sessions.saveSession(next);
      patch((s) => withSessions(s, (x) => (x.current?.id === id ? { doc: next } : {})));
      await refresh();
    });
  }

  function receive(events: readonly WorkerEvent[]): void {
    for (const e of events) {
      if (e.type === 'checkpoint') onCheckpoint(e);
      else if (e.type === 'session-evaluation') onEvaluation(e);
      else if (e.type === 'error' && get().sessions.evaluating)
        patch((s) => withSessions(s, () => ({ evaluating: false })));
    }
  }

  return { receive };
}
