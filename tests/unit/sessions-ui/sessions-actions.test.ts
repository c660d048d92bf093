// The session actions over a real store (fake-indexeddb), a fake worker port
// and a fake browser environment: autosave (the worker's Autosave writing to
// the same store, its events received by the page), resume,
// import / link refusals that change nothing, share, delete and undo.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { serializeSession, encodeShareFragment } from '../../../src/sessions/codec';
import { restoreSession } from '../../../src/sessions/restore';
import type { SessionDoc } from '../../../src/sessions/schema';
import { createSessionStore, type SessionStore } from '../../../src/sessions/store/index';
import { applyEvents } from '../../../src/store/reduce';
import { createSessionActions, fileNameFor } from '../../../src/store/sessions-actions';
import { initialState, type AppState } from '../../../src/store/slices';
import type { Command, WorkerEvent } from '../../../src/worker/protocol';
import { Autosave } from '../../../src/worker/autosave';
import { fixture } from '../sessions/fixtures';

function example(): SessionDoc {
  const r = restoreSession(fixture('v2-example'));
  if (!r.ok) throw new Error(r.error);
  return r.session;
}

let store: StoreApi<AppState>;
let sent: Command[];
let db: SessionStore;
let downloads: { name: string; bytes: Uint8Array }[];
let copied: string[];
let trains: number;
let clock: number;

function setup(factory = new IDBFactory()) {
  store = createStore<AppState>()(() => initialState());
  sent = [];
  downloads = [];
  copied = [];
  trains = 0;
  clock = Date.parse('2025-05-01T10:00:00.000Z');
  db = createSessionStore({ factory, now: () => clock++ });
  const acts = createSessionActions(
    store,
    { send: (c) => sent.push(c) },
    db,
    {
      download: (name, bytes) => downloads.push({ name, bytes }),
      copy: async (t) => {
        copied.push(t);
      },
      baseUrl: () => 'http://localhost/app?backend=wasm',
      now: () => new Date(clock),
    },
    () => trains++,
  );
  const receive = (events: WorkerEvent[]) => {
    store.setState(applyEvents(store.getState(), events, 0), true);
    acts.receive(events);
  };
  // The worker's side of autosave, writing into the same database.
  const worker = new Autosave(
    (e) => receive([e]),
    db,
    () => new Date(clock),
  );
  /** The worker saves `doc` as a checkpoint of `lineage` (final: the run ended). */
  const checkpoint = (doc: SessionDoc, lineage: number, final: boolean) =>
    worker.save({
      lineage,
      final,
      step: doc.checkpoint?.step ?? doc.history.stepsDone,
      label: `${doc.config.algorithm} on ${doc.dataset.name}`,
      build: () => doc,
    });
  return { acts, receive, factory, checkpoint, worker };
}

describe('session actions', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it('autosaves a new run: the session is stored and its checkpoint offered to resume', async () => {
    await t.checkpoint(example(), 1, false);
    await t.acts.settled();
    const s = store.getState().sessions;
    expect(s.current?.stored).toBe(true);
    expect(s.lastCheckpoint?.step).toBe(200);
    expect(s.list).toHaveLength(1);
    expect(s.resumable.map((r) => r.id)).toEqual([s.current?.id]);
    const cp = await db.getCheckpoint(s.current!.id);
    expect(cp?.best).toEqual(example().weights);
  });

  it('the final checkpoint saves the session, which is then not offered to resume', async () => {
    await t.checkpoint(example(), 1, false);
    await t.checkpoint(example(), 1, true);
    await t.acts.settled();
    expect(store.getState().sessions.list).toHaveLength(1);
    expect(store.getState().sessions.resumable).toHaveLength(0);
  });

  it('export and save during and after a run read the document the worker stored', async () => {
    const doc = example();
    await t.checkpoint(doc, 1, false);
    await t.acts.settled();
    expect(store.getState().sessions.doc).toBeNull();
    await t.acts.exportFile(false);
    const first = JSON.parse(new TextDecoder().decode(downloads[0]!.bytes)) as SessionDoc;
    expect(first.id).toBe(store.getState().sessions.current!.id);
    expect(first.checkpoint?.step).toBe(200);
    expect(first.history).toEqual(doc.history);
    await t.checkpoint(doc, 1, true);
    await t.acts.save();
    expect(store.getState().sessions.doc?.weights).toEqual(doc.weights);
    expect(store.getState().sessions.message?.text).toMatch(/^Saved "/);
  });

  it('a new lineage starts a new session; the same lineage writes into the same one', async () => {
    await t.checkpoint(example(), 1, false);
    await t.checkpoint(example(), 1, false);
    await t.checkpoint(example(), 2, true);
    await t.acts.settled();
    expect(store.getState().sessions.list).toHaveLength(2);
  });

  it('resume merges the checkpoint into the session, loads it and continues training', async () => {
    const doc = example();
    doc.config.metaSteps = 1000;
    await t.checkpoint(doc, 1, false);
    await t.acts.settled();
    const id = store.getState().sessions.current!.id;
    const fresh = setup(t.factory);
    await fresh.acts.refresh();
    expect(store.getState().sessions.resumable).toHaveLength(1);
    await fresh.acts.resumeFromCheckpoint(id);
    // a CSV session without rows would wait for its file; the fixture carries its rows.
    // It resumes on the backend it was recorded on (the fixture's "cpu"), switched before Train.
    expect(sent).toMatchObject([{ type: 'load-session' }, { type: 'init', backend: 'cpu' }]);
    expect(store.getState().backend.requested).toBe('cpu');
    expect(store.getState().sessions.message?.text).toMatch(
      /on CPU, the backend it was trained on/,
    );
    expect(trains).toBe(1);
    const s = store.getState();
    expect(s.run.status).toBe('stopped');
    expect(s.run.step).toBe(200);
    expect(s.history.train.length).toBe(doc.history.train.length);
  });

  it('resume on the backend already running sends no backend change', async () => {
    await t.checkpoint(
      { ...example(), config: { ...example().config, metaSteps: 1000 } },
      1,
      false,
    );
    await t.acts.settled();
    const id = store.getState().sessions.current!.id;
    const fresh = setup(t.factory);
    store.setState({ backend: { ...store.getState().backend, active: 'cpu' } });
    await fresh.acts.refresh();
    await fresh.acts.resumeFromCheckpoint(id);
    expect(sent.map((c) => c.type)).toEqual(['load-session']);
    expect(trains).toBe(1);
  });

  it('an image-set session asks for the zip or folder; the prompt stays until the worker loads it', async () => {
    const doc: SessionDoc = {
      ...example(),
      dataset: {
        source: 'images',
        name: 'letters',
        sha256: 'a'.repeat(64),
        schema: { kind: 'classification', mode: 'episodic' },
        normalization: null,
      },
    };
    await t.acts.importFile('letters.json', serializeSession(doc, { gzip: false }));
    expect(store.getState().sessions.datasetPrompt).toEqual({
      name: 'letters',
      sha256: 'a'.repeat(64),
    });
    const before = sent.length;
    const upload = { kind: 'folder' as const, name: 'letters', files: [] };
    t.acts.chooseImageSet(upload);
    expect(sent.slice(before)).toEqual([
      expect.objectContaining({ type: 'load-session', csvFiles: null, images: upload }),
    ]);
    // The worker refuses another set: its message shows and the prompt stays.
    t.receive([{ type: 'error', code: 'bad-config', message: 'The chosen folder is not it' }]);
    expect(store.getState().sessions.datasetPrompt).not.toBeNull();
    expect(store.getState().run.error?.message).toBe('The chosen folder is not it');
    const sessionId = store.getState().sessions.current!.id;
    t.receive([{ type: 'session-loaded', sessionId, lineage: 7, step: 1 }]);
    expect(store.getState().sessions.datasetPrompt).toBeNull();
    expect(store.getState().run.error).toBeNull();
  });

  it('a truncated file or a tampered link only sets a message; nothing stored changes', async () => {
    await t.acts.importFile('good.json', serializeSession(example(), { gzip: false }));
    const before = await db.listSessions();
    const bytes = serializeSession(example(), { gzip: true });
    await t.acts.importFile('cut.json.gz', bytes.subarray(0, bytes.length - 20));
    expect(store.getState().sessions.message).toMatchObject({ kind: 'error' });
    expect(store.getState().sessions.message?.text).toMatch(/cut\.json\.gz: .*truncated|damaged/);
    const frag = encodeShareFragment(example());
    await t.acts.openLink(frag.slice(0, 40) + (frag[40] === 'A' ? 'B' : 'A') + frag.slice(41));
    expect(store.getState().sessions.message?.kind).toBe('error');
    expect(await db.listSessions()).toEqual(before);
  });

  it('a newer version gets a clear message', async () => {
    const doc = { ...example(), version: 99 };
    await t.acts.importFile('new.json', new TextEncoder().encode(JSON.stringify(doc)));
    expect(store.getState().sessions.message?.text).toMatch(/newer version/);
  });

  it('imports another version of a stored session under a new id', async () => {
    await t.acts.importFile('a.json.gz', serializeSession(example(), { gzip: true }));
    const later = { ...example(), updatedAt: '2025-06-01T00:00:00.000Z' };
    await t.acts.importFile('b.json.gz', serializeSession(later, { gzip: true }));
    expect(await db.listSessions()).toHaveLength(2);
  });

  it('the same file imported twice is stored once, and the message says so', async () => {
    const bytes = serializeSession(example(), { gzip: true });
    await t.acts.importFile('a.json.gz', bytes);
    await t.acts.importFile('a.json.gz', bytes);
    expect(await db.listSessions()).toHaveLength(1);
    expect(store.getState().sessions.message?.text).toMatch(
      /^a\.json\.gz was imported before: ".*" is already saved/,
    );
    expect(store.getState().sessions.current?.id).toBe(example().id);
  });

  it('a link opens read-only and is stored only by "Save a copy"', async () => {
    await t.acts.openLink(encodeShareFragment(example()));
    expect(store.getState().sessions.current?.readOnly).toBe(true);
    expect(await db.listSessions()).toHaveLength(0);
    await t.acts.save();
    expect(await db.listSessions()).toHaveLength(1);
    expect(store.getState().sessions.current?.readOnly).toBe(false);
    expect(store.getState().sessions.current?.id).not.toBe(example().id);
  });

  it('a link is never retrained in place: "Save a copy and train" stores a copy, then trains', async () => {
    await t.acts.openLink(encodeShareFragment(example()));
    const meta = sent.length;
    await t.acts.saveCopyAndTrain();
    expect(trains).toBe(1);
    const s = store.getState().sessions;
    expect(s.current?.readOnly).toBe(false);
    expect(s.current?.id).not.toBe(example().id);
    expect((await db.listSessions()).map((x) => x.id)).toEqual([s.current?.id]);
    // The worker hears of the copy before the train command, so the run writes into it.
    expect(sent.slice(meta)).toContainEqual(
      expect.objectContaining({ type: 'session-meta', id: s.current?.id, persist: true }),
    );
  });

  it('"Save a copy and train" trains nothing when the copy cannot be saved', async () => {
    await t.acts.openLink(encodeShareFragment(example()));
    vi.spyOn(db, 'saveSession').mockRejectedValueOnce(new Error('quota exceeded'));
    await t.acts.saveCopyAndTrain();
    expect(trains).toBe(0);
    expect(store.getState().sessions.current?.readOnly).toBe(true);
    expect(store.getState().sessions.message).toMatchObject({ kind: 'error' });
  });

  it('share copies a link that opens the same session; export downloads the file', async () => {
    await t.acts.openLink(encodeShareFragment(example()));
    await t.acts.share();
    expect(copied[0]).toMatch(/^http:\/\/localhost\/app\?backend=wasm#s1\./);
    const again = restoreSession(JSON.parse(JSON.stringify(example())));
    expect(again.ok).toBe(true);
    await t.acts.exportFile(true);
    expect(downloads[0]?.name).toBe(fileNameFor(example().name, true));
  });

  it('delete, then undo', async () => {
    await t.acts.importFile('a.json', serializeSession(example(), { gzip: false }));
    const id = store.getState().sessions.list[0]!.id;
    await t.acts.remove(id);
    expect(store.getState().sessions.list).toHaveLength(0);
    expect(store.getState().sessions.deleted?.id).toBe(id);
    await t.acts.undoDelete();
    expect(store.getState().sessions.list).toHaveLength(1);
  });

  it('rename and duplicate', async () => {
    await t.acts.importFile('a.json', serializeSession(example(), { gzip: false }));
    const id = store.getState().sessions.list[0]!.id;
    await t.acts.rename(id, '  <b>plants</b> ');
    expect(store.getState().sessions.current?.name).toBe('<b>plants</b>');
    await t.acts.duplicate(id);
    expect(store.getState().sessions.list).toHaveLength(2);
  });

  it('a full disk is reported and the previous state stays', async () => {
    await t.acts.importFile('a.json', serializeSession(example(), { gzip: false }));
    const before = await db.listSessions();
    const full = Object.assign(new Error('The quota has been exceeded.'), {
      name: 'QuotaExceededError',
    });
    vi.spyOn(db, 'saveSession').mockRejectedValueOnce(full);
    await t.checkpoint(example(), 7, true);
    await t.acts.settled();
    expect(store.getState().sessions.message?.kind).toBe('error');
    expect(await db.listSessions()).toEqual(before);
  });

  it('evaluate asks the worker with the CLI protocol and stores the result', async () => {
    await t.acts.importFile('a.json', serializeSession(example(), { gzip: false }));
    t.acts.evaluate();
    expect(sent.at(-1)).toEqual({ type: 'evaluate-session', episodes: 100, steps: [0, 1, 10] });
    const evaluation = example().evaluation!;
    t.receive([{ type: 'session-evaluation', evaluation }]);
    await t.acts.settled();
    expect(store.getState().sessions.evaluation).toEqual(evaluation);
    expect(store.getState().sessions.evaluating).toBe(false);
  });
});

describe('fileNameFor', () => {
  it('keeps names safe for a file system', () => {
    expect(fileNameFor('maml on ../../etc', false)).toBe('maml-on-..-..-etc.json');
    expect(fileNameFor('///', true)).toBe('session.json.gz');
  });
});
