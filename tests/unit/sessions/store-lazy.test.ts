// The page's sessions store (lazySessionStore): the same API and errors as
// createSessionStore, with the store module loaded on the first call.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { SessionStoreError, createSessionStore, type SessionDoc } from '../../../src/sessions';
import { lazySessionStore } from '../../../src/sessions/store/lazy';
import { fixture } from './fixtures';

const T0 = Date.parse('2025-04-01T10:00:00.000Z');

function session(id: string): SessionDoc {
  return { ...(fixture('v2-example') as SessionDoc), id };
}

describe('lazySessionStore', () => {
  it('offers every method of the eager store', () => {
    const eager = Object.keys(createSessionStore({ factory: new IDBFactory() })).sort();
    expect(Object.keys(lazySessionStore({ factory: new IDBFactory() })).sort()).toEqual(eager);
  });

  it('closes without loading anything when nothing was asked yet', async () => {
    await expect(lazySessionStore({ factory: new IDBFactory() }).close()).resolves.toBeUndefined();
  });

  it('stores and reads back what the eager store sees, with its options', async () => {
    const factory = new IDBFactory();
    const lazy = lazySessionStore({ factory, now: () => T0 });
    const info = await lazy.saveSession(session('a'));
    expect(info).toMatchObject({ status: 'ok', id: 'a' });
    await lazy.renameSession('a', 'Renamed');
    await lazy.close();

    const eager = createSessionStore({ factory, now: () => T0 });
    expect((await eager.getSession('a'))?.name).toBe('Renamed');
    expect(await eager.listSessions()).toEqual(await lazy.listSessions());
    await Promise.all([eager.close(), lazy.close()]);
  });

  it('rejects with the store errors, reason included', async () => {
    const lazy = lazySessionStore({ factory: new IDBFactory() });
    const e: unknown = await lazy.renameSession('nope', 'x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SessionStoreError);
    expect((e as SessionStoreError).reason).toBe('not-found');
    await lazy.close();
  });
});
