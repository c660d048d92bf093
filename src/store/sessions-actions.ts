/**
 * What the person does with sessions, as plain functions over the store, a
 * port to the worker and a SessionStore (IndexedDB): open, resume after a
 * crash, save, rename, duplicate, delete and undo, evaluate; autosave
 * (sessions-autosave.ts) and files and links (sessions-transfer.ts) are
 * composed in. Tests pass fakes for the port, the store and the browser.
 *
 * Invariant: writes to IndexedDB run one at a time, in order
 * (sessions-context.ts); a failed one leaves storage as it was and says so.
 */
import {
  BACKEND_LABELS,
  ENGINE_BACKEND_LABELS,
  FUSED_BASE,
  isEngineBackendName,
  isFusedBackend,
} from '../core/spec/backend';
import { newSessionId } from '../sessions/session-id';
import type { SessionDoc } from '../sessions/schema';
import type { SessionStore } from '../sessions/store/index';
import type { TrainingPort } from '../worker/client';
import type { WorkerEvent } from '../worker/protocol';
import type { Store } from './slices';
import { createAutosave } from './sessions-autosave';
import { createSessionContext, errorText, type SessionEnv } from './sessions-context';
import { needsDatasetFile, withSessions, type SessionRef } from './sessions-slice';
import { createTransfers } from './sessions-transfer';
import { createModelDownload } from './model-download';

export type { SessionEnv } from './sessions-context';
export { fileNameFor } from './sessions-transfer';

/** The adaptation steps and episodes of "Evaluate" (the CLI's `--steps 0,1,10 --episodes 100`). */
export const EVAL_STEPS = [0, 1, 10];
export const EVAL_EPISODES = 100;

export function createSessionActions(
  store: Store,
  port: TrainingPort,
  sessions: SessionStore,
  env: SessionEnv,
  trainAction: () => void,
) {
  const ctx = createSessionContext(store, port, sessions, env);
  const { get, patch, say, now, enqueue, refresh, askPersistence, show } = ctx;
  const autosave = createAutosave(ctx);
  const transfers = createTransfers(ctx);
  const modelDownload = createModelDownload(ctx);

  async function open(id: string): Promise<void> {
    try {
      const doc = await sessions.getSession(id);
      if (!doc) return say('error', 'This session is no longer stored.');
      show(doc, { id, name: doc.name, createdAt: doc.createdAt, readOnly: false, stored: true });
      say('info', `Opened "${doc.name}".`);
    } catch (e) {
      say('error', errorText(e));
    }
  }

  /** Continues the run a reload or crash interrupted, from its last checkpoint. */
  async function resumeFromCheckpoint(id: string): Promise<void> {
    try {
      const [doc, cp] = await Promise.all([sessions.getSession(id), sessions.getCheckpoint(id)]);
      if (!doc || !cp) return say('error', 'There is nothing left to resume for this session.');
      const merged: SessionDoc = {
        ...doc,
        checkpoint: cp.checkpoint,
        history: cp.history,
        weights: cp.best ?? doc.weights,
        evaluation: null,
      };
      show(merged, { id, name: doc.name, createdAt: doc.createdAt, readOnly: false, stored: true });
      const on = onRecordedBackend(doc.backend);
      say('info', `Resuming "${doc.name}" from step ${cp.checkpoint.step}${on}.`);
      patch((s) => withSessions(s, (x) => ({ resumable: x.resumable.filter((r) => r.id !== id) })));
      if (!needsDatasetFile(merged) && merged.config.metaSteps > cp.checkpoint.step) trainAction();
    } catch (e) {
      say('error', errorText(e));
    }
  }

  /**
   * A run resumes on the backend it was recorded on (its numbers depend on it):
   * the worker switches before the train command, and the Backend menu shows it.
   * Returns the words for the message ('' when nothing changes).
   */
  function onRecordedBackend(recorded: string): string {
    const b = get().backend;
    if (!isEngineBackendName(recorded) || (b.engine ?? b.active) === recorded) return '';
    patch((s) => ({ ...s, backend: { ...s.backend, requested: recorded } }));
    port.send({ type: 'init', backend: recorded, hideWebgpu: b.hideWebgpu });
    const label = ENGINE_BACKEND_LABELS[recorded];
    // a fused engine this machine cannot run: the worker falls back and the page says why
    const missing = isFusedBackend(recorded) ? b.engines?.[recorded] : null;
    if (isFusedBackend(recorded) && missing)
      return ` on ${BACKEND_LABELS[FUSED_BASE[recorded]]} with tfjs: it was trained on ${label}, which is not available here (${missing})`;
    return ` on ${label}, the backend it was trained on`;
  }

  async function dismissResume(id: string): Promise<void> {
    await enqueue(() => sessions.clearCheckpoint(id));
    await refresh();
  }

  /** Saves the session on screen; a read-only one (from a link) is saved as a new copy. */
  async function save(): Promise<void> {
    const current = get().sessions.current;
    if (!current) return say('error', 'There is no session to save yet: train or open one.');
    await enqueue(async () => {
      const doc = await ctx.latestDoc();
      if (!doc) return say('error', 'There is no session to save yet: train or open one.');
      const copy = current.readOnly;
      const id = copy ? newSessionId() : current.id;
      const at = now().toISOString();
      const next: SessionDoc = { ...doc, id, updatedAt: at, ...(copy ? { createdAt: at } : {}) };
      await sessions.saveSession(next);
      await askPersistence();
      patch((s) =>
        withSessions(s, () => ({
          doc: next,
          current: { ...current, id, readOnly: false, stored: true, createdAt: next.createdAt },
        })),
      );
      // The worker's autosave writes the run's later checkpoints into the copy.
      if (copy)
        tellWorker(current.id, { ...current, id, readOnly: false, createdAt: next.createdAt });
      say('info', copy ? `Saved a copy of "${doc.name}".` : `Saved "${doc.name}".`);
      await refresh();
    });
  }

  /**
   * Train for a session opened from a link: it is saved as a copy first, so
   * the run writes into the copy and the link's session stays as it was.
   * Trains nothing when the copy could not be saved (the error is shown).
   */
  async function saveCopyAndTrain(): Promise<void> {
    if (get().sessions.current?.readOnly) await save();
    if (get().sessions.current?.readOnly) return;
    trainAction();
  }

  /** The worker's autosave names and places the run's session: keep it in step with the page. */
  function tellWorker(sessionId: string, ref: Omit<SessionRef, 'lineage'>): void {
    port.send({
      type: 'session-meta',
      sessionId,
      id: ref.id,
      name: ref.name,
      createdAt: ref.createdAt,
      persist: !ref.readOnly,
    });
  }

  async function rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) return say('error', 'A session needs a name.');
    await enqueue(async () => {
      const info = await sessions.renameSession(id, trimmed);
      const cur = get().sessions.current;
      if (cur?.id === id) tellWorker(id, { ...cur, name: info.name });
      patch((s) =>
        withSessions(s, (x) =>
          x.current?.id === id
            ? {
                current: { ...x.current, name: info.name },
                doc: x.doc ? { ...x.doc, name: info.name } : null,
              }
            : {},
        ),
      );
      await refresh();
    });
  }

  async function duplicate(id: string): Promise<void> {
    await enqueue(async () => {
      const info = await sessions.duplicateSession(id);
      say('info', `Duplicated as "${info.name}".`);
      await refresh();
    });
  }

  /** Deletes (after the panel's confirmation); Undo brings it back. */
  async function remove(id: string): Promise<void> {
    const entry = get().sessions.list.find((x) => x.id === id);
    const name = entry && entry.status === 'ok' ? entry.name : 'the session';
    await enqueue(async () => {
      await sessions.deleteSession(id);
      patch((s) =>
        withSessions(s, (x) => ({
          deleted: { id, name },
          message: null,
          current: x.current?.id === id ? { ...x.current, stored: false } : x.current,
        })),
      );
      await refresh();
    });
  }

  async function undoDelete(): Promise<void> {
    const d = get().sessions.deleted;
    if (!d) return;
    await enqueue(async () => {
      await sessions.undoDelete(d.id);
      patch((s) =>
        withSessions(s, (x) => ({
          deleted: null,
          current: x.current?.id === d.id ? { ...x.current, stored: true } : x.current,
        })),
      );
      say('info', `Restored "${d.name}".`);
      await refresh();
    });
  }

  function evaluate(): void {
    if (!get().sessions.current) return say('error', 'There is no session to evaluate yet.');
    patch((s) => withSessions(s, () => ({ evaluating: true })));
    port.send({ type: 'evaluate-session', episodes: EVAL_EPISODES, steps: EVAL_STEPS });
  }

  const dismissMessage = () => patch((s) => withSessions(s, () => ({ message: null })));
  const checkpointNow = () => port.send({ type: 'checkpoint-now' });

  return {
    receive: (events: readonly WorkerEvent[]) => {
      autosave.receive(events);
      modelDownload.receive(events);
    },
    downloadModel: modelDownload.downloadModel,
    refresh,
    open,
    resumeFromCheckpoint,
    dismissResume,
    save,
    saveCopyAndTrain,
    rename,
    duplicate,
    remove,
    undoDelete,
    ...transfers,
    evaluate,
    dismissMessage,
    checkpointNow,
    settled: ctx.settled,
  };
}

export type SessionActions = ReturnType<typeof createSessionActions>;
