/**
 * The metrics emitter on its own, with a fake clock: losses are read back
 * in batches and freed, metrics + progress go out only once per throttle
 * interval or at a validation step, and too many steps in flight force a
 * read-back without an event.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MetricsEmitter } from '../../../src/core/train/metrics-emitter';
import type { StepMetric, TrainEvent } from '../../../src/core/spec/events';
import { useCpu } from '../../helpers/tf-cpu';

beforeAll(useCpu);

function setup(throttleMs = 100) {
  let clock = 0;
  const events: TrainEvent[] = [];
  const history: StepMetric[] = [];
  const m = new MetricsEmitter({
    emit: (e) => events.push(e),
    record: (p) => history.push(p),
    totalSteps: 100,
    metaBatch: 4,
    startStep: 0,
    throttleMs,
    now: () => clock,
    yieldNow: async () => {},
  });
  return { m, events, history, tick: (ms: number) => (clock += ms) };
}

describe('MetricsEmitter', () => {
  it('emits once per interval, with every point read back in order, and frees the losses', async () => {
    const t = setup();
    const before = tf.memory().numTensors;
    for (let step = 1; step <= 3; step++) {
      t.tick(10);
      t.m.push(step, tf.scalar(step / 10));
      await t.m.afterStep(step, false);
    }
    expect(t.events).toEqual([]);
    t.tick(100);
    t.m.push(4, tf.scalar(0.4));
    await t.m.afterStep(4, false);
    expect(t.events.map((e) => e.type)).toEqual(['metrics', 'progress']);
    const metrics = t.events[0] as Extract<TrainEvent, { type: 'metrics' }>;
    expect(metrics.points.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(metrics.points[3]!.trainLoss).toBeCloseTo(0.4, 6);
    const progress = t.events[1] as Extract<TrainEvent, { type: 'progress' }>;
    // 4 steps in 130 ms of fake time
    expect(progress.stepsPerSec).toBeCloseTo(4 / 0.13, 6);
    expect(progress.tasksPerSec).toBeCloseTo((4 * 4) / 0.13, 6);
    expect(progress.etaSec).toBeCloseTo(96 / (4 / 0.13), 6);
    expect(progress.lastLoss).toBeCloseTo(0.4, 6);
    expect(t.history.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a validation step emits at once; finish emits what is left', async () => {
    const t = setup(1e9);
    t.m.push(1, tf.scalar(1));
    await t.m.afterStep(1, true);
    expect(t.events.map((e) => e.type)).toEqual(['metrics', 'progress']);
    t.m.push(2, tf.scalar(2));
    await t.m.afterStep(2, false);
    expect(t.events).toHaveLength(2);
    await t.m.finish();
    expect(t.events.at(-1)).toEqual({ type: 'metrics', points: [{ step: 2, trainLoss: 2 }] });
  });

  it('a progress event with no new points keeps the latest loss (not NaN, which reads "diverged")', async () => {
    const t = setup(1e9);
    t.m.push(1, tf.scalar(0.7));
    await t.m.afterStep(1, true);
    // a second emit at once, with nothing read back since: the CLI's last line at a time limit
    await t.m.afterStep(1, true);
    const progress = t.events.filter((e) => e.type === 'progress');
    expect(progress).toHaveLength(2);
    expect((progress[1] as Extract<TrainEvent, { type: 'progress' }>).lastLoss).toBeCloseTo(0.7, 6);
  });

  it('reads back without an event when the steps in flight reach the bound', async () => {
    const t = setup(1e9);
    // 1000 steps per second of fake time: stepsInFlight(1000) = 50 is the bound
    for (let step = 1; step <= 50; step++) {
      t.tick(1);
      t.m.push(step, tf.scalar(step));
      await t.m.afterStep(step, false);
    }
    expect(t.history).toHaveLength(50);
    expect(t.events).toEqual([]);
  });
});
