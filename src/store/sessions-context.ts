/**
 * What every session action shares: the store (read, patch, say), the
 * worker port, the IndexedDB session store, the browser environment, and the
 * one queue that runs IndexedDB writes one at a time (a failure becomes the
 * panel's message; storage stays as it was, see the store's transactions).
 */
import type { SessionDoc } from '../sessions/schema';
import type { SessionStore } from '../sessions/store/index';
import type { TrainingPort } from '../worker/client';
import type { Store } from './slices';
import { needsDatasetFile, withSessions, type SessionRef } from './sessions-slice';
import { showSession } from './show-session';

export interface SessionEnv {
  /** offers bytes as a file download */
  download(fileName: string, bytes: Uint8Array, mime: string): void;
  /** copies text to the clipboard (may reject: the link is shown anyway) */
  copy(text: string): Promise<void>;
  /** the page's address without the fragment, for share links */
  baseUrl(): string;
  now?: () => Date;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createSessionContext(
  store: Store,
  port: TrainingPort,
  sessions: SessionStore,
  env: SessionEnv,
) {
  const get = store.getState;
  const patch = (f: (s: ReturnType<typeof get>) => ReturnType<typeof get>) =>
    store.setState(f(get()), true);
  const say = (kind: 'error' | 'info', text: string) =>
    patch((s) => withSessions(s, () => ({ message: { kind, text } })));
  const now = () => (env.now ?? (() => new Date()))();

  let writes: Promise<void> = Promise.resolve();
  let persistenceAsked = false;

  /** Runs store writes one at a time; a failure becomes the message. */
  function enqueue(job: () => Promise<void>): Promise<void> {
    writes = writes.then(job).catch((e: unknown) => say('error', errorText(e)));
    return writes;
  }

  async function refresh(): Promise<void> {
    try {
      const [list, resumable, storage] = await Promise.all([
        sessions.listSessions(),
        sessions.listResumable(),
        sessions.storageEstimate(),
      ]);
      patch((s) => withSessions(s, () => ({ list, resumable, storage })));
    } catch (e) {
      say('error', `Saved sessions cannot be read: ${errorText(e)}`);
    }
  }

  async function askPersistence(): Promise<void> {
    if (persistenceAsked) return;
    persistenceAsked = true;
    await sessions.requestPersistence();
  }

  /** Shows a session and hands it to the worker (unless its dataset file is needed first). */
  function show(doc: SessionDoc, ref: Omit<SessionRef, 'lineage'>): void {
    patch((s) => showSession(s, doc, { ...ref, lineage: null }));
    if (!needsDatasetFile(doc))
      port.send({ type: 'load-session', doc, csvFiles: null, persist: !ref.readOnly });
  }

  /**
   * The current session's latest document, for Save, Export, Share and an
   * evaluation. The page holds it unless the worker has saved newer steps
   * since (checkpoints of a run carry no document): then it is read back
   * from IndexedDB, the session merged with its newest checkpoint.
   */
  async function latestDoc(): Promise<SessionDoc | null> {
    const { current, doc, lastCheckpoint } = get().sessions;
    if (!current) return null;
    const held = doc?.id === current.id ? doc : null;
    const heldStep = held ? (held.checkpoint?.step ?? held.history.stepsDone) : -1;
    if (held && heldStep >= (lastCheckpoint?.step ?? 0)) return held;
    if (current.readOnly || !current.stored) return held;
    const [stored, cp] = await Promise.all([
      sessions.getSession(current.id),
      sessions.getCheckpoint(current.id),
    ]);
    if (!stored) return held;
    if (!cp || cp.checkpoint.step <= stored.history.stepsDone) return stored;
    return {
      ...stored,
      checkpoint: cp.checkpoint,
      history: cp.history,
      weights: cp.best ?? stored.weights,
      evaluation: null,
    };
  }

  /** resolves when every write asked for so far has finished */
  const settled = () => writes;

  return {
    store,
    port,
    sessions,
    env,
    get,
    patch,
    say,
    now,
    enqueue,
    settled,
    refresh,
    askPersistence,
    show,
    latestDoc,
  };
}

export type SessionContext = ReturnType<typeof createSessionContext>;
