// Autosave checkpoints of the session store (round trip, resumable after a
// reload, cleanup with the session) and the guarded storage estimate.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  SessionFormatError,
  SessionStoreError,
  createSessionStore,
  type AutosaveCheckpoint,
  type SessionDoc,
  type SessionStore,
} from '../../../src/sessions';
import { openSessionDb } from '../../../src/sessions/store/db';
import { fixture } from './fixtures';

const T0 = Date.parse('2025-04-01T10:00:00.000Z');

let factory: IDBFactory;
let clock: number;
let store: SessionStore;

beforeEach(() => {
  factory = new IDBFactory();
  clock = T0;
  store = createSessionStore({ factory, now: () => clock });
});

function session(id: string): SessionDoc {
  return { ...(fixture('v2-example') as SessionDoc), id };
}

/** The autosave of a run that has reached `step` (the fixture's checkpoint, moved on). */
function autosave(step: number): AutosaveCheckpoint {
  const doc = session('x');
  return {
    checkpoint: { ...doc.checkpoint!, step },
    history: {
      ...doc.history,
      bestStep: Math.min(doc.history.bestStep, step),
      stepsDone: step,
      stoppedReason: undefined,
    },
  };
}

describe('session store: autosave checkpoints', () => {
  it('round-trips a checkpoint and offers to resume it', async () => {
    await store.saveSession(session('a'));
    await store.saveSession(session('b'));
    clock = T0 + 5000;
    await store.saveCheckpoint('a', autosave(250));

    const back = await store.getCheckpoint('a');
    expect(back).toEqual({
      checkpoint: autosave(250).checkpoint,
      history: { ...autosave(250).history },
      savedAt: '2025-04-01T10:00:05.000Z',
    });
    expect(back!.checkpoint.weights.base64).toBe(session('a').checkpoint!.weights.base64);
    expect(await store.getCheckpoint('b')).toBeNull();

    expect(await store.listResumable()).toEqual([
      {
        id: 'a',
        name: 'Plant growth, 5-shot MAML',
        step: 250,
        savedStepsDone: 200,
        checkpointAt: '2025-04-01T10:00:05.000Z',
      },
    ]);

    // A rename saves no progress: the checkpoint stays resumable.
    clock = T0 + 6000;
    await store.renameSession('a', 'Renamed');
    expect((await store.listResumable()).map((r) => [r.id, r.name])).toEqual([['a', 'Renamed']]);

    // Saving the session (with its progress) makes the checkpoint old news.
    clock = T0 + 7000;
    await store.saveSession(session('a'));
    expect(await store.listResumable()).toEqual([]);

    await store.clearCheckpoint('a');
    expect(await store.getCheckpoint('a')).toBeNull();
  });

  it('overwrites the previous checkpoint', async () => {
    await store.saveSession(session('a'));
    clock += 1;
    await store.saveCheckpoint('a', autosave(210));
    clock += 1;
    await store.saveCheckpoint('a', autosave(220));
    expect((await store.getCheckpoint('a'))!.checkpoint.step).toBe(220);
    expect((await store.listResumable()).map((r) => r.step)).toEqual([220]);
  });

  it('needs a saved session and a valid checkpoint', async () => {
    const e = await store.saveCheckpoint('ghost', autosave(10)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SessionStoreError);
    expect((e as SessionStoreError).reason).toBe('not-found');

    await store.saveSession(session('a'));
    const late = autosave(300);
    late.history.stepsDone = 100;
    await expect(store.saveCheckpoint('a', late)).rejects.toThrow(SessionFormatError);
    await expect(store.saveCheckpoint('a', late)).rejects.toThrow(
      'checkpoint.step: the checkpoint is later than the last step of the history',
    );
  });

  it('hides the checkpoint of a deleted session and drops it on purge', async () => {
    await store.saveSession(session('a'));
    clock += 1;
    await store.saveCheckpoint('a', autosave(250));
    await store.deleteSession('a');
    expect(await store.listResumable()).toEqual([]);
    await store.undoDelete('a');
    expect((await store.listResumable()).map((r) => r.id)).toEqual(['a']);
    await store.deleteSession('a');
    await store.purgeTrash(0);
    const db = await openSessionDb(factory);
    expect(await db.count('checkpoints')).toBe(0);
    db.close();
  });

  it('reports a damaged checkpoint instead of resuming from it', async () => {
    await store.saveSession(session('a'));
    const db = await openSessionDb(factory);
    await db.put('checkpoints', { id: 'a', writtenAt: T0 + 1, step: 3, value: { step: 'x' } });
    db.close();
    const e = await store.getCheckpoint('a').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SessionStoreError);
    expect((e as SessionStoreError).reason).toBe('damaged');
    expect((e as Error).message).toMatch(/^The training progress saved for recovery is unreadable/);
  });
});

describe('session store: storage estimate', () => {
  it('answers nulls where there is no StorageManager (Node)', async () => {
    expect(await store.storageEstimate()).toEqual({ usage: null, quota: null, persisted: null });
    expect(await store.requestPersistence()).toBeNull();
  });

  it('reads navigator.storage when it exists, and never throws', async () => {
    const working = createSessionStore({
      factory,
      storage: {
        estimate: async () => ({ usage: 1234, quota: 10_000 }),
        persisted: async () => false,
        persist: async () => true,
      },
    });
    expect(await working.storageEstimate()).toEqual({
      usage: 1234,
      quota: 10_000,
      persisted: false,
    });
    expect(await working.requestPersistence()).toBe(true);

    const broken = createSessionStore({
      factory,
      storage: {
        estimate: () => Promise.reject(new Error('no')),
        persisted: () => {
          throw new Error('sync no');
        },
      },
    });
    expect(await broken.storageEstimate()).toEqual({ usage: null, quota: null, persisted: null });
    expect(await broken.requestPersistence()).toBeNull();
  });

  it('rejects every call with a clear message where IndexedDB is missing', async () => {
    // The global fake indexedDB would be picked up; pretend it is absent.
    const saved = globalThis.indexedDB;
    // @ts-expect-error -- simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const bare = createSessionStore();
      const e = await bare.listSessions().catch((err: unknown) => err);
      expect(e).toBeInstanceOf(SessionStoreError);
      expect((e as SessionStoreError).reason).toBe('unavailable');
      expect((e as Error).message).toBe(
        'Saved sessions cannot be opened: this browser offers no IndexedDB storage (some private windows do not). Export sessions as files to keep them.',
      );
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});
