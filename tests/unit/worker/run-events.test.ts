/**
 * RunEvents: the recent throughput over the last interval (and its restart
 * after a move to another backend), memory at most once a second unless
 * forced, the metric's name, and the `done` flag that ends a run.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { RunEvents } from '../../../src/worker/run-events';
import { collector } from './pieces';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

const progress = (step: number, tasksPerSec = 1) => ({
  type: 'progress' as const,
  step,
  totalSteps: 100,
  stepsPerSec: 1,
  tasksPerSec,
  etaSec: 1,
  lastLoss: 0.5,
});

describe('RunEvents', () => {
  it('reports the recent rate over the last interval, restarting after a backend move', () => {
    const c = collector();
    const ev = new RunEvents(c.post, 'regression', 5);
    const now = vi.spyOn(performance, 'now');
    now.mockReturnValue(1000);
    ev.forward(progress(10, 42));
    now.mockReturnValue(3000);
    ev.forward(progress(30));
    ev.resumedElsewhere();
    now.mockReturnValue(4000);
    ev.forward(progress(31, 7));
    now.mockRestore();
    // first: the trainer's average; then 20 steps × 5 tasks in 2 s; then the average again
    expect(c.of('progress').map((p) => p.recentTasksPerSec)).toEqual([42, 50, 7]);
    expect(ev.step).toBe(31);
  });

  it('posts memory at most once a second unless forced; names the metric; flags done', () => {
    const c = collector();
    const ev = new RunEvents(c.post, 'classification', 5);
    ev.postMemory(true);
    ev.postMemory();
    ev.postMemory(true);
    expect(c.of('memory')).toHaveLength(2);
    ev.forward({
      type: 'validation',
      point: { step: 0, loss: 1, metric: 0.5 },
      bestStep: 0,
      improved: true,
    });
    expect(c.of('validation')[0]?.metric).toBe('accuracy');
    expect(ev.doneEmitted).toBe(false);
    ev.forward({ type: 'done', reason: 'finished', step: 3, bestStep: 0, algorithm: 'maml' });
    expect(ev.doneEmitted).toBe(true);
    expect(c.of('done')[0]).toEqual({
      type: 'done',
      reason: 'finished',
      step: 3,
      bestStep: 0,
    });
  });
});
