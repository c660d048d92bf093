/**
 * The data picture in the store (src/store/preview-slice.ts, preview-sync.ts):
 * which picture the page wants, a request only after edits have settled,
 * never the same picture twice in a row, and an answer kept only when it
 * answers the latest request.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { applyEvents } from '../../../src/store/reduce';
import { initialState, type AppState } from '../../../src/store/slices';
import { keepPreview, previewRequestOf, type Timers } from '../../../src/store/preview-sync';
import type { Command, DataSummary, WorkerEvent } from '../../../src/worker/protocol';
import { builtinPreview } from '../../../src/core/data/preview';

const sinusoid: DataSummary = {
  name: 'sinusoid',
  kind: 'regression',
  inputDim: 1,
  description: '',
  splitSizes: { train: null, val: null, test: null },
};

/** Timers that fire only when the test moves the clock. */
class FakeTime implements Timers {
  now = 0;
  private jobs = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.jobs.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.jobs.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, j] of [...this.jobs]) {
      if (j.at > this.now) continue;
      this.jobs.delete(id);
      j.fn();
    }
  }
}

function setup() {
  const store = createStore<AppState>()(() => initialState());
  const sent: Extract<Command, { type: 'preview' }>[] = [];
  const time = new FakeTime();
  const stop = keepPreview(store, { send: (c) => c.type === 'preview' && sent.push(c) }, 100, time);
  const receive = (...events: WorkerEvent[]) => store.setState((s) => applyEvents(s, events, 0));
  const config = (patch: Partial<AppState['setup']['config']>) =>
    store.setState((s) => ({ setup: { ...s.setup, config: { ...s.setup.config, ...patch } } }));
  return { store, sent, time, stop, receive, config };
}

describe('previewRequestOf', () => {
  it('asks for the family in use with the seed and episode shape; nothing without data', () => {
    const s = initialState();
    expect(previewRequestOf(s)).toBeNull();
    const withData = { ...s, setup: { ...s.setup, data: sinusoid } };
    const { seed, shots, ways, queries } = s.setup.config;
    expect(previewRequestOf(withData)).toEqual({
      kind: 'builtin',
      family: 'sinusoid',
      seed,
      shots,
      ways,
      queries,
    });
  });

  it('asks for an uploaded CSV only while the staged upload is the one in use', () => {
    const s = initialState();
    const csvData = { ...sinusoid, limits: { shots: 5, ways: null, queries: 5 } };
    const staged = { uploadId: 4 } as AppState['csv']['staged'];
    const base = { ...s, setup: { ...s.setup, data: csvData } };
    expect(previewRequestOf({ ...base, csv: { ...s.csv, staged, inUse: true } })).toEqual({
      kind: 'csv',
      uploadId: 4,
    });
    expect(previewRequestOf({ ...base, csv: { ...s.csv, staged, inUse: false } })).toBeNull();
  });
});

describe('keepPreview', () => {
  it('asks once the edits have settled, and not again for the same picture', () => {
    const t = setup();
    t.receive({ type: 'data-loaded', summary: sinusoid });
    expect(t.sent).toHaveLength(0);
    t.time.advance(100);
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]).toMatchObject({ id: 1, request: { kind: 'builtin', seed: 1 } });
    // a burst of seed edits ends on seed 9: one request, for seed 9
    for (const seed of [2, 3, 9]) {
      t.config({ seed });
      t.time.advance(50);
    }
    expect(t.sent).toHaveLength(1);
    t.time.advance(50);
    expect(t.sent.map((c) => c.request)).toMatchObject([{ seed: 1 }, { seed: 9 }]);
    // back and forth to the picture already asked for: nothing new
    t.config({ seed: 4 });
    t.config({ seed: 9 });
    t.time.advance(500);
    expect(t.sent).toHaveLength(2);
    expect(t.store.getState().preview.requestId).toBe(2);
    t.stop();
    t.config({ seed: 5 });
    t.time.advance(500);
    expect(t.sent).toHaveLength(2);
  });

  it('keeps the answer to the latest request only', () => {
    const t = setup();
    t.receive({ type: 'data-loaded', summary: sinusoid });
    t.time.advance(100);
    t.config({ seed: 2 });
    t.time.advance(100);
    const old = builtinPreview('sinusoid', { seed: 1, shots: 5, ways: 5, queries: 5 });
    t.receive({ type: 'preview', id: 1, preview: old });
    expect(t.store.getState().preview.answer).toBeNull();
    const now = builtinPreview('sinusoid', { seed: 2, shots: 5, ways: 5, queries: 5 });
    t.receive({ type: 'preview', id: 2, preview: now });
    expect(t.store.getState().preview.answer).toEqual({
      request: t.sent[1]?.request,
      preview: now,
    });
  });
});
