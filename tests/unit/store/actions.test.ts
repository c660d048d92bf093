/**
 * The store's actions and event reducer without React or a worker: a fake
 * port records the commands, and worker events are fed in as the worker
 * would send them.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createActions, type Actions } from '../../../src/store/actions';
import { appendByStep } from '../../../src/store/reduce';
import { initialState, type AppState } from '../../../src/store/slices';
import type { Command, WorkerEvent } from '../../../src/worker/protocol';

let sent: Command[];
let store: StoreApi<AppState>;
let a: Actions;

const ready: WorkerEvent = {
  type: 'ready',
  backend: 'webgpu',
  adapterInfo: { vendor: 'google', architecture: 'swiftshader', description: '', device: '' },
  fallbackReason: null,
  attempts: [],
  recovery: null,
};
const loaded: WorkerEvent = {
  type: 'data-loaded',
  summary: {
    name: 'sinusoid',
    kind: 'regression',
    inputDim: 1,
    description: '',
    splitSizes: { train: null, val: null, test: null },
  },
};
const progress = (step: number): WorkerEvent => ({
  type: 'progress',
  step,
  totalSteps: 1000,
  stepsPerSec: 1,
  tasksPerSec: 25,
  recentTasksPerSec: 25,
  etaSec: 1000 - step,
  lastLoss: 1,
});
const metrics = (from: number, to: number): WorkerEvent => ({
  type: 'metrics',
  points: Array.from({ length: to - from + 1 }, (_, i) => ({ step: from + i, trainLoss: 1 })),
});

beforeEach(() => {
  sent = [];
  store = createStore<AppState>()(() => initialState());
  a = createActions(store, { send: (c) => sent.push(c) }, () => 0);
  a.init({ backend: 'auto', hideWebgpu: false });
  a.receive([ready, loaded]);
});

const s = () => store.getState();

describe('actions', () => {
  it('initializes the worker and loads the default family', () => {
    expect(sent.map((c) => c.type)).toEqual(['init', 'load-data']);
    expect(s().run.status).toBe('idle');
    expect(s().backend.active).toBe('webgpu');
  });

  it('trains: compiling until the first progress, then training, with the curves growing', () => {
    a.train();
    expect(sent.at(-1)).toMatchObject({ type: 'train', continueRun: false });
    expect(s().run.status).toBe('compiling');
    a.receive([{ type: 'status', state: 'training', step: 0 }]);
    expect(s().run.status).toBe('compiling');
    a.receive([metrics(1, 3), progress(3), { type: 'memory', numTensors: 20, numBytes: 0 }]);
    expect(s().run.status).toBe('training');
    expect(s().run.step).toBe(3);
    expect(s().history.train).toHaveLength(3);
    expect(s().run.memory.first).toEqual({ step: 3, numTensors: 20 });
  });

  it('never trains a read-only session (from a link) in place', () => {
    store.setState({
      sessions: {
        ...s().sessions,
        current: {
          id: 'x',
          name: 'shared',
          createdAt: '',
          readOnly: true,
          stored: false,
          lineage: null,
        },
      },
    });
    a.train();
    expect(sent.map((c) => c.type)).not.toContain('train');
    expect(s().run.status).toBe('idle');
  });

  it('Stop during the first step compile restarts the worker at once; later it asks the worker', () => {
    let restarts = 0;
    const port = { send: (c: Command) => void sent.push(c), restart: () => void restarts++ };
    store = createStore<AppState>()(() => initialState());
    a = createActions(store, port, () => 0);
    a.init({ backend: 'auto', hideWebgpu: false });
    a.receive([ready, loaded]);
    a.train();
    a.receive([{ type: 'compiling', message: 'Compiling webgpu kernels…' }]);
    sent = [];
    a.stop();
    expect(restarts).toBe(1);
    expect(sent).toEqual([
      { type: 'init', backend: 'webgpu', hideWebgpu: false },
      { type: 'load-data', data: { kind: 'builtin', name: 'sinusoid' } },
    ]);
    expect(s().run.status).toBe('starting');
    a.receive([ready, loaded]);
    expect(s().run.status).toBe('idle');
    // Once a step is done the worker is listening again: Stop keeps the weights there.
    a.train();
    a.receive([metrics(1, 1), progress(1)]);
    sent = [];
    a.stop();
    expect(restarts).toBe(1);
    expect(sent).toEqual([{ type: 'stop' }]);
  });

  it("drops the old run's events still in flight after Reset, until the worker acknowledges it", () => {
    a.train();
    a.receive([metrics(1, 5), progress(5)]);
    a.reset();
    expect(s().run.step).toBe(0);
    a.receive([
      metrics(6, 9),
      progress(9),
      { type: 'done', reason: 'stopped', step: 9, bestStep: 0 },
    ]);
    expect(s().run.step).toBe(0);
    expect(s().run.status).toBe('idle');
    expect(s().history.train).toEqual([]);
    a.receive([{ type: 'idle' }]);
    a.train();
    a.receive([metrics(1, 2), progress(2)]);
    expect(s().run.step).toBe(2);
    expect(s().history.train).toHaveLength(2);
  });

  it('asks before a configuration change resets a run, and applies it only when confirmed', () => {
    a.train();
    a.receive([metrics(1, 2), progress(2)]);
    a.setConfig('seed', 7);
    expect(s().setup.pending).toMatchObject({ kind: 'config' });
    expect(s().setup.config.seed).toBe(1);
    a.cancelPending();
    expect(s().setup.pending).toBeNull();
    expect(s().setup.epoch).toBe(1);
    a.setConfig('seed', 7);
    a.confirmPending();
    expect(s().setup.config.seed).toBe(7);
    expect(sent.at(-1)).toEqual({ type: 'reset' });
    expect(s().history.train).toEqual([]);
    expect(s().run.status).toBe('idle');
  });

  it('applies changes at once when there is no run', () => {
    a.setAlgorithm('reptile');
    expect(s().setup.config).toMatchObject({ algorithm: 'reptile', innerSteps: 5, seed: 1 });
    a.setFamily('blobs');
    expect(sent.at(-1)).toEqual({ type: 'load-data', data: { kind: 'builtin', name: 'blobs' } });
  });

  it('continues a stopped run when only the number of meta-steps grew', () => {
    a.train();
    a.receive([metrics(1, 5), progress(5)]);
    a.stop();
    expect(sent.at(-1)).toEqual({ type: 'stop' });
    a.receive([{ type: 'done', reason: 'stopped', step: 5, bestStep: 0 }]);
    expect(s().run.status).toBe('stopped');
    a.setConfig('metaSteps', 2000);
    expect(s().setup.pending).toBeNull();
    a.train();
    expect(sent.at(-1)).toMatchObject({ type: 'train', continueRun: true });
    expect(s().history.train).toHaveLength(5);
  });

  it('shows a worker error and ends the run; a refused command does not end it', () => {
    a.train();
    a.receive([progress(1), { type: 'error', code: 'busy', message: 'A run is already going.' }]);
    expect(s().run.status).toBe('training');
    a.receive([{ type: 'error', code: 'shader-failed', message: 'boom' }]);
    expect(s().run.status).toBe('error');
    expect(s().run.error).toEqual({ code: 'shader-failed', message: 'boom' });
    a.train();
    expect(s().run.error).toBeNull();
  });

  it('a backend change keeps the run: no question, no reset, Train continues the stopped run there', () => {
    a.train();
    a.receive([
      metrics(1, 5),
      progress(5),
      { type: 'done', reason: 'stopped', step: 5, bestStep: 0 },
    ]);
    a.setBackend('wasm');
    expect(s().setup.pending).toBeNull();
    expect(sent.at(-1)).toEqual({ type: 'init', backend: 'wasm', hideWebgpu: false });
    expect(sent.map((c) => c.type)).not.toContain('reset');
    expect(s().history.train).toHaveLength(5);
    a.receive([{ ...ready, backend: 'wasm', adapterInfo: null }]);
    a.setConfig('metaSteps', 10);
    a.train();
    expect(sent.at(-1)).toMatchObject({ type: 'train', continueRun: true });
  });

  it('a backend change during a run asks the worker to move it; the curves stay', () => {
    a.train();
    a.receive([metrics(1, 6), progress(6)]);
    a.setBackend('wasm');
    expect(s().setup.pending).toBeNull();
    expect(sent.at(-1)).toEqual({ type: 'init', backend: 'wasm', hideWebgpu: false });
    a.receive([
      {
        ...ready,
        backend: 'wasm',
        adapterInfo: null,
        recovery: { from: 'webgpu', reason: 'moved on request', resumedFromStep: 6, moved: true },
      },
    ]);
    expect(s().backend.active).toBe('wasm');
    expect(s().history.train).toHaveLength(6);
    expect(s().run.status).toBe('training');
  });

  it('rewinds the curves when a run resumes from an earlier checkpoint on another backend', () => {
    a.train();
    a.receive([metrics(1, 10), progress(10)]);
    a.receive([
      {
        ...ready,
        backend: 'webgl',
        adapterInfo: null,
        recovery: { from: 'webgpu', reason: 'lost', resumedFromStep: 7 },
      },
    ]);
    expect(s().history.train.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    a.receive([metrics(8, 9), progress(9)]);
    expect(s().history.train.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('appendByStep', () => {
  it('appends, and replaces any points at or after the first new step', () => {
    const old = [1, 2, 3, 4].map((step) => ({ step }));
    expect(appendByStep(old, [{ step: 5 }]).map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
    expect(appendByStep(old, [{ step: 3 }]).map((p) => p.step)).toEqual([1, 2, 3]);
    expect(appendByStep(old, [])).toBe(old);
  });
});

describe('issue 12: defaults, seed, the data in use', () => {
  const csvLoaded: WorkerEvent = {
    type: 'data-loaded',
    summary: {
      name: 'ten-classes.csv',
      kind: 'classification',
      inputDim: 2,
      description: '',
      splitSizes: { train: 6, val: 2, test: 2 },
      limits: { shots: 7, ways: 2, queries: 7 },
    },
  };

  it('Restore defaults brings back the algorithm defaults, lowered to what the data allows', () => {
    a.setConfig('metaSteps', 77);
    a.setConfig('innerLr', 0.5);
    a.receive([csvLoaded]);
    a.restoreDefaults();
    const c = s().setup.config;
    expect(c.metaSteps).toBe(1000);
    expect(c.innerLr).toBe(0.01);
    expect([c.shots, c.ways, c.queries]).toEqual([7, 2, 1]);
  });

  it('New random seed changes the seed even when the draw repeats it', () => {
    a.newSeed(() => 424242);
    expect(s().setup.config.seed).toBe(424242);
    a.newSeed(() => 424242);
    expect(s().setup.config.seed).not.toBe(424242);
  });

  it('picking the built-in family again leaves a CSV in use even while a newer upload is only staged', () => {
    a.receive([csvLoaded]);
    // A newer upload staged but not in use: csv.inUse is false, the CSV summary is still in use.
    store.setState({ ...s(), csv: { ...s().csv, inUse: false } });
    sent = [];
    a.setFamily('sinusoid');
    expect(sent).toEqual([{ type: 'load-data', data: { kind: 'builtin', name: 'sinusoid' } }]);
  });
});
