// A full disk never leaves half a session: a write that fails with
// QuotaExceededError — thrown by put(), reported by the request, or raised
// when the transaction commits — aborts the whole transaction, leaves every
// record as it was, and reaches the caller as a StorageFullError.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  StorageFullError,
  createSessionStore,
  type SessionDoc,
  type SessionStore,
} from '../../../src/sessions';
import { openSessionDb, type StoreName } from '../../../src/sessions/store/db';
import { fixture } from './fixtures';

const STORES: StoreName[] = ['sessions', 'summaries', 'datasets', 'checkpoints', 'trash'];
const SESSION_FULL =
  'Browser storage is full: the session was not saved; your previous sessions are unchanged. ' +
  'Free space by deleting old sessions or export this one as a file.';

let factory: IDBFactory;
let clock: number;
let store: SessionStore;

beforeEach(() => {
  factory = new IDBFactory();
  clock = Date.parse('2025-04-01T10:00:00.000Z');
  store = createSessionStore({ factory, now: () => clock++ });
});

function session(id: string, patch: Partial<SessionDoc> = {}): SessionDoc {
  return { ...(fixture('v2-example') as SessionDoc), id, ...patch };
}

/** Every record of every object store. */
async function dump(): Promise<Record<string, unknown[]>> {
  const db = await openSessionDb(factory);
  const out: Record<string, unknown[]> = {};
  for (const name of STORES) out[name] = await db.getAll(name);
  db.close();
  return out;
}

/** fake-indexeddb internals used to fail a request or a commit the way a browser does. */
interface FakeTransaction {
  _execRequestAsync(op: { operation: () => unknown; source: unknown }): IDBRequest;
  _abort(errName: string): void;
}

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
const originalPut = IDBObjectStore.prototype.put;

/**
 * Makes put() into `target` fail with QuotaExceededError: thrown at once
 * ('throw'), as the request's error event ('request'), or by aborting the
 * transaction after the request succeeded, as a commit that ran out of
 * space does ('commit').
 */
function failPuts(target: StoreName, how: 'throw' | 'request' | 'commit'): void {
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args) {
    if (this.name !== target) return originalPut.apply(this, args);
    const tx = this.transaction as unknown as FakeTransaction;
    if (how === 'throw') throw quota();
    if (how === 'request') {
      return tx._execRequestAsync({
        operation: () => {
          throw quota();
        },
        source: this,
      }) as IDBRequest<IDBValidKey>;
    }
    const request = originalPut.apply(this, args);
    request.addEventListener('success', () => tx._abort('QuotaExceededError'));
    return request;
  };
}

afterEach(() => {
  IDBObjectStore.prototype.put = originalPut;
});

describe('session store: storage full', () => {
  it.each(['throw', 'request', 'commit'] as const)(
    'a new session that does not fit leaves storage as it was (%s)',
    async (how) => {
      await store.saveSession(session('a'));
      const before = await dump();
      const other = session('b', { dataset: { ...session('b').dataset, sha256: 'b'.repeat(64) } });

      failPuts('summaries', how); // the last put, after the rows and the session were written
      const e = await store.saveSession(other).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(StorageFullError);
      expect((e as StorageFullError).reason).toBe('full');
      expect((e as Error).message).toBe(SESSION_FULL);
      expect(await dump()).toEqual(before);

      // The connection is still good once space is available again.
      IDBObjectStore.prototype.put = originalPut;
      await store.saveSession(other);
      expect((await store.listSessions()).map((s) => s.id).sort()).toEqual(['a', 'b']);
    },
  );

  it('replacing a session that does not fit keeps the previous version', async () => {
    await store.saveSession(session('a'));
    const before = await dump();
    failPuts('sessions', 'request');
    await expect(store.saveSession(session('a', { name: 'Bigger' }))).rejects.toThrow(
      StorageFullError,
    );
    await expect(store.renameSession('a', 'Renamed')).rejects.toThrow(
      'Browser storage is full: the change was not saved',
    );
    expect(await dump()).toEqual(before);
    expect((await store.getSession('a'))!.name).toBe(session('a').name);
  });

  it('a checkpoint that does not fit keeps the previous one', async () => {
    const doc = session('a');
    await store.saveSession(doc);
    const history = { ...doc.history, stoppedReason: undefined };
    await store.saveCheckpoint('a', { checkpoint: doc.checkpoint!, history });
    const before = await dump();
    failPuts('checkpoints', 'commit');
    await expect(
      store.saveCheckpoint('a', {
        checkpoint: { ...doc.checkpoint!, step: 150 },
        history,
      }),
    ).rejects.toThrow(
      'Browser storage is full: training progress can no longer be saved for recovery',
    );
    expect(await dump()).toEqual(before);
    expect((await store.getCheckpoint('a'))!.checkpoint.step).toBe(200);
  });
});
