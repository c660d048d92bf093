/**
 * The adaptation actions with a fake worker port: one automatic adaptation
 * per new model, support edits sending the edited set, nothing sent while a
 * job runs or while training is under way, and Evaluate sending its request.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createAdaptationActions } from '../../../src/store/adaptation-actions';
import { applyEvents } from '../../../src/store/reduce';
import { initialState, type AppState } from '../../../src/store/slices';
import type { Command } from '../../../src/worker/protocol';

function setup() {
  const store = createStore<AppState>()(() => initialState());
  const sent: Command[] = [];
  const acts = createAdaptationActions(store, { send: (c) => sent.push(c) });
  const receive = (events: Parameters<typeof applyEvents>[1]) =>
    store.setState(applyEvents(store.getState(), events, 0), true);
  return { store, sent, acts, receive };
}

describe('adaptation actions', () => {
  it('adapts once per new model, edits support, evaluates, and waits while busy', () => {
    const { store, sent, acts, receive } = setup();
    acts.adaptIfNew();
    expect(sent).toEqual([]); // no model yet
    receive([{ type: 'done', reason: 'finished', step: 5, bestStep: 5 }]);
    store.setState({ ...store.getState(), run: { ...store.getState().run, status: 'done' } });
    acts.adaptIfNew();
    acts.adaptIfNew();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'adapt', requestId: 1, support: null, steps: 10 });
    acts.addPoint(1, 2); // ignored: the adaptation is pending
    expect(sent).toHaveLength(1);
    receive([
      {
        type: 'adaptation',
        requestId: 1,
        kind: 'regression',
        inputDim: 1,
        metric: 'mse',
        steps: 10,
        innerLr: 0.01,
        taskLabel: 't',
        params: null,
        support: { x: Float32Array.of(0), y: Float32Array.of(1) },
        query: { x: new Float32Array(0), y: new Float32Array(0) },
        grid: Float32Array.of(0, 1),
        truth: null,
        models: [],
        edited: false,
      },
    ]);
    acts.addPoint(-1, 2);
    expect(sent[1]).toMatchObject({
      type: 'adapt',
      requestId: 2,
      support: { x: [-1, 0], y: [2, 1] },
    });
    receive([{ type: 'error', code: 'internal', message: 'boom' }]);
    expect(store.getState().adaptation).toMatchObject({ pending: null, error: 'boom' });
    acts.evaluate(600, 10);
    expect(sent[2]).toEqual({ type: 'evaluate', episodes: 600, steps: 10 });
    store.setState({ ...store.getState(), run: { ...store.getState().run, status: 'training' } });
    acts.setStep(3);
    acts.adapt();
    expect(sent).toHaveLength(3); // training: nothing sent
    expect(store.getState().adaptation.step).toBe(3);
  });
});
