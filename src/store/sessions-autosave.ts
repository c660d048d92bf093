/**
 * Autosave: the worker's checkpoint events written to IndexedDB. The first
 * checkpoint of a new run (a lineage the page has not seen) creates and
 * saves its session; later ones overwrite the session's checkpoint record
 * (the crash-recovery copy that "Resume" reads); the final one (Stop, end of
 * run) saves the session itself, which is then no longer offered to resume.
 * A checkpoint overtaken by a newer one of the same session before its turn
 * in the write queue is skipped; a final one never is. A session from a
 * share link (read-only) is updated in memory only.
 */
import { newSessionId } from '../sessions/new-session';
import type { SessionDoc } from '../sessions/schema';
import type { EventOf, WorkerEvent } from '../worker/protocol';
import type { SessionContext } from './sessions-context';
import { withSessions, type SessionRef } from './sessions-slice';

export function createAutosave(ctx: SessionContext) {
  const { get, patch, now, enqueue, refresh, askPersistence, sessions } = ctx;
  let checkpointSeq = 0;
  /** per session, the newest checkpoint asked to be written */
  const newest = new Map<string, number>();

  function onCheckpoint(e: EventOf<'checkpoint'>): void {
    // A run stopped before its first meta-step has nothing to keep: no session for it.
    if (e.step === 0 && !get().sessions.current?.stored) return;
    let cur = get().sessions.current;
    if (!cur || cur.lineage !== e.lineage) {
      const at = now().toISOString();
      cur = {
        id: newSessionId(),
        name: `${e.doc.config.algorithm} on ${e.doc.dataset.name}, ${at.slice(0, 16).replace('T', ' ')}`,
        createdAt: at,
        readOnly: false,
        stored: false,
        lineage: e.lineage,
      };
    }
    const ref: SessionRef = cur;
    const doc: SessionDoc = {
      ...e.doc,
      id: ref.id,
      name: ref.name,
      createdAt: ref.createdAt,
      updatedAt: now().toISOString(),
    };
    patch((s) =>
      withSessions(s, (x) => ({
        current: ref,
        doc,
        evaluation: x.current?.id === ref.id && !e.final ? x.evaluation : null,
      })),
    );
    if (ref.readOnly) return;
    const seq = ++checkpointSeq;
    newest.set(ref.id, seq);
    void enqueue(async () => {
      if (newest.get(ref.id) !== seq && !e.final) return;
      if (!get().sessions.current?.stored || e.final) {
        // validated in the worker (sessionFromRun); see WriteOptions
        await sessions.saveSession(doc, { prevalidated: true });
        await askPersistence();
        patch((s) =>
          withSessions(s, (x) =>
            x.current?.id === ref.id ? { current: { ...x.current, stored: true } } : {},
          ),
        );
      }
      if (!e.final && doc.checkpoint) {
        await sessions.saveCheckpoint(
          ref.id,
          {
            checkpoint: doc.checkpoint,
            history: doc.history,
            best: doc.weights,
          },
          { prevalidated: true },
        );
      }
      patch((s) =>
        withSessions(s, () => ({ lastCheckpoint: { step: e.step, at: new Date().toISOString() } })),
      );
      await refresh();
    });
  }

  function onEvaluation(e: EventOf<'session-evaluation'>): void {
    const { current, doc } = get().sessions;
    if (!current || !doc) return;
    const next = { ...doc, evaluation: e.evaluation, updatedAt: now().toISOString() };
    patch((s) => withSessions(s, () => ({ doc: next })));
    if (current.readOnly || !current.stored) return;
    void enqueue(async () => {
      await sessions.saveSession(next);
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
