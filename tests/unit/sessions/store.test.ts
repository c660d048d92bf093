// The IndexedDB session store on fake-indexeddb: round trips, shared dataset
// rows and their garbage collection, rename / duplicate / delete / undo /
// purge, damaged and older-version records. Each test gets a fresh IDBFactory
// (an empty browser profile) and a clock it controls.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  SessionStoreError,
  createSessionStore,
  decodeWeights,
  type SessionDoc,
  type SessionStore,
} from '../../../src/sessions';
import { openSessionDb, type SessionDb } from '../../../src/sessions/store/db';
import { copyName } from '../../../src/sessions/store/sessions';
import { fixture } from './fixtures';
import { SESSION_VERSION } from '../../../src/sessions/limits';

const T0 = Date.parse('2025-04-01T10:00:00.000Z');
const SHA = '9c805c289c45c9443af31a8cc8831a5d6bd899e338ebfa118f37d1eec8fc20c2';

let factory: IDBFactory;
let clock: number;
let store: SessionStore;

beforeEach(() => {
  factory = new IDBFactory();
  clock = T0;
  store = createSessionStore({ factory, now: () => clock });
});

/** The v1 fixture under another id (and optionally other fields). */
function session(id: string, patch: Partial<SessionDoc> = {}): SessionDoc {
  return { ...(fixture('v2-example') as SessionDoc), id, ...patch };
}

/** A second connection to the same database, to look at or tamper with the records. */
function raw(): Promise<SessionDb> {
  return openSessionDb(factory);
}

async function count(name: 'sessions' | 'summaries' | 'datasets' | 'trash'): Promise<number> {
  const db = await raw();
  try {
    return await db.count(name);
  } finally {
    db.close();
  }
}

async function storeError(p: Promise<unknown>): Promise<SessionStoreError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof SessionStoreError))
    throw new Error(`expected a SessionStoreError, got ${String(e)}`);
  return e;
}

describe('session store: save, list, get', () => {
  it('round-trips a session bit for bit, with its dataset rows', async () => {
    const doc = session('a');
    const info = await store.saveSession(doc);
    expect(info).toMatchObject({ status: 'ok', id: 'a', name: doc.name, stepsDone: 200 });

    const back = await store.getSession('a');
    expect(back).toEqual(doc);
    const bits = (w: SessionDoc['weights']) =>
      decodeWeights(w!).map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)));
    expect(bits(back!.weights)).toEqual(bits(doc.weights));
    expect(back!.dataset.rows).toEqual(doc.dataset.rows);
    expect(await store.getSession('missing')).toBeNull();
  });

  it('lists summaries newest first, with the best metric', async () => {
    // 'old' sorts after 'mid' as text but is an hour earlier: order is by time, not by text.
    await store.saveSession(session('old', { updatedAt: '2025-01-15T01:00:00.000+02:00' }));
    await store.saveSession(session('new', { updatedAt: '2025-02-01T00:00:00.000Z' }));
    await store.saveSession(session('mid', { updatedAt: '2025-01-15T00:00:00.000Z' }));
    const list = await store.listSessions();
    expect(list.map((s) => s.id)).toEqual(['new', 'mid', 'old']);
    expect(list[0]).toEqual({
      status: 'ok',
      id: 'new',
      name: 'Plant growth, 5-shot MAML',
      datasetName: 'plants.csv',
      algorithm: 'maml',
      createdAt: '2025-03-14T09:26:53.589Z',
      updatedAt: '2025-02-01T00:00:00.000Z',
      stepsDone: 200,
      best: { kind: 'mse', value: 0.55, source: 'evaluation', step: 10 },
      hasWeights: true,
    });
  });

  it('refuses an invalid document and writes nothing', async () => {
    const bad = session('bad', { name: '' });
    await expect(store.saveSession(bad)).rejects.toThrow(
      'Refusing to save an invalid session: name: expected non-empty text',
    );
    expect(await store.listSessions()).toEqual([]);
  });

  it('keeps names as plain strings', async () => {
    const name = '<img src=x onerror=alert(1)> & "quotes"';
    await store.saveSession(session('h', { name }));
    expect((await store.getSession('h'))!.name).toBe(name);
    expect((await store.listSessions())[0]).toMatchObject({ name });
  });
});

describe('session store: shared dataset rows', () => {
  it('stores rows once per sha256 and removes them with the last reference', async () => {
    await store.saveSession(session('a'));
    await store.saveSession(session('b', { name: 'Same data' }));
    expect(await count('datasets')).toBe(1);
    const db = await raw();
    const records = await db.getAll('sessions');
    db.close();
    for (const r of records) {
      expect(r.datasetSha).toBe(SHA);
      expect((r.doc as SessionDoc).dataset.rows).toBeUndefined();
    }

    await store.deleteSession('a');
    expect(await store.purgeTrash(0)).toBe(1);
    expect(await count('datasets')).toBe(1); // 'b' still uses them
    expect((await store.getSession('b'))!.dataset.rows).toEqual(session('b').dataset.rows);

    await store.deleteSession('b');
    expect(await count('datasets')).toBe(1); // the trash entry still refers to them
    await store.purgeTrash(0);
    expect(await count('datasets')).toBe(0);
    expect(await count('sessions')).toBe(0);
    expect(await count('summaries')).toBe(0);
  });

  it('releases rows when a session is saved again without them', async () => {
    await store.saveSession(session('a'));
    const lean = session('a');
    delete lean.dataset.rows;
    await store.saveSession(lean);
    expect(await count('datasets')).toBe(0);
    expect(await store.getSession('a')).toEqual(lean);
  });

  it('never gives a session the rows of another that has the same hash', async () => {
    const other = session('b');
    other.dataset.rows![0]!.rows[0]![1] = '9.99';
    await store.saveSession(session('a'));
    await store.saveSession(other);
    expect(await count('datasets')).toBe(1);
    expect(await store.getSession('a')).toEqual(session('a'));
    expect(await store.getSession('b')).toEqual(other);
  });

  it('replaces its own rows when nobody else uses them', async () => {
    await store.saveSession(session('a'));
    const reparsed = session('a');
    reparsed.dataset.rows![0]!.rows[0]![1] = '9.99';
    await store.saveSession(reparsed);
    const db = await raw();
    expect((await db.get('sessions', 'a'))!.datasetSha).toBe(SHA);
    expect(JSON.parse((await db.get('datasets', SHA))!.json)).toEqual(reparsed.dataset.rows);
    db.close();
    expect(await store.getSession('a')).toEqual(reparsed);
  });
});

describe('session store: rename, duplicate, delete, undo, purge', () => {
  it('renames and stamps updatedAt', async () => {
    await store.saveSession(session('a'));
    clock = T0 + 60_000;
    const info = await store.renameSession('a', 'Renamed');
    expect(info).toMatchObject({ name: 'Renamed', updatedAt: '2025-04-01T10:01:00.000Z' });
    const back = await store.getSession('a');
    expect(back).toEqual({
      ...session('a'),
      name: 'Renamed',
      updatedAt: '2025-04-01T10:01:00.000Z',
    });
    await expect(store.renameSession('a', '')).rejects.toThrow('name: expected non-empty text');
    expect((await store.getSession('a'))!.name).toBe('Renamed');
    expect((await storeError(store.renameSession('nope', 'x'))).reason).toBe('not-found');
  });

  it('duplicates under a new id, sharing the rows', async () => {
    await store.saveSession(session('a'));
    clock = T0 + 1000;
    const copy = await store.duplicateSession('a');
    expect(copy.id).not.toBe('a');
    expect(copy).toMatchObject({
      name: 'Plant growth, 5-shot MAML (copy)',
      createdAt: '2025-04-01T10:00:01.000Z',
      updatedAt: '2025-04-01T10:00:01.000Z',
    });
    const back = await store.getSession(copy.id);
    expect(back).toEqual({
      ...session(copy.id),
      name: copy.name,
      createdAt: copy.createdAt,
      updatedAt: copy.updatedAt,
    });
    expect(await count('datasets')).toBe(1);
    const named = await store.duplicateSession('a', 'Second try');
    expect(named.name).toBe('Second try');
    expect((await store.listSessions()).length).toBe(3);
  });

  it('shortens a long name for the copy without splitting a character', () => {
    const long = 'x'.repeat(192) + '😀😀';
    const name = copyName(long);
    expect(name.length).toBeLessThanOrEqual(200);
    expect(name).toBe('x'.repeat(192) + ' (copy)');
  });

  it('deletes to the trash, undoes, and purges by age', async () => {
    await store.saveSession(session('a'));
    await store.saveSession(session('b'));
    clock = T0 + 1000;
    await store.deleteSession('a');
    expect((await store.listSessions()).map((s) => s.id)).toEqual(['b']);
    expect(await store.getSession('a')).toBeNull();
    expect(await store.listTrash()).toMatchObject([
      { summary: { id: 'a', status: 'ok' }, deletedAt: '2025-04-01T10:00:01.000Z' },
    ]);

    expect(await store.undoDelete('a')).toMatchObject({ id: 'a', status: 'ok' });
    expect(await store.getSession('a')).toEqual(session('a'));
    expect(await store.listTrash()).toEqual([]);
    expect((await storeError(store.undoDelete('a'))).reason).toBe('not-found');
    expect((await storeError(store.deleteSession('zzz'))).reason).toBe('not-found');

    await store.deleteSession('a');
    clock = T0 + 10_000;
    expect(await store.purgeTrash(60_000)).toBe(0); // deleted 9 s ago: kept
    expect(await store.purgeTrash(5_000)).toBe(1);
    expect(await store.listTrash()).toEqual([]);
    expect(await count('trash')).toBe(0);
    await expect(store.purgeTrash(-1)).rejects.toThrow(RangeError);
  });

  it('saving a session again supersedes its trashed copy', async () => {
    await store.saveSession(session('a'));
    await store.deleteSession('a');
    await store.saveSession(session('a', { name: 'Back' }));
    expect(await count('trash')).toBe(0);
    expect((await storeError(store.undoDelete('a'))).reason).toBe('not-found');
    expect(await count('datasets')).toBe(1);
  });
});

describe('session store: damaged and older records', () => {
  it('refuses a tampered session clearly and still lists the others', async () => {
    await store.saveSession(session('good'));
    await store.saveSession(session('bad'));
    const db = await raw();
    await db.put('sessions', { id: 'bad', doc: { ...session('bad'), config: 'garbage' } });
    db.close();

    const e = await storeError(store.getSession('bad'));
    expect(e.reason).toBe('damaged');
    expect(e.message).toBe(
      'The saved copy is unreadable. This session could not be opened: config: expected an object (got "garbage")',
    );
    expect(await store.getSession('good')).toEqual(session('good'));
    expect((await store.listSessions()).map((s) => s.id).sort()).toEqual(['bad', 'good']);
    // A damaged session can still be deleted and purged.
    await store.deleteSession('bad');
    await store.purgeTrash(0);
    expect((await store.listSessions()).map((s) => s.id)).toEqual(['good']);
  });

  it('lists a session whose summary and record are both garbage as damaged', async () => {
    await store.saveSession(session('good'));
    const db = await raw();
    await db.put('sessions', { id: 'junk', doc: 'not a session' });
    await db.put('summaries', { id: 'junk', updatedAtMs: 5 } as never);
    await db.put('summaries', { id: 'orphan', updatedAtMs: 9 } as never);
    db.close();
    const list = await store.listSessions();
    expect(list).toEqual([
      expect.objectContaining({ id: 'good', status: 'ok' }),
      {
        status: 'damaged',
        id: 'junk',
        problem:
          'The saved copy is unreadable. This is not a session: expected a JSON object at the top level.',
      },
    ]);
  });

  it('rebuilds a missing summary from the session record', async () => {
    await store.saveSession(session('a'));
    const db = await raw();
    await db.delete('summaries', 'a');
    db.close();
    expect(await store.listSessions()).toEqual([
      expect.objectContaining({ id: 'a', status: 'ok', name: 'Plant growth, 5-shot MAML' }),
    ]);
  });

  it('undo never lets a damaged trash entry overwrite another session', async () => {
    await store.saveSession(session('a'));
    await store.saveSession(session('b'));
    await store.deleteSession('b');
    const db = await raw();
    const entry = (await db.get('trash', 'b'))!;
    await db.put('trash', { ...entry, summary: { ...entry.summary!, id: 'a', name: 'Impostor' } });
    db.close();
    expect(await store.undoDelete('b')).toMatchObject({ id: 'b', status: 'ok' });
    const names = (await store.listSessions()).map((s) => [s.id, s.status === 'ok' && s.name]);
    expect(names.sort()).toEqual([
      ['a', 'Plant growth, 5-shot MAML'],
      ['b', 'Plant growth, 5-shot MAML'],
    ]);
  });

  it('reports missing dataset rows instead of opening the session without them', async () => {
    await store.saveSession(session('a'));
    const db = await raw();
    await db.delete('datasets', SHA);
    db.close();
    const e = await storeError(store.getSession('a'));
    expect(e.reason).toBe('damaged');
    expect(e.message).toContain(
      'its dataset rows (SHA-256 9c805c289c45…) are missing from storage',
    );
    expect((await storeError(store.duplicateSession('a'))).reason).toBe('damaged');
  });

  it('migrates a stored version-0 record on read, and upgrades it on rename', async () => {
    const v0 = fixture('v0-example');
    const db = await raw();
    await db.put('sessions', { id: v0.id, doc: v0 });
    db.close();

    const s = await store.getSession(v0.id);
    expect(s).toMatchObject({
      version: SESSION_VERSION,
      id: v0.id,
      name: 'Sinusoid warm-up',
      backend: 'unknown',
    });
    expect((await store.listSessions())[0]).toMatchObject({
      id: v0.id,
      status: 'ok',
      stepsDone: 5,
    });

    await store.renameSession(v0.id, 'Sinusoid, upgraded');
    const db2 = await raw();
    expect((await db2.get('sessions', v0.id))!.doc).toMatchObject({ version: SESSION_VERSION });
    db2.close();
  });
});
