/**
 * The worker's autosave against a real session store (fake-indexeddb): a new
 * lineage becomes a stored session with a resumable checkpoint, later ones
 * overwrite the checkpoint, the final one saves the session; no event
 * carries a stored document; overtaken checkpoints are skipped, a
 * read-only session is never written, a deleted one is saved again, and a
 * failed write is reported, never thrown.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { restoreSession } from '../../../src/sessions/restore';
import type { SessionDoc } from '../../../src/sessions/schema';
import { createSessionStore } from '../../../src/sessions/store/index';
import { Autosave, type CheckpointJob } from '../../../src/worker/autosave';
import { fixture } from '../sessions/fixtures';
import { collector } from './pieces';

function example(): SessionDoc {
  const r = restoreSession(fixture('v2-example'));
  if (!r.ok) throw new Error(r.error);
  return r.session;
}

function setup(store = createSessionStore({ factory: new IDBFactory() })) {
  const c = collector();
  const autosave = new Autosave(c.post, store, () => new Date('2025-06-01T12:34:00Z'));
  let builds = 0;
  const job = (lineage: number, final: boolean, doc = example()): CheckpointJob => ({
    lineage,
    final,
    step: doc.checkpoint?.step ?? doc.history.stepsDone,
    label: 'maml on sinusoid',
    build: () => {
      builds++;
      return doc;
    },
  });
  return { c, autosave, store, job, builds: () => builds };
}

describe('Autosave (worker)', () => {
  it('stores a new run as a resumable session; no event carries the stored document', async () => {
    const t = setup();
    await t.autosave.save(t.job(1, false));
    const [cp] = t.c.of('checkpoint');
    expect(cp).toMatchObject({
      lineage: 1,
      final: false,
      step: 200,
      name: 'maml on sinusoid, 2025-06-01 12:34',
      stored: true,
      doc: null,
      error: null,
    });
    expect((await t.store.listResumable()).map((r) => r.id)).toEqual([cp!.sessionId]);
    expect((await t.store.getCheckpoint(cp!.sessionId))?.best).toEqual(example().weights);
    await t.autosave.save(t.job(1, true));
    const last = t.c.of('checkpoint').at(-1)!;
    expect(last.sessionId).toBe(cp!.sessionId);
    expect(last.doc).toBeNull();
    expect((await t.store.getSession(cp!.sessionId))?.history).toEqual(example().history);
    expect(await t.store.listResumable()).toEqual([]);
    await t.autosave.save(t.job(2, false));
    expect(t.c.of('checkpoint').at(-1)!.sessionId).not.toBe(cp!.sessionId);
    expect(await t.store.listSessions()).toHaveLength(2);
  });

  it('a run stopped at step 0 makes no session', async () => {
    const t = setup();
    await t.autosave.save({ ...t.job(1, true), step: 0 });
    expect(t.c.of('checkpoint')).toEqual([]);
    expect(await t.store.listSessions()).toHaveLength(0);
  });

  it('skips a checkpoint overtaken before its turn, never a final one', async () => {
    const t = setup();
    void t.autosave.save(t.job(1, false));
    void t.autosave.save(t.job(1, false));
    void t.autosave.save(t.job(1, true));
    await t.autosave.save(t.job(1, false));
    // the first two were overtaken before their turn (nothing built); the final and the last ran
    expect(t.c.of('checkpoint').map((e) => e.final)).toEqual([true, false]);
    expect(t.builds()).toBe(2);
  });

  it('never writes a read-only session, but follows it once saved as a copy', async () => {
    const t = setup();
    const doc = example();
    t.autosave.adopt(5, { id: doc.id, name: doc.name, createdAt: doc.createdAt, persist: false });
    await t.autosave.save(t.job(5, false));
    expect(t.c.of('checkpoint')[0]).toMatchObject({ sessionId: doc.id, stored: false });
    expect(await t.store.listSessions()).toEqual([]);
    t.autosave.rename(doc.id, {
      id: 'copy-1',
      name: 'mine',
      createdAt: doc.createdAt,
      persist: true,
    });
    await t.autosave.save(t.job(5, false));
    expect(t.c.of('checkpoint')[1]).toMatchObject({
      sessionId: 'copy-1',
      name: 'mine',
      stored: true,
    });
    expect((await t.store.listSessions()).map((s) => s.id)).toEqual(['copy-1']);
  });

  it('saves a session deleted mid-run again at its next checkpoint', async () => {
    const t = setup();
    await t.autosave.save(t.job(1, false));
    const id = t.c.of('checkpoint')[0]!.sessionId;
    await t.store.deleteSession(id);
    await t.autosave.save(t.job(1, false));
    expect(t.c.of('checkpoint')[1]).toMatchObject({ stored: true, error: null });
    expect((await t.store.listSessions()).map((s) => s.id)).toEqual([id]);
  });

  it('reports a failed write in the event and keeps going', async () => {
    const t = setup();
    const full = Object.assign(new Error('The quota has been exceeded.'), {
      name: 'QuotaExceededError',
    });
    vi.spyOn(t.store, 'saveSession').mockRejectedValueOnce(full);
    await t.autosave.save(t.job(1, true));
    expect(t.c.of('checkpoint')[0]!.error).toMatch(/^Autosave failed: /);
    expect(t.c.of('checkpoint')[0]!.stored).toBe(false);
    await t.autosave.save(t.job(1, true));
    expect(t.c.of('checkpoint')[1]).toMatchObject({ stored: true, error: null });
  });

  it('without a store nothing is written and the final event still carries the document', async () => {
    const c = collector();
    const a = new Autosave(c.post, null);
    await a.save({ lineage: 1, final: true, step: 3, label: 'x', build: example });
    expect(c.of('checkpoint')[0]).toMatchObject({ stored: false, error: null });
    expect(c.of('checkpoint')[0]!.doc?.history).toEqual(example().history);
  });
});
