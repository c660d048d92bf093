/**
 * The worker's session and run logic in Node on the CPU/WASM backends:
 * backend choice and its reasons, a short run's event sequence, Pause/Resume,
 * Stop keeping the weights (and Train continuing from them), Reset, and the
 * recovery path (a kernel failure on a GPU backend resumes on the next one
 * from the last snapshot).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { WorkerSession } from '../../../src/worker/session';
import { TrainingRun } from '../../../src/worker/run';
import type { Command, EventOf, WorkerEvent } from '../../../src/worker/protocol';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { builtinSource } from '../../../src/core/data/builtin';
import type { TaskSource } from '../../../src/core/data/types';
import { chooseBackend } from '../../../src/core/backend';

const small: TrainConfig = {
  ...defaultConfig('maml'),
  metaSteps: 30,
  metaBatch: 4,
  valEvery: 10,
  valTasks: 5,
  evalInnerSteps: 2,
  hidden: [8, 8],
};

class Harness {
  events: WorkerEvent[] = [];
  private waiters: { pred: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }[] = [];
  readonly session = new WorkerSession((batch) => {
    for (const e of batch) {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(e)) return true;
        w.resolve(e);
        return false;
      });
    }
  });
  send(cmd: Command): void {
    this.session.handle(cmd);
  }
  next<K extends WorkerEvent['type']>(
    type: K,
    pred: (e: EventOf<K>) => boolean = () => true,
  ): Promise<EventOf<K>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event within 60 s`)), 60_000);
      this.waiters.push({
        pred: (e) => e.type === type && pred(e as EventOf<K>),
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as EventOf<K>);
        },
      });
    });
  }
  of<K extends WorkerEvent['type']>(type: K): EventOf<K>[] {
    return this.events.filter((e) => e.type === type) as EventOf<K>[];
  }
}

beforeAll(() => {
  tf.env().set('IS_TEST', true);
});

describe('backend choice', () => {
  it('falls back from WebGPU and WebGL in Node and says why', async () => {
    const choice = await chooseBackend({});
    expect(['wasm', 'cpu']).toContain(choice.backend);
    expect(choice.adapterInfo).toBeNull();
    expect(choice.fallbackReason).toMatch(/no WebGPU in this browser/);
    expect(choice.attempts.map((a) => a.backend).slice(0, 2)).toEqual(['webgpu', 'webgl']);
  });

  it('honours a forced backend', async () => {
    const choice = await chooseBackend({ preferred: 'cpu' });
    expect(choice).toMatchObject({ backend: 'cpu', fallbackReason: null });
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('WorkerSession', () => {
  it('trains a short run and reports progress, validation, memory and done', async () => {
    const h = new Harness();
    h.send({ type: 'init', backend: 'cpu', hideWebgpu: false });
    h.send({ type: 'load-data', data: { kind: 'builtin', name: 'sinusoid' } });
    h.send({ type: 'train', config: small, continueRun: false });
    const done = await h.next('done');
    expect(done).toMatchObject({ reason: 'finished', step: 30 });
    expect(h.of('ready')[0]).toMatchObject({ backend: 'cpu', recovery: null });
    expect(h.of('data-loaded')[0]?.summary).toMatchObject({ kind: 'regression', inputDim: 1 });
    expect(h.of('compiling').length).toBeGreaterThan(0);
    const steps = h.of('metrics').flatMap((m) => m.points.map((p) => p.step));
    expect(steps).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(h.of('validation').map((v) => v.point.step)).toEqual([0, 10, 20, 30]);
    expect(h.of('validation')[0]?.metric).toBe('mse');
    expect(h.of('memory').length).toBeGreaterThan(0);
    expect(h.of('error')).toEqual([]);
  });

  it('pauses within a step, resumes, stops keeping the weights, continues, resets', async () => {
    const h = new Harness();
    h.send({ type: 'init', backend: 'cpu', hideWebgpu: false });
    h.send({ type: 'load-data', data: { kind: 'builtin', name: 'sinusoid' } });
    h.send({ type: 'train', config: { ...small, metaSteps: 100000 }, continueRun: false });
    await h.next('progress');
    h.send({ type: 'pause' });
    const paused = await h.next('status', (s) => s.state === 'paused');
    await new Promise((r) => setTimeout(r, 300));
    const progressAfter = h.of('progress').filter((p) => p.step > paused.step);
    expect(progressAfter).toEqual([]);
    h.send({ type: 'resume' });
    await h.next('status', (s) => s.state === 'training');
    await h.next('progress', (p) => p.step > paused.step);
    h.send({ type: 'stop' });
    const done = await h.next('done');
    expect(done.reason).toBe('stopped');
    h.send({ type: 'evaluate', episodes: 5, steps: 1 });
    const ev = await h.next('evaluation');
    expect(ev.mean).toHaveLength(2);
    h.send({ type: 'train', config: { ...small, metaSteps: done.step + 5 }, continueRun: true });
    const done2 = await h.next('done', (d) => d !== done);
    expect(done2).toMatchObject({ reason: 'finished', step: done.step + 5 });
    const resumed = h.events.slice(h.events.indexOf(done));
    const firstStep = resumed.flatMap((e) => (e.type === 'metrics' ? e.points : []))[0];
    expect(firstStep?.step).toBe(done.step + 1);
    h.send({ type: 'reset' });
    await h.next('idle');
    h.send({ type: 'evaluate', episodes: 5, steps: 1 });
    expect((await h.next('error')).code).toBe('no-model');
  });

  it('moves a run in progress to another backend from a fresh checkpoint, weights kept', async () => {
    const h = new Harness();
    h.send({ type: 'init', backend: 'cpu', hideWebgpu: false });
    h.send({ type: 'load-data', data: { kind: 'builtin', name: 'sinusoid' } });
    h.send({ type: 'train', config: { ...small, metaSteps: 100000 }, continueRun: false });
    await h.next('progress', (p) => p.step >= 5);
    h.send({ type: 'init', backend: 'wasm', hideWebgpu: false });
    const moved = await h.next('ready', (r) => r.recovery !== null);
    expect(moved).toMatchObject({ backend: 'wasm', recovery: { from: 'cpu', moved: true } });
    const at = moved.recovery?.resumedFromStep ?? 0;
    expect(at).toBeGreaterThanOrEqual(5);
    expect(tf.getBackend()).toBe('wasm');
    const after = h.events.length;
    await h.next('progress', (p) => p.step > at + 2);
    h.send({ type: 'stop' });
    await h.next('done');
    // The run went on from where it was: the first step on WASM is the one after the move.
    const steps = h.events.slice(after).flatMap((e) => (e.type === 'metrics' ? e.points : []));
    expect(steps[0]?.step).toBe(at + 1);
    expect(h.of('error')).toEqual([]);
    await tf.setBackend('cpu');
  });

  it('reports a bad configuration as an error event', async () => {
    const h = new Harness();
    h.send({ type: 'init', backend: 'cpu', hideWebgpu: false });
    h.send({ type: 'load-data', data: { kind: 'builtin', name: 'sinusoid' } });
    h.send({ type: 'train', config: { ...small, metaBatch: 0 }, continueRun: false });
    const err = await h.next('error');
    expect(err.code).toBe('bad-config');
    expect(err.message).toMatch(/metaBatch/);
  });
});

describe('TrainingRun memory', () => {
  it('holds the live tensor count constant from step to step, snapshots included', async () => {
    await tf.setBackend('cpu');
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const run = new TrainingRun({
      source: builtinSource('sinusoid'),
      config: { ...small, metaSteps: 40 },
      post: (e) => {
        if (e.type === 'progress') counts.push(tf.memory().numTensors);
      },
      backend: () => 'cpu',
      fallback: async () => null,
      snapshotEveryMs: 0,
    });
    await run.finished;
    expect(counts.length).toBeGreaterThan(2);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees everything when a stopped run is resumed and finished', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const first = await new TrainingRun({
      source: builtinSource('sinusoid'),
      config: { ...small, metaSteps: 5 },
      post: () => {},
      backend: () => 'cpu',
      fallback: async () => null,
    }).finished;
    const counts: number[] = [];
    await new TrainingRun({
      source: builtinSource('sinusoid'),
      config: { ...small, metaSteps: 15 },
      resume: first!.state,
      post: (e) => {
        if (e.type === 'progress') counts.push(tf.memory().numTensors);
      },
      backend: () => 'cpu',
      fallback: async () => null,
      snapshotEveryMs: 0,
    }).finished;
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('TrainingRun recovery', () => {
  it('resumes on the next backend from the last snapshot when a kernel fails', async () => {
    await tf.setBackend('cpu');
    const inner = builtinSource('sinusoid');
    let calls = 0;
    // A source that throws once, mid-run, as a failing GPU kernel would.
    const flaky: TaskSource = Object.assign(Object.create(inner) as TaskSource, {
      sample: (...args: Parameters<TaskSource['sample']>) => {
        if (args[0] === 'train' && ++calls === 15) throw new Error('simulated kernel failure');
        return inner.sample(...args);
      },
    });
    const events: WorkerEvent[] = [];
    let backend: 'webgl' | 'cpu' = 'webgl';
    const run = new TrainingRun({
      source: flaky,
      config: { ...small, metaSteps: 25 },
      post: (e) => events.push(e),
      backend: () => backend,
      fallback: async (from) => {
        expect(from).toBe('webgl');
        backend = 'cpu';
        return chooseBackend({ preferred: 'cpu' });
      },
      snapshotEveryMs: 0,
      windDownMs: 100,
    });
    const result = await run.finished;
    expect(result?.stepsDone).toBe(25);
    const ready = events.find((e): e is EventOf<'ready'> => e.type === 'ready');
    expect(ready?.backend).toBe('cpu');
    expect(ready?.recovery?.from).toBe('webgl');
    expect(ready?.recovery?.reason).toMatch(/simulated kernel failure/);
    // Call 1 is the trainer's shape check, so call 15 draws step 14's batch; the last
    // snapshot (every checkpoint here) was taken after step 13.
    expect(ready?.recovery?.resumedFromStep).toBe(13);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });
});
