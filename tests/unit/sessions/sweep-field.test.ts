/**
 * The optional `sweep` field of a session: it survives the file, the share
 * link and the browser store unchanged; files without it (older ones, v0)
 * still load; a damaged sweep is refused with a message that says where.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import {
  SESSION_VERSION,
  createSessionStore,
  decodeShareFragment,
  encodeShareFragment,
  parseSessionBytes,
  restoreSession,
  serializeSession,
  type SessionDoc,
  type StoredSweep,
} from '../../../src/sessions';
import { fixture } from './fixtures';

const sweep: StoredSweep = {
  sampler: 'tpe',
  seed: 1,
  space: {
    innerLr: { type: 'float', low: 0.001, high: 1, log: true },
    innerSteps: { type: 'int', low: 1, high: 5 },
    hidden: { type: 'categorical', choices: [[40, 40], [64]] },
  },
  pruning: { gracePeriod: 25, reductionFactor: 3 },
  metric: 'mse',
  trials: [
    {
      number: 0,
      params: { innerLr: 0.05, innerSteps: 4, hidden: [64] },
      state: 'complete',
      value: 4.3,
      bestStep: 150,
      steps: 150,
      seconds: 10.7,
    },
    {
      number: 1,
      params: { innerLr: 0.9, innerSteps: 1, hidden: [40, 40] },
      state: 'diverged',
      value: null,
      bestStep: 0,
      steps: 12,
      seconds: 1,
      message: 'diverged',
    },
    {
      number: 2,
      params: { innerLr: 0.002, innerSteps: 2, hidden: [64] },
      state: 'pruned',
      value: 80.1,
      bestStep: 25,
      steps: 25,
      seconds: 1,
    },
  ],
  best: 0,
};

function withSweep(): SessionDoc {
  return { ...(fixture('v2-example') as SessionDoc), sweep };
}

describe('session sweep field', () => {
  it('is optional: files of every version without it load, with no sweep', () => {
    // The field needs no format bump of its own: the current version is the v2 fixture's.
    expect(fixture('v2-example').version).toBe(SESSION_VERSION);
    for (const name of ['v0-example', 'v1-example', 'v2-example'] as const) {
      const r = restoreSession(fixture(name));
      expect(r.ok, name).toBe(true);
      expect(r.ok && r.session.sweep, name).toBeUndefined();
    }
  });

  it.each([false, true])('round-trips through a file (gzip: %s)', (gzip) => {
    const doc = withSweep();
    const back = parseSessionBytes(serializeSession(doc, { gzip }));
    expect(back).toEqual({ ok: true, session: doc });
  });

  it('round-trips through a share link', () => {
    const doc = withSweep();
    const back = decodeShareFragment(encodeShareFragment(doc));
    expect(back.ok && back.session.sweep).toEqual(sweep);
  });

  it('round-trips through the browser store', async () => {
    const store = createSessionStore({ factory: new IDBFactory(), now: () => 0 });
    const doc = withSweep();
    await store.saveSession(doc);
    expect((await store.getSession(doc.id))?.sweep).toEqual(sweep);
  });

  it('refuses a damaged sweep, naming the field', () => {
    const bad = { ...withSweep(), sweep: { ...sweep, sampler: 'bayes' } };
    const r = restoreSession(bad);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/sweep\.sampler/);
    const badTrial = {
      ...withSweep(),
      sweep: { ...sweep, trials: [{ ...sweep.trials[0], state: 'crashed' }] },
    };
    expect(restoreSession(badTrial).ok).toBe(false);
  });
});
