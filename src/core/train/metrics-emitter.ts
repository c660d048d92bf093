/**
 * How a run's per-step losses become events: losses stay on the backend
 * until a flush reads them back together (one await per flush, never
 * dataSync), and `metrics` + `progress` go out at most once per throttle
 * interval (and at every validation step), so the worker posts about ten
 * messages a second whatever the step rate.
 *
 * Back-pressure: at most stepsInFlight(rate) steps are queued before the
 * loop waits for their losses; on a GPU step() only enqueues work, and
 * without a bound Pause and Stop would land several steps late.
 *
 * Ownership: it owns the loss scalars handed to `push` and disposes each
 * once read. Every point read back goes to `record` (the run's history)
 * and, in order, into the next `metrics` event.
 */
import type * as tf from '@tensorflow/tfjs';
import type { StepMetric, TrainEvent } from '../spec/events';

/**
 * How many steps may be queued on the backend before the loop waits for
 * their losses. About a quarter of a second of work in flight keeps a fast
 * GPU busy and a slow one (SwiftShader, 2 s a step) within one step of the
 * person's click.
 */
export function stepsInFlight(stepsPerSec: number): number {
  return Math.min(50, Math.max(1, Math.floor(0.25 * stepsPerSec)));
}

export interface EmitterOptions {
  emit: (e: TrainEvent) => void;
  /** a point read back: appended to the run's history */
  record: (p: StepMetric) => void;
  totalSteps: number;
  metaBatch: number;
  /** the step the run (re)started from: rates count from here */
  startStep: number;
  throttleMs: number;
  now?: () => number;
  /** lets timers run between bursts of steps (a progress bar, a UI message) */
  yieldNow?: () => Promise<void>;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export class MetricsEmitter {
  private pending: { step: number; loss: tf.Scalar }[] = [];
  private unsent: StepMetric[] = [];
  /**
   * The latest train loss read back, kept across emits: a progress event right
   * after a validation has no new points, and NaN there read as "diverged".
   */
  private latestLoss = NaN;
  private lastEmit: number;
  private readonly t0: number;
  private readonly now: () => number;

  constructor(private readonly o: EmitterOptions) {
    this.now = o.now ?? (() => performance.now());
    this.t0 = this.now();
    this.lastEmit = this.t0;
  }

  /** the loss of `step`, still on the backend (owned from here on) */
  push(step: number, loss: tf.Scalar): void {
    this.pending.push({ step, loss });
  }

  /** Reads back the losses of steps taken but not read yet, into the history. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const values = await Promise.all(batch.map((p) => p.loss.data()));
    batch.forEach((p, i) => {
      p.loss.dispose();
      const point = { step: p.step, trainLoss: (values[i] as Float32Array)[0] as number };
      this.o.record(point);
      this.unsent.push(point);
    });
  }

  /**
   * After each step: reads losses back when the throttle interval has
   * passed, at a validation step, or when too many steps are in flight, and
   * emits metrics + progress in the first two cases.
   */
  async afterStep(step: number, atValidation: boolean): Promise<void> {
    const now = this.now();
    const rate = (step - this.o.startStep) / Math.max((now - this.t0) / 1000, 1e-9);
    const due = now - this.lastEmit >= this.o.throttleMs || atValidation;
    if (!due && this.pending.length < stepsInFlight(rate)) return;
    await this.flush();
    if (!due) return;
    const elapsed = (this.now() - this.t0) / 1000;
    const sps = (step - this.o.startStep) / Math.max(elapsed, 1e-9);
    const last = this.unsent[this.unsent.length - 1];
    if (last) this.latestLoss = last.trainLoss;
    this.o.emit({ type: 'metrics', points: this.unsent });
    this.o.emit({
      type: 'progress',
      step,
      totalSteps: this.o.totalSteps,
      stepsPerSec: sps,
      tasksPerSec: sps * this.o.metaBatch,
      etaSec: (this.o.totalSteps - step) / Math.max(sps, 1e-9),
      lastLoss: this.latestLoss,
    });
    this.unsent = [];
    // Awaiting resolved promises alone never leaves the microtask queue.
    await (this.o.yieldNow ?? yieldToEventLoop)();
    this.lastEmit = this.now();
  }

  /** At the end of the run: the last losses read back and emitted. */
  async finish(): Promise<void> {
    await this.flush();
    if (this.unsent.length) this.o.emit({ type: 'metrics', points: this.unsent });
    this.unsent = [];
  }
}
