// The pure parts of the sessions slice: putting a session on screen, the
// worker's session events, and the dataset file a link could not carry.
import { describe, expect, it } from 'vitest';
import { sha256Hex, encodeShareFragment } from '../../../src/sessions/codec';
import { restoreSession } from '../../../src/sessions/restore';
import type { SessionDoc } from '../../../src/sessions/schema';
import { applyEvents } from '../../../src/store/reduce';
import { needsDatasetFile } from '../../../src/store/sessions-slice';
import { showSession } from '../../../src/store/show-session';
import { createSessionActions } from '../../../src/store/sessions-actions';
import { initialState, type AppState } from '../../../src/store/slices';
import type { Command } from '../../../src/worker/protocol';
import { createStore } from 'zustand/vanilla';
import { fixture } from '../sessions/fixtures';
import type { SessionStore } from '../../../src/sessions/store/index';

function example(): SessionDoc {
  const r = restoreSession(fixture('v2-example'));
  if (!r.ok) throw new Error(r.error);
  return r.session;
}

const ref = { id: 'abc', name: 'n', createdAt: '', readOnly: false, stored: true, lineage: null };

describe('showSession', () => {
  it('shows the curves up to the checkpoint and the run as stopped there', () => {
    const doc = example();
    const s = showSession(initialState(), doc, ref);
    expect(s.run.status).toBe('stopped');
    expect(s.run.step).toBe(doc.checkpoint!.step);
    expect(s.run.bestStep).toBe(doc.history.bestStep);
    expect(s.history.train).toHaveLength(doc.history.train.length);
    expect(s.history.validation).toHaveLength(doc.history.validation.length);
    expect(s.setup.config).toEqual(doc.config);
    expect(s.setup.runConfig).toEqual(doc.config);
    expect(s.sessions.evaluation).toEqual(doc.evaluation);
    expect(s.sessions.current).toEqual(ref);
    expect(s.sessions.datasetPrompt).toBeNull();
  });

  it('asks for the dataset file when a CSV session has no rows', () => {
    const doc = example();
    delete doc.dataset.rows;
    expect(needsDatasetFile(doc)).toBe(true);
    const s = showSession(initialState(), doc, ref);
    expect(s.sessions.datasetPrompt).toEqual({
      name: doc.dataset.name,
      sha256: doc.dataset.sha256,
    });
  });
});

describe('session events', () => {
  it('session-loaded tags the current session with its lineage; evaluation is kept', () => {
    let s: AppState = showSession(initialState(), example(), ref);
    s = applyEvents(s, [{ type: 'session-loaded', sessionId: 'abc', lineage: 4, step: 200 }], 0);
    expect(s.sessions.current?.lineage).toBe(4);
    s = applyEvents(s, [{ type: 'session-loaded', sessionId: 'other', lineage: 5, step: 0 }], 0);
    expect(s.sessions.current?.lineage).toBe(4);
    const evaluation = example().evaluation!;
    s = { ...s, sessions: { ...s.sessions, evaluating: true } };
    s = applyEvents(s, [{ type: 'session-evaluation', evaluation }], 0);
    expect(s.sessions.evaluating).toBe(false);
    expect(s.sessions.evaluation).toEqual(evaluation);
  });
});

describe('dataset file for a link without rows', () => {
  async function opened(sha: string) {
    const doc = example();
    delete doc.dataset.rows;
    doc.dataset.sha256 = sha;
    const store = createStore<AppState>()(() => initialState());
    const sent: Command[] = [];
    const acts = createSessionActions(
      store,
      { send: (c) => sent.push(c) },
      {} as SessionStore,
      { download: () => {}, copy: async () => {}, baseUrl: () => '' },
      () => {},
    );
    await acts.openLink(encodeShareFragment(doc));
    return { store, sent, acts };
  }
  const bytes = new TextEncoder().encode('task,x,y\n1,2,3\n');

  it('refuses a file whose hash differs, loading nothing', async () => {
    const { store, sent, acts } = await opened('0'.repeat(64));
    expect(sent).toEqual([]);
    await acts.chooseDatasetFiles([{ fileName: 'other.csv', bytes }]);
    expect(store.getState().sessions.message?.text).toMatch(/other\.csv is not the dataset/);
    expect(sent).toEqual([]);
    expect(store.getState().sessions.datasetPrompt).not.toBeNull();
  });

  it('loads the session with the file when the hash matches', async () => {
    const { store, sent, acts } = await opened(await sha256Hex(bytes));
    await acts.chooseDatasetFiles([{ fileName: 'plants.csv', bytes }]);
    expect(sent.map((c) => c.type)).toEqual(['load-session']);
    expect(store.getState().sessions.datasetPrompt).toBeNull();
  });
});
