/**
 * What the person does with sessions, as plain functions over the store, a
 * port to the worker and a SessionStore (IndexedDB): autosave of the run's
 * checkpoints, open, resume, save, rename, duplicate, delete and undo,
 * export and import of files, share links. Tests pass fakes for all three.
 *
 * Invariants:
 * - Every document from outside (file, link) goes through restoreSession
 *   (parseSessionBytes, decodeShareFragment); a refusal only sets a message,
 *   nothing stored changes.
 * - Writes to IndexedDB run one at a time, in order; a checkpoint that a
 *   newer one has overtaken before its turn is skipped (the last one wins),
 *   a final one (Stop, end of run) never is.
 * - A failed write (StorageFullError, …) leaves storage as it was (the
 *   store's transactions) and says so in the message.
 */
import {
  decodeShareFragment,
  parseSessionBytes,
  serializeSession,
  sha256Hex,
  shareFragmentFor,
} from '../sessions/codec';
import { newSessionId } from '../sessions/new-session';
import type { SessionDoc } from '../sessions/schema';
import type { SessionStore } from '../sessions/store/index';
import type { TrainingPort } from '../worker/client';
import type { EventOf, WorkerEvent } from '../worker/protocol';
import type { Store } from './actions';
import { needsDatasetFile, showSession, withSessions, type SessionRef } from './sessions-slice';

export interface SessionEnv {
  /** offers bytes as a file download */
  download(fileName: string, bytes: Uint8Array, mime: string): void;
  /** copies text to the clipboard (may reject: the link is shown anyway) */
  copy(text: string): Promise<void>;
  /** the page's address without the fragment, for share links */
  baseUrl(): string;
  now?: () => Date;
}

/** The adaptation steps and episodes of "Evaluate" (the CLI's `--steps 0,1,10 --episodes 100`). */
export const EVAL_STEPS = [0, 1, 10];
export const EVAL_EPISODES = 100;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A file name from a session name: letters, digits, dashes. */
export function fileNameFor(name: string, gzip: boolean): string {
  const base =
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'session';
  return `${base}.json${gzip ? '.gz' : ''}`;
}

export function createSessionActions(
  store: Store,
  port: TrainingPort,
  sessions: SessionStore,
  env: SessionEnv,
  trainAction: () => void,
) {
  const get = store.getState;
  const patch = (f: (s: ReturnType<typeof get>) => ReturnType<typeof get>) =>
    store.setState(f(get()), true);
  const say = (kind: 'error' | 'info', text: string) =>
    patch((s) => withSessions(s, () => ({ message: { kind, text } })));
  const now = () => (env.now ?? (() => new Date()))();

  let writes: Promise<void> = Promise.resolve();
  let checkpointSeq = 0;
  /** per session, the newest checkpoint asked to be written */
  const newest = new Map<string, number>();
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

  function onCheckpoint(e: EventOf<'checkpoint'>): void {
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
        await sessions.saveSession(doc);
        await askPersistence();
        patch((s) =>
          withSessions(s, (x) =>
            x.current?.id === ref.id ? { current: { ...x.current, stored: true } } : {},
          ),
        );
      }
      if (!e.final && doc.checkpoint) {
        await sessions.saveCheckpoint(ref.id, {
          checkpoint: doc.checkpoint,
          history: doc.history,
          best: doc.weights,
        });
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

  /** Shows a session and hands it to the worker (unless its dataset file is needed first). */
  function show(doc: SessionDoc, ref: Omit<SessionRef, 'lineage'>): void {
    patch((s) => showSession(s, doc, { ...ref, lineage: null }));
    if (!needsDatasetFile(doc)) port.send({ type: 'load-session', doc, csvFiles: null });
  }

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
      say('info', `Resuming "${doc.name}" from step ${cp.checkpoint.step}.`);
      patch((s) => withSessions(s, (x) => ({ resumable: x.resumable.filter((r) => r.id !== id) })));
      if (!needsDatasetFile(merged) && merged.config.metaSteps > cp.checkpoint.step) trainAction();
    } catch (e) {
      say('error', errorText(e));
    }
  }

  async function dismissResume(id: string): Promise<void> {
    await enqueue(() => sessions.clearCheckpoint(id));
    await refresh();
  }

  /** Saves the session on screen; a read-only one (from a link) is saved as a new copy. */
  async function save(): Promise<void> {
    const { current, doc } = get().sessions;
    if (!current || !doc)
      return say('error', 'There is no session to save yet: train or open one.');
    const copy = current.readOnly;
    const id = copy ? newSessionId() : current.id;
    const at = now().toISOString();
    const next: SessionDoc = { ...doc, id, updatedAt: at, ...(copy ? { createdAt: at } : {}) };
    await enqueue(async () => {
      await sessions.saveSession(next);
      await askPersistence();
      patch((s) =>
        withSessions(s, () => ({
          doc: next,
          current: { ...current, id, readOnly: false, stored: true, createdAt: next.createdAt },
        })),
      );
      say('info', copy ? `Saved a copy of "${doc.name}".` : `Saved "${doc.name}".`);
      await refresh();
    });
  }

  async function rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) return say('error', 'A session needs a name.');
    await enqueue(async () => {
      const info = await sessions.renameSession(id, trimmed);
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

  function exportFile(gzip: boolean): void {
    const doc = get().sessions.doc;
    if (!doc) return say('error', 'There is no session to export yet: train or open one.');
    try {
      const bytes = serializeSession(doc, { gzip });
      env.download(
        fileNameFor(doc.name, gzip),
        bytes,
        gzip ? 'application/gzip' : 'application/json',
      );
      say('info', `Exported "${doc.name}" (${Math.ceil(bytes.length / 1024)} KiB).`);
    } catch (e) {
      say('error', errorText(e));
    }
  }

  /** Reads a session file; a valid one is stored (as a new session if its id is taken) and opened. */
  async function importFile(fileName: string, bytes: Uint8Array): Promise<void> {
    const res = parseSessionBytes(bytes);
    if (!res.ok) return say('error', `${fileName}: ${res.error}`);
    let doc = res.session;
    await enqueue(async () => {
      if (await sessions.getSession(doc.id)) doc = { ...doc, id: newSessionId() };
      await sessions.saveSession(doc);
      await askPersistence();
      show(doc, {
        id: doc.id,
        name: doc.name,
        createdAt: doc.createdAt,
        readOnly: false,
        stored: true,
      });
      const migrated =
        res.migratedFrom !== undefined ? ` (upgraded from format version ${res.migratedFrom})` : '';
      say('info', `Imported "${doc.name}" from ${fileName}${migrated}.`);
      await refresh();
    });
  }

  async function share(): Promise<void> {
    const doc = get().sessions.doc;
    if (!doc) return say('error', 'There is no session to share yet: train or open one.');
    let res;
    try {
      res = shareFragmentFor(doc);
    } catch (e) {
      return say('error', errorText(e));
    }
    if (!res.ok) return say('error', res.error);
    const url = `${env.baseUrl()}#${res.fragment}`;
    patch((s) => withSessions(s, () => ({ shareUrl: url })));
    const notes = [
      res.droppedRows
        ? `The dataset's rows were left out (too large for a link): whoever opens it will be asked for the file "${doc.dataset.name}".`
        : '',
      res.droppedCheckpoint ? 'The link does not carry the state needed to continue training.' : '',
    ].filter(Boolean);
    try {
      await env.copy(url);
      say('info', ['Share link copied to the clipboard.', ...notes].join(' '));
    } catch {
      say('info', ['Copy the share link below.', ...notes].join(' '));
    }
  }

  /** Opens a share link's session read-only (nothing is stored until "Save a copy"). */
  function openLink(fragment: string): void {
    const res = decodeShareFragment(fragment);
    if (!res.ok) return say('error', res.error);
    const doc = res.session;
    show(doc, {
      id: doc.id,
      name: doc.name,
      createdAt: doc.createdAt,
      readOnly: true,
      stored: false,
    });
    say(
      'info',
      `Viewing the shared session "${doc.name}" (read-only): "Save a copy" keeps it here.`,
    );
  }

  /** The dataset file(s) a session without rows asked for; the hash must match. */
  async function chooseDatasetFiles(
    files: { fileName: string; bytes: Uint8Array }[],
  ): Promise<void> {
    const { doc, datasetPrompt } = get().sessions;
    if (!doc || !datasetPrompt) return;
    const all = new Uint8Array(files.reduce((n, f) => n + f.bytes.length, 0));
    let o = 0;
    for (const f of files) {
      all.set(f.bytes, o);
      o += f.bytes.length;
    }
    let sha: string;
    try {
      sha = await sha256Hex(all);
    } catch (e) {
      return say('error', errorText(e));
    }
    if (sha !== datasetPrompt.sha256)
      return say(
        'error',
        `${files.map((f) => f.fileName).join(', ')} is not the dataset "${datasetPrompt.name}" of this session (its SHA-256 differs). Nothing was loaded.`,
      );
    patch((s) => withSessions(s, () => ({ datasetPrompt: null })));
    port.send({ type: 'load-session', doc, csvFiles: files });
    say('info', `The file matches the session's dataset "${datasetPrompt.name}".`);
  }

  function evaluate(): void {
    if (!get().sessions.doc) return say('error', 'There is no session to evaluate yet.');
    patch((s) => withSessions(s, () => ({ evaluating: true })));
    port.send({ type: 'evaluate-session', episodes: EVAL_EPISODES, steps: EVAL_STEPS });
  }

  const dismissMessage = () => patch((s) => withSessions(s, () => ({ message: null })));
  const checkpointNow = () => port.send({ type: 'checkpoint-now' });
  /** resolves when every write asked for so far has finished */
  const settled = () => writes;

  return {
    receive,
    refresh,
    open,
    resumeFromCheckpoint,
    dismissResume,
    save,
    rename,
    duplicate,
    remove,
    undoDelete,
    exportFile,
    importFile,
    share,
    openLink,
    chooseDatasetFiles,
    evaluate,
    dismissMessage,
    checkpointNow,
    settled,
  };
}

export type SessionActions = ReturnType<typeof createSessionActions>;
