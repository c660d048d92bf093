/**
 * The worker's adapt and evaluate commands in Node on the CPU backend: a
 * short sinusoid MAML run, then one task adapted by the model and both
 * baselines (the pre-training baseline trained once, with progress), an
 * edited support set changing the predictions, and the adaptation curve of
 * the three models with the CLI's protocol.
 */
import { describe, expect, it } from 'vitest';
import { WorkerSession } from '../../../src/worker/session';
import type { Command, EventOf, WorkerEvent } from '../../../src/worker/protocol';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { sinusoidCurve } from '../../../src/core/data/families/sinusoid';

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

describe('worker adapt and evaluate', () => {
  it('adapts one task with both baselines, reruns with edited support, evaluates the curve', async () => {
    const h = harness();
    h.send({ type: 'init', backend: 'cpu', hideWebgpu: false });
    h.send({ type: 'load-data', data: { kind: 'builtin', name: 'sinusoid' } });
    h.send({ type: 'train', config: small, continueRun: false });
    await h.next('done');
    const task = { kind: 'sinusoid', amplitude: 2, phase: 0.5, seed: 3 } as const;
    h.send({ type: 'adapt', requestId: 1, task, steps: 3, support: null, gridSize: 50 });
    const a = await h.next('adaptation');
    expect(a.requestId).toBe(1);
    expect(a.models.map((m) => m.name)).toEqual(['maml', 'pretrain', 'scratch']);
    for (const m of a.models) {
      expect(m.predictions).toHaveLength(4);
      expect(m.predictions[0]).toHaveLength(50);
      expect(m.metric).toHaveLength(4);
    }
    expect(a.support.x).toHaveLength(small.shots);
    expect(Array.from(a.truth!)).toEqual(
      Array.from(sinusoidCurve({ amplitude: 2, phase: 0.5 }, a.grid!)),
    );
    const baseline = h.events.filter((e) => e.type === 'adapt-progress');
    expect(baseline.at(-1)).toMatchObject({ phase: 'baseline', done: small.metaSteps });
    // A final checkpoint carries the baseline for the session (and the CLI).
    const cps = h.events.filter((e): e is EventOf<'checkpoint'> => e.type === 'checkpoint');
    expect(cps.at(-1)?.doc?.baselines?.pretrain).toBeTruthy();

    const support = { x: [...a.support.x, 4], y: [...a.support.y, 3] };
    h.send({ type: 'adapt', requestId: 2, task, steps: 3, support, gridSize: 50 });
    const b = await h.next('adaptation');
    expect(b.edited).toBe(true);
    expect(b.support.x).toHaveLength(small.shots + 1);
    expect(b.models[0]!.predictions[0]).toEqual(a.models[0]!.predictions[0]);
    expect(b.models[0]!.predictions[3]).not.toEqual(a.models[0]!.predictions[3]);
    // The pre-training baseline was trained once.
    expect(h.events.filter((e) => e.type === 'adapt-progress' && e.done === 0)).toHaveLength(1);

    h.send({ type: 'evaluate', episodes: 30, steps: 2 });
    const ev = await h.next('evaluation');
    expect(ev.curve.order).toEqual(['maml', 'pretrain', 'scratch']);
    expect(ev.curve.protocol).toMatchObject({
      episodes: 30,
      shots: 10,
      queries: 100,
      seed: 1,
      unitKind: 'tasks',
      distinctUnits: 30,
    });
    for (const name of ev.curve.order) expect(ev.curve.models[name]!.mean).toHaveLength(3);
    expect(ev.mean).toEqual(ev.curve.models.maml!.mean);
  });

  it('reports accuracy per step on a classification task (blobs, ProtoNet)', async () => {
    const h = harness();
    h.send({ type: 'init', backend: 'cpu', hideWebgpu: false });
    h.send({ type: 'load-data', data: { kind: 'builtin', name: 'blobs' } });
    const config = { ...defaultConfig('protonet'), metaSteps: 5, valEvery: 5, valTasks: 5 };
    h.send({ type: 'train', config, continueRun: false });
    await h.next('done');
    h.send({
      type: 'adapt',
      requestId: 1,
      task: { kind: 'test', index: 2 },
      steps: 2,
      support: null,
      gridSize: 10,
    });
    const a = await h.next('adaptation');
    expect(a).toMatchObject({ kind: 'classification', metric: 'accuracy', grid: null });
    expect(a.models.map((m) => m.name)).toEqual([
      'protonet',
      'pretrain',
      'scratch',
      'untrained',
      'prototypes',
    ]);
    for (const m of a.models) {
      expect(m.metric).toHaveLength(3);
      for (const v of m.metric) expect(v).toBeGreaterThanOrEqual(0);
    }
  });

  it('drops a long evaluation or baseline for Reset and Train, and the queue moves on', async () => {
    const h = harness();
    h.send({ type: 'init', backend: 'cpu', hideWebgpu: false });
    h.send({ type: 'load-data', data: { kind: 'builtin', name: 'sinusoid' } });
    h.send({ type: 'train', config: small, continueRun: false });
    await h.next('done');
    // Reset while the pre-training baseline trains (the evaluation's first phase).
    h.send({ type: 'evaluate', episodes: 600, steps: 20 });
    await h.next('adapt-progress');
    h.send({ type: 'reset' });
    await h.next('job-cancelled');
    await h.next('idle');
    // Train again, then Train once more while the evaluation itself runs.
    h.send({ type: 'train', config: small, continueRun: false });
    await h.next('done');
    h.send({ type: 'evaluate', episodes: 600, steps: 20 });
    for (;;) {
      const p = await h.next('adapt-progress');
      if (p.phase === 'evaluate' && p.done > 0) break;
    }
    h.send({ type: 'train', config: small, continueRun: false });
    await h.next('job-cancelled');
    const done = await h.next('done');
    expect(done.reason).toBe('finished');
    expect(h.events.filter((e) => e.type === 'evaluation')).toEqual([]);
    expect(h.events.filter((e) => e.type === 'error')).toEqual([]);
  }, 120_000);
});
