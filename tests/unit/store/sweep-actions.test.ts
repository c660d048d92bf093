/**
 * The Sweep panel's actions and events without React or a worker: Start
 * sends the form as one sweep-start with the configuration as its base, a
 * refused range is answered with the reason and not taken, sweep events
 * fill the table in the order trials end, and "Train with these settings"
 * puts the base configuration with the trial's values into the form.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createActions, type Actions } from '../../../src/store/actions';
import { initialState, type AppState } from '../../../src/store/slices';
import { createSweepActions, sweepBlocked } from '../../../src/store/sweep-actions';
import type { Command, WorkerEvent } from '../../../src/worker/protocol';
import type { TrialRecord } from '../../../src/core/spec/sweep-space';

let sent: Command[];
let store: StoreApi<AppState>;
let a: Actions;
let sweep: ReturnType<typeof createSweepActions>;

const boot: WorkerEvent[] = [
  {
    type: 'ready',
    backend: 'wasm',
    adapterInfo: null,
    fallbackReason: null,
    attempts: [],
    recovery: null,
  },
  {
    type: 'data-loaded',
    summary: {
      name: 'sinusoid',
      kind: 'regression',
      inputDim: 1,
      description: '',
      splitSizes: { train: null, val: null, test: null },
    },
  },
];

const trial = (number: number, innerLr: number, value: number | null): TrialRecord => ({
  number,
  params: { innerLr, innerSteps: 2 },
  state: value === null ? 'diverged' : 'complete',
  value,
  bestStep: 10,
  steps: 20,
  seconds: 1,
});

beforeEach(() => {
  sent = [];
  store = createStore<AppState>()(() => initialState());
  const port = { send: (c: Command) => sent.push(c) };
  a = createActions(store, port, () => 0);
  sweep = createSweepActions(store, port, a.adoptConfig);
  a.receive(boot);
  sweep.fillSpace();
});

describe('sweep actions', () => {
  it('Start sends the form with the configuration as base; events fill the table', () => {
    expect(Object.keys(store.getState().sweep.form.space ?? {})).toEqual([
      'innerLr',
      'metaLr',
      'innerSteps',
    ]);
    expect(sweepBlocked(store.getState())).toBeNull();
    sweep.setForm({ trials: 6, workers: 2, sampler: 'random', gracePeriod: 5 });
    sweep.start();
    const cmd = sent.at(-1);
    if (cmd?.type !== 'sweep-start') throw new Error('no sweep-start');
    expect(cmd).toMatchObject({ trials: 6, workers: 2, sampler: 'random' });
    expect(cmd.pruning).toEqual({ gracePeriod: 5, reductionFactor: 3 });
    expect(cmd.base).toEqual(store.getState().setup.config);
    expect(sweepBlocked(store.getState())).toBe('A sweep is running.');
    a.receive([
      {
        type: 'sweep-started',
        total: 6,
        workers: 2,
        backend: 'wasm',
        metric: 'mse',
        importanceMethod: 'ε²',
      },
      { type: 'sweep-trial', trial: trial(1, 0.05, 0.4), best: 1, importance: [] },
      { type: 'sweep-trial', trial: trial(0, 3, null), best: 1, importance: [] },
    ]);
    const s = store.getState().sweep;
    expect(s.trials.map((t) => t.number)).toEqual([1, 0]);
    expect(s.best).toBe(1);
    expect(s.status).toBe('running');
  });

  it('Train with these settings puts the trial into the configuration', () => {
    sweep.start();
    a.receive([{ type: 'sweep-trial', trial: trial(0, 0.05, 0.4), best: 0, importance: [] }]);
    sweep.applyTrial(0);
    const c = store.getState().setup.config;
    expect(c.innerLr).toBe(0.05);
    expect(c.innerSteps).toBe(2);
  });

  it('a range that does not fit the configuration is refused with the reason', () => {
    const before = store.getState().sweep.form.space;
    const problem = sweep.setParam('innerLr', { type: 'float', low: -1, high: 1, log: true });
    expect(problem).toMatch(/a log scale needs low > 0/);
    expect(store.getState().sweep.form.space).toBe(before);
    expect(sweep.setSpaceJson('{"seed": {"type": "int", "low": 1, "high": 2}}')).toMatch(
      /"seed" cannot be swept/,
    );
    expect(
      sweep.setSpaceJson('{"innerLr": {"type": "float", "low": 0.01, "high": 0.1}}'),
    ).toBeNull();
    expect(Object.keys(store.getState().sweep.form.space ?? {})).toEqual(['innerLr']);
  });

  it('Stop asks the worker once; a refusal shows its reason', () => {
    sweep.start();
    sweep.stop();
    sweep.stop();
    expect(sent.filter((c) => c.type === 'sweep-stop')).toHaveLength(1);
    a.receive([{ type: 'sweep-done', reason: 'refused', message: 'no data', record: null }]);
    expect(store.getState().sweep).toMatchObject({ status: 'refused', message: 'no data' });
  });
});
