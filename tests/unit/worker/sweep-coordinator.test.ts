/**
 * The sweep coordinator of the training worker: trials run in trial hosts
 * (in-process here, Web Workers in the browser), several at once; every
 * trial is recorded (a blown-up rate as diverged, not a crash), successive
 * halving sends `prune` to the worker of a trial that ranks out, GPU
 * backends run one trial at a time, Stop ends the workers, and a bad space
 * is refused with a message naming the key.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { sweepRecordSchema } from '../../../src/core/spec/sweep-space';
import { builtinDatasetRecord } from '../../../src/sessions/csv-dataset';
import type {
  SweepStart,
  TrialCommand,
  TrialEvent,
  WorkerEvent,
} from '../../../src/worker/protocol';
import {
  SweepCoordinator,
  type SpawnTrial,
  type SweepData,
} from '../../../src/worker/sweep-coordinator';
import { spawnTrialInProcess } from '../../../src/worker/trial-client';
import { useCpu } from '../../helpers/tf-cpu';

beforeAll(useCpu);

const base: TrainConfig = {
  ...defaultConfig('maml'),
  metaSteps: 9,
  metaBatch: 2,
  hidden: [8],
  valEvery: 3,
  valTasks: 4,
  evalInnerSteps: 1,
  patience: 0,
};

async function sinusoid(backend: SweepData['backend'] = 'cpu'): Promise<SweepData> {
  return { dataset: await builtinDatasetRecord('sinusoid'), kind: 'regression', backend };
}

function collect(): { events: WorkerEvent[]; post: (e: WorkerEvent) => void; done: Promise<void> } {
  const events: WorkerEvent[] = [];
  let resolve = () => {};
  const done = new Promise<void>((r) => (resolve = r));
  return {
    events,
    done,
    post: (e) => {
      events.push(e);
      if (e.type === 'sweep-done') resolve();
    },
  };
}

/** Trial workers that answer nothing by themselves: the test plays their part. */
function fakeWorkers() {
  const ports: { sent: TrialCommand[]; terminated: boolean; emit: (e: TrialEvent) => void }[] = [];
  const spawn: SpawnTrial = (onEvent) => {
    const port = { sent: [] as TrialCommand[], terminated: false, emit: onEvent };
    ports.push(port);
    return { send: (c) => port.sent.push(c), terminate: () => (port.terminated = true) };
  };
  return { ports, spawn };
}

const request = (over: Partial<SweepStart> = {}): SweepStart => ({
  base,
  space: {
    innerLr: { type: 'categorical', choices: [0.01, 1e30] },
    metaLr: { type: 'categorical', choices: [0.001, 0.01] },
  },
  sampler: 'grid',
  trials: 4,
  workers: 2,
  pruning: null,
  ...over,
});

describe('SweepCoordinator', () => {
  it('runs every trial in trial hosts, two at a time, and records diverged ones', async () => {
    const c = collect();
    const coordinator = new SweepCoordinator(c.post, spawnTrialInProcess);
    coordinator.start(request(), await sinusoid());
    expect(coordinator.busy).toBe(true);
    await c.done;
    const started = c.events.find((e) => e.type === 'sweep-started');
    expect(started).toMatchObject({ workers: 2, total: 4, metric: 'mse', backend: 'cpu' });
    const trials = c.events.flatMap((e) => (e.type === 'sweep-trial' ? [e.trial] : []));
    expect(trials.map((t) => t.number).sort()).toEqual([0, 1, 2, 3]);
    const blown = trials.filter((t) => t.params.innerLr === 1e30);
    expect(blown.map((t) => t.state)).toEqual(['diverged', 'diverged']);
    const done = c.events.at(-1);
    if (done?.type !== 'sweep-done') throw new Error('no sweep-done');
    expect(done.reason).toBe('finished');
    const record = sweepRecordSchema.parse(done.record);
    const best = record.trials[record.best!]!;
    const fine = record.trials.filter((t) => t.state === 'complete');
    expect(fine).toHaveLength(2);
    expect(best.value).toBe(Math.min(...fine.map((t) => t.value!)));
    expect(coordinator.busy).toBe(false);
    expect(coordinator.record?.trials).toHaveLength(4);
    // a run's session on the same data carries this sweep; on other data it does not
    const data = await sinusoid();
    expect(coordinator.recordFor(data.dataset)?.trials).toHaveLength(4);
    expect(coordinator.recordFor({ ...data.dataset, name: 'linear' })).toBeNull();
  }, 60_000);

  it('prunes with successive halving: the worker of a trial that ranks out gets `prune`', async () => {
    const c = collect();
    const w = fakeWorkers();
    const coordinator = new SweepCoordinator(c.post, w.spawn);
    coordinator.start(
      request({ pruning: { gracePeriod: 3, reductionFactor: 3 } }),
      await sinusoid(),
    );
    const [a, b] = w.ports as [(typeof w.ports)[0], (typeof w.ports)[0]];
    const trialOf = (p: typeof a) => (p.sent[0] as Extract<TrialCommand, { type: 'run' }>).trial;
    a.emit({ type: 'validation', trial: trialOf(a), step: 3, metric: 1 });
    b.emit({ type: 'validation', trial: trialOf(b), step: 3, metric: 5 });
    // fewer than η scores at the rung: only the best goes on
    expect(a.sent.filter((m) => m.type === 'prune')).toHaveLength(0);
    expect(b.sent.at(-1)).toEqual({ type: 'prune', trial: trialOf(b) });
    coordinator.stop();
  });

  it('runs one trial at a time on a GPU backend; Stop terminates the workers', async () => {
    const c = collect();
    const w = fakeWorkers();
    const coordinator = new SweepCoordinator(c.post, w.spawn);
    coordinator.start(request({ workers: 4 }), await sinusoid('webgpu'));
    expect(c.events[0]).toMatchObject({ type: 'sweep-started', workers: 1 });
    expect(w.ports).toHaveLength(1);
    coordinator.stop();
    expect(w.ports.every((p) => p.terminated)).toBe(true);
    const done = c.events.at(-1);
    expect(done).toMatchObject({ type: 'sweep-done', reason: 'stopped' });
    expect(coordinator.busy).toBe(false);
  });

  it('refuses a space that names a setting it cannot sweep', async () => {
    const c = collect();
    const coordinator = new SweepCoordinator(c.post, fakeWorkers().spawn);
    coordinator.start(
      request({ space: { seed: { type: 'int', low: 1, high: 3 } } as SweepStart['space'] }),
      await sinusoid(),
    );
    expect(c.events).toHaveLength(1);
    const done = c.events[0];
    if (done?.type !== 'sweep-done') throw new Error('no sweep-done');
    expect(done.reason).toBe('refused');
    expect(done.message).toMatch(/"seed" cannot be swept/);
  });
});
