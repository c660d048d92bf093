/**
 * The three metrics in the app (issue 14): the worker's `three-metrics`
 * command gives exactly what the CLI's path computes from the saved session
 * (the session's weights and pre-training baseline rebuilt as
 * src/cli/evaluate-command.ts does, the dataset from sourceFromSession),
 * with progress over the four passes; the store waits for the report, shows
 * its progress and drops it when the model changes.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { WorkerSession } from '../../../src/worker/session';
import type { Command, EventOf, WorkerEvent } from '../../../src/worker/protocol';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { decodeWeights, type SessionDoc } from '../../../src/sessions/index';
import { adaptStyleOf, specFromShapes } from '../../../src/core/train/experiment';
import { evaluateThreeMetrics } from '../../../src/core/train/three-metrics-run';
import { sourceFromSession } from '../../../src/cli/dataset';
import { createMetricsActions } from '../../../src/store/metrics-actions';
import { applyEvents } from '../../../src/store/reduce';
import { initialState, type AppState } from '../../../src/store/slices';

const small: TrainConfig = {
  ...defaultConfig('maml'),
  metaSteps: 20,
  metaBatch: 4,
  valEvery: 10,
  valTasks: 5,
  evalInnerSteps: 2,
  hidden: [8, 8],
};

function harness() {
  const events: WorkerEvent[] = [];
  let waiters: { type: string; resolve: (e: WorkerEvent) => void }[] = [];
  const session = new WorkerSession((batch) => {
    for (const e of batch) {
      events.push(e);
      waiters = waiters.filter((w) => (w.type === e.type ? (w.resolve(e), false) : true));
    }
  });
  return {
    events,
    send: (c: Command) => session.handle(c),
    next: <K extends WorkerEvent['type']>(type: K) =>
      new Promise<EventOf<K>>((resolve) =>
        waiters.push({ type, resolve: resolve as (e: WorkerEvent) => void }),
      ),
  };
}

const trained = (
  w: NonNullable<SessionDoc['weights']>,
  style: ReturnType<typeof adaptStyleOf>,
) => ({
  spec: specFromShapes(w.shapes, undefined, { learnedLr: false }),
  arrays: decodeWeights(w),
  adaptStyle: style,
});

describe('three metrics in the worker', () => {
  it('equal the CLI path on the saved session, with progress over four passes', async () => {
    const h = harness();
    h.send({ type: 'init', backend: 'cpu', hideWebgpu: false });
    h.send({ type: 'load-data', data: { kind: 'builtin', name: 'sinusoid' } });
    h.send({ type: 'train', config: small, continueRun: false });
    await h.next('done');
    const episodes = 12;
    h.send({ type: 'three-metrics', episodes, fraction: 0.3 });
    let report: EventOf<'three-metrics'>['report'] = null;
    while (!report) report = (await h.next('three-metrics')).report;
    const ticks = h.events.filter(
      (e): e is EventOf<'three-metrics'> => e.type === 'three-metrics' && e.report === null,
    );
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.map((t) => t.total)).toEqual(ticks.map(() => 4 * episodes));
    expect(ticks.at(-1)?.done).toBe(4 * episodes);
    expect(report.order).toEqual(['maml', 'pretrain', 'scratch']);
    expect(report.protocol).toMatchObject({ episodes, shots: 10, queries: 100, seed: 1 });
    expect(report.metrics.corruption).toEqual({ kind: 'noise', fraction: 0.3 });
    expect(report.metrics.halfShots).toBe(5);

    // The CLI's path: the last checkpoint is what the session file holds.
    const cps = h.events.filter((e): e is EventOf<'checkpoint'> => e.type === 'checkpoint');
    const doc = cps.at(-1)?.doc as SessionDoc;
    expect(doc.baselines?.pretrain).toBeTruthy();
    const source = await sourceFromSession(doc);
    const cli = await evaluateThreeMetrics(
      source,
      doc.config,
      {
        algorithm: doc.config.algorithm,
        main: trained(doc.weights!, adaptStyleOf(doc.config.algorithm)),
        pretrain: trained(doc.baselines!.pretrain!, 'finetune'),
      },
      {
        episodes,
        shots: doc.config.shots,
        ways: doc.config.ways,
        queries: 100,
        innerLr: doc.config.innerLr,
        seed: doc.config.seed,
        fraction: 0.3,
      },
    );
    expect(report.metrics).toEqual(cli);
    const maml = report.metrics.models.maml!;
    expect(maml.speed.auc).toBeGreaterThan(0);
    expect(maml.robustness.halfShots.clean).toBe(maml.generalization.test.final);
  }, 120_000);
});

describe('three metrics in the store', () => {
  it('sends the request once, follows progress, keeps the report until the model changes', () => {
    const store = createStore<AppState>()(() => initialState());
    const sent: Command[] = [];
    const acts = createMetricsActions(store, { send: (c) => sent.push(c) });
    const receive = (events: WorkerEvent[]) =>
      store.setState(applyEvents(store.getState(), events, 0), true);
    acts.compute(50, 0.5);
    expect(sent).toEqual([]); // no model yet
    receive([{ type: 'done', reason: 'finished', step: 5, bestStep: 5 }]);
    acts.compute(50, 2);
    expect(sent).toEqual([]); // a fraction over 1 is refused
    acts.compute(50, 0.5);
    acts.compute(50, 0.5);
    expect(sent).toEqual([{ type: 'three-metrics', episodes: 50, fraction: 0.5 }]);
    receive([{ type: 'three-metrics', done: 100, total: 200, report: null }]);
    expect(store.getState().metrics).toMatchObject({
      pending: true,
      progress: { done: 100, total: 200 },
    });
    const report = { algorithm: 'maml', order: [] } as unknown as NonNullable<
      EventOf<'three-metrics'>['report']
    >;
    receive([{ type: 'three-metrics', done: 200, total: 200, report }]);
    expect(store.getState().metrics).toMatchObject({ pending: false, progress: null, report });
    receive([{ type: 'error', code: 'busy', message: 'Stop the run first.' }]);
    expect(store.getState().metrics.error).toBeNull(); // not waiting: not ours
    acts.compute(50, 0.5);
    receive([{ type: 'error', code: 'bad-data', message: 'nope' }]);
    expect(store.getState().metrics).toMatchObject({ pending: false, error: 'nope', report });
    receive([{ type: 'session-loaded', sessionId: 'x', lineage: 1, step: 3 }]);
    expect(store.getState().metrics.report).toBeNull();
  });
});
