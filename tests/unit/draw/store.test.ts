/**
 * The draw-to-adapt store with a fake worker port: nothing is sent before a
 * model of a grayscale image task is kept and every symbol has an example;
 * a query drawn while one is in flight waits (only the latest) and goes when
 * the answer is in; only the latest answer is kept; a new model clears the
 * prediction and other data the examples. Also the worker session answers a
 * drawing without a model in words.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createDrawActions } from '../../../src/store/draw-actions';
import { drawReady } from '../../../src/store/draw-slice';
import { applyEvents } from '../../../src/store/reduce';
import { initialState, type AppState } from '../../../src/store/slices';
import type { Command, WorkerEvent } from '../../../src/worker/protocol';
import { WorkerSession } from '../../../src/worker/session';

const summary = {
  name: 'omniglot',
  kind: 'classification' as const,
  inputDim: 784,
  description: 'Omniglot',
  splitSizes: { train: 3472, val: 384, test: 2636 },
  imageShape: { height: 28, width: 28, channels: 1 as const },
};
const img = (v: number) => new Float32Array(784).fill(v);

function setup() {
  const store = createStore<AppState>()(() => initialState());
  const sent: Command[] = [];
  const acts = createDrawActions(store, { send: (c) => sent.push(c) });
  const receive = (events: WorkerEvent[]) =>
    store.setState(applyEvents(store.getState(), events, 0), true);
  return { store, sent, acts, receive };
}

const answer = (requestId: number, p: number[]): WorkerEvent => ({
  type: 'draw-prediction',
  requestId,
  ok: true,
  probabilities: p,
  predicted: p.indexOf(Math.max(...p)),
  adaptation: { kind: 'prototypes' },
  algorithm: 'protonet',
  ms: 3,
});

describe('draw actions', () => {
  it('sends the examples and the query once ready, one request at a time, keeping the latest answer', () => {
    const { store, sent, acts, receive } = setup();
    receive([{ type: 'data-loaded', summary }]);
    acts.setSymbols(2);
    acts.addExample(0, img(0.1), 28);
    acts.addExample(1, img(0.2), 28);
    acts.addExample(0, img(0.3), 28);
    acts.addExample(2, img(0.4), 28); // no symbol 3: ignored
    expect(store.getState().draw.examples.map((e) => e.symbol)).toEqual([0, 1, 0]);
    acts.classify(img(0.5));
    expect(sent).toEqual([]); // no model kept yet
    receive([{ type: 'done', reason: 'stopped', step: 20, bestStep: 20 }]);
    store.setState({ ...store.getState(), run: { ...store.getState().run, status: 'stopped' } });
    acts.classify(img(0.5));
    expect(sent).toHaveLength(1);
    const c = sent[0] as Extract<Command, { type: 'draw-classify' }>;
    expect(c).toMatchObject({
      type: 'draw-classify',
      requestId: 1,
      symbols: 2,
      supportSymbol: [0, 1, 0],
    });
    expect(c.support).toHaveLength(3 * 784);
    expect([c.support[0], c.support[784], c.support[2 * 784]]).toEqual([
      Math.fround(0.1),
      Math.fround(0.2),
      Math.fround(0.3),
    ]);
    // two more strokes while the first is in flight: only the last waits
    acts.classify(img(0.6));
    acts.classify(img(0.7));
    expect(sent).toHaveLength(1);
    expect(store.getState().draw.waiting?.[0]).toBe(Math.fround(0.7));
    receive([answer(1, [0.9, 0.1])]);
    expect(store.getState().draw.prediction?.predicted).toBe(0);
    acts.flush();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ requestId: 2 });
    expect((sent[1] as Extract<Command, { type: 'draw-classify' }>).query[0]).toBe(
      Math.fround(0.7),
    );
    receive([answer(1, [0.2, 0.8])]); // a stale answer is dropped
    expect(store.getState().draw.prediction?.probabilities).toEqual([0.9, 0.1]);
    receive([{ type: 'draw-prediction', requestId: 2, ok: false, message: 'no luck' }]);
    expect(store.getState().draw).toMatchObject({
      pending: false,
      prediction: null,
      error: 'no luck',
    });
  });

  it('forgets the prediction for a new model and the examples for other data', () => {
    const { store, acts, receive } = setup();
    receive([{ type: 'data-loaded', summary }]);
    acts.addExample(0, img(0.1), 28);
    acts.addExample(1, img(0.1), 28);
    acts.addExample(2, img(0.1), 28);
    expect(drawReady(store.getState().draw)).toBe(true);
    acts.removeExample(1);
    expect(drawReady(store.getState().draw)).toBe(false);
    acts.setSymbols(1); // below two: ignored
    expect(store.getState().draw.symbols).toBe(3);
    acts.setSymbols(2); // drops symbol 3's example
    expect(store.getState().draw.examples.map((e) => e.symbol)).toEqual([0]);
    store.setState({ ...store.getState(), draw: { ...store.getState().draw, error: 'x' } });
    receive([{ type: 'done', reason: 'finished', step: 5, bestStep: 5 }]);
    expect(store.getState().draw).toMatchObject({ error: null, examples: [{ symbol: 0 }] });
    receive([{ type: 'data-loaded', summary }]);
    expect(store.getState().draw.examples).toEqual([]);
    expect(store.getState().draw.symbols).toBe(2);
  });
});

describe('the worker session', () => {
  it('answers a drawing without a kept model in words', async () => {
    const events: WorkerEvent[] = [];
    const session = new WorkerSession((batch) => events.push(...batch));
    session.handle({
      type: 'draw-classify',
      requestId: 9,
      symbols: 2,
      support: img(0),
      supportSymbol: [0],
      query: img(0),
    });
    await session.idle();
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toContainEqual({
      type: 'draw-prediction',
      requestId: 9,
      ok: false,
      message: 'Train a model first (or open a session).',
    });
  });
});
