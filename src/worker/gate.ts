/**
 * Pause, resume, stop and abort for one run, as the Trainer's RunControl.
 *
 * The trainer awaits `checkpoint()` before every meta-step. Each checkpoint
 * first yields one macrotask (through a MessageChannel: unlike setTimeout it
 * is not clamped to 4 ms after nesting), so the worker's message handler runs
 * between any two meta-steps and Pause/Stop take effect within one step. While
 * paused the checkpoint awaits a promise that Resume, Stop or abort settles.
 * `abort(err)` makes the next checkpoint throw `err`: the worker uses it to
 * retire a run whose backend failed.
 *
 * `onCheckpoint` runs at every checkpoint after the yield (the worker takes
 * its periodic snapshot there, between two complete meta-steps).
 */
import type { RunControl } from '../core/train/trainer';

type Port = { onmessage: ((e: unknown) => void) | null; postMessage(m: unknown): void };

let channel: { send: Port; waiting: (() => void)[] } | null = null;

/** Resolves after one macrotask: lets queued messages (Pause, Stop) be handled. */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  if (!channel) {
    const mc = new MessageChannel();
    const waiting: (() => void)[] = [];
    mc.port1.onmessage = () => waiting.shift()?.();
    // In Node an open port keeps the process alive; a browser worker has no unref.
    (mc.port1 as unknown as { unref?: () => void }).unref?.();
    channel = { send: mc.port2 as unknown as Port, waiting };
  }
  const c = channel;
  return new Promise((resolve) => {
    c.waiting.push(resolve);
    c.send.postMessage(0);
  });
}

/**
 * Thrown by a cancellable worker job (adaptation, evaluation, a pre-training
 * baseline) between two of its steps once a command that replaces the model
 * asked it to stop: the queue moves on, and the page is told the job was
 * dropped rather than shown an error.
 */
export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelled';
  }
}

export type GateState = 'running' | 'paused' | 'stopping';

export class RunGate implements RunControl {
  private paused = false;
  private stopped = false;
  private aborted: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly hooks: {
      /** called when a requested pause takes effect (the run is now waiting) */
      onPaused?: () => void;
      onResumed?: () => void;
      onCheckpoint?: () => Promise<void>;
    } = {},
  ) {}

  get state(): GateState {
    if (this.stopped) return 'stopping';
    return this.paused ? 'paused' : 'running';
  }

  async checkpoint(): Promise<void> {
    await yieldToEventLoop();
    this.throwIfAborted();
    if (this.paused && !this.stopped) {
      this.hooks.onPaused?.();
      while (this.paused && !this.stopped && !this.aborted) {
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      this.throwIfAborted();
      if (!this.stopped) this.hooks.onResumed?.();
    }
    if (!this.stopped) await this.hooks.onCheckpoint?.();
    this.throwIfAborted();
  }

  stopRequested(): boolean {
    return this.stopped;
  }

  pause(): void {
    if (!this.stopped) this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.release();
  }

  stop(): void {
    this.stopped = true;
    this.release();
  }

  abort(err: Error): void {
    this.aborted ??= err;
    this.release();
  }

  private release(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private throwIfAborted(): void {
    if (this.aborted) throw this.aborted;
  }
}
