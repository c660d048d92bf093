/**
 * A run's trainer events as protocol events: the recent throughput (over
 * the last reporting interval, restarted after validation, a pause or a
 * move to another backend), the worker's tensor memory at most once a
 * second, the validation metric's name, and whether `done` went out. One
 * per TrainingRun; it outlives the run's attempts on several backends.
 */
import * as tf from '@tensorflow/tfjs';
import type { ProblemKind } from '../core/data/types';
import type { TrainEvent } from '../core/spec/events';
import type { WorkerEvent } from './protocol';

export class RunEvents {
  private lastMemoryAt = 0;
  private lastProgress: { step: number; t: number } | null = null;
  private done = false;
  private readonly metric: 'mse' | 'accuracy';

  constructor(
    private readonly post: (e: WorkerEvent) => void,
    kind: ProblemKind,
    private readonly metaBatch: number,
  ) {
    this.metric = kind === 'regression' ? 'mse' : 'accuracy';
  }

  /** true once `done` was posted */
  get doneEmitted(): boolean {
    return this.done;
  }

  /** the last step reported (0 before the first progress) */
  get step(): number {
    return this.lastProgress?.step ?? 0;
  }

  /** The run resumed on another backend: the recent rate starts over. */
  resumedElsewhere(): void {
    this.lastProgress = null;
  }

  /** Time spent validating or paused is not training: the recent rate restarts after it. */
  restartRateClock(): void {
    if (this.lastProgress) this.lastProgress = { ...this.lastProgress, t: performance.now() };
  }

  postMemory(force = false): void {
    const now = performance.now();
    if (!force && now - this.lastMemoryAt < 1000) return;
    this.lastMemoryAt = now;
    const m = tf.memory();
    this.post({ type: 'memory', numTensors: m.numTensors, numBytes: m.numBytes });
  }

  forward(e: TrainEvent): void {
    const post = this.post;
    switch (e.type) {
      case 'compiling':
        post({ type: 'compiling', message: e.message });
        return;
      case 'progress': {
        const now = performance.now();
        const prev = this.lastProgress;
        const recent =
          prev && e.step > prev.step && now > prev.t
            ? ((e.step - prev.step) * this.metaBatch) / ((now - prev.t) / 1000)
            : e.tasksPerSec;
        this.lastProgress = { step: e.step, t: now };
        post({
          type: 'progress',
          step: e.step,
          totalSteps: e.totalSteps,
          stepsPerSec: e.stepsPerSec,
          tasksPerSec: e.tasksPerSec,
          recentTasksPerSec: recent,
          etaSec: e.etaSec,
          lastLoss: e.lastLoss,
        });
        this.postMemory();
        return;
      }
      case 'metrics':
        post({ type: 'metrics', points: e.points });
        return;
      case 'validation':
        this.restartRateClock();
        post({
          type: 'validation',
          point: e.point,
          bestStep: e.bestStep,
          improved: e.improved,
          metric: this.metric,
        });
        return;
      case 'done':
        this.done = true;
        post({ type: 'done', reason: e.reason, step: e.step, bestStep: e.bestStep });
        return;
      default:
        e satisfies never;
    }
  }
}
