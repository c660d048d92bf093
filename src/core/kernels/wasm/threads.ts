/**
 * The fused WASM meta-step on two threads: the calling thread and a helper
 * thread — a second instance of the same kernels in a nested Web Worker, or
 * a Node worker thread — run the tasks of one meta-batch at the same params,
 * each taking the next task from a shared atomic counter, so the thread that
 * gets more CPU runs more tasks. Their summed meta-gradients (each task
 * scaled by 1/B) and losses are added; the caller applies the optimizer as
 * before.
 *
 * Per step the caller writes the params and the batch into a
 * SharedArrayBuffer, offers the step and wakes the helper with
 * Atomics.notify, runs tasks until none are left, and then either withdraws
 * the offer (the helper never woke: nothing to wait for) or blocks in
 * Atomics.wait until the helper's last task is done. No message and no
 * event-loop turn per step (thread-protocol.ts). Atomics.wait blocks, so this
 * runs in a worker (the training worker) or Node, never on a page's main
 * thread.
 *
 * Until the helper is up (a worker takes 10 ms–1 s to start), and on a batch
 * of one task, steps run on the calling thread alone with the same result.
 * Where threads cannot run at all — no SharedArrayBuffer (a page that is not
 * cross-origin isolated), Atomics.wait forbidden here, no way to start a
 * worker — or the helper fails, every step runs on one thread and onFallback
 * hears why, once.
 */
import { FusedMlpStep, type FusedBatch, type FusedShape } from './fused-step';
import type { MlpKernels } from './load';
import {
  APPLIED,
  CLAIM,
  CMD,
  CMD_ECHO,
  CMD_STEP,
  CONTROL_WORDS,
  DONE,
  FAILED,
  HELPER_TASKS,
  OPEN,
  UP,
  WANT,
  dataBytes,
  dataViews,
  type DataViews,
  type HelperReply,
  type HelperRequest,
} from './thread-protocol';

/** A started helper thread, whatever starts it. */
export interface HelperHandle {
  post(m: HelperRequest): void;
  /** replies, and why the thread failed to start or died */
  listen(onReply: (m: HelperReply) => void, onError: (why: string) => void): void;
  terminate(): void;
}
export type HelperSpawner = () => HelperHandle;

function webSpawner(): HelperHandle {
  // Written inline: Vite bundles a worker only for this exact pattern.
  const w = new Worker(new URL('./fused-helper.worker.ts', import.meta.url), { type: 'module' });
  return {
    post: (m) => w.postMessage(m),
    listen(onReply, onError) {
      w.onmessage = (e: MessageEvent<HelperReply>) => onReply(e.data);
      w.onerror = (e) => {
        e.preventDefault();
        onError(`the helper worker failed: ${e.message || 'it did not load'}`);
      };
      w.onmessageerror = () => onError('the helper worker could not read a message');
    },
    terminate: () => w.terminate(),
  };
}

let spawner: HelperSpawner | null = typeof Worker === 'function' ? webSpawner : null;

/** Node has no Web Worker: node-threads.ts registers worker_threads here. */
export function setHelperSpawner(s: HelperSpawner | null): void {
  spawner = s;
}

/** Why a second thread cannot run here, or null when it can. */
export function threadsUnavailable(): string | null {
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (typeof SharedArrayBuffer !== 'function' || g.crossOriginIsolated === false)
    return 'the page is not cross-origin isolated, so there is no SharedArrayBuffer';
  try {
    // Returns 'not-equal' at once where blocking is allowed; throws on a page's main thread.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
  } catch {
    return 'this thread may not block (Atomics.wait), so it cannot wait for a helper';
  }
  if (!spawner) return 'there is no way to start a worker here';
  return null;
}

/** How long a step waits for its helper before running alone (a helper that hangs). */
const STEP_TIMEOUT_MS = 10_000;
/** How long a new shape waits for the helper to take it (it is up: milliseconds). */
const CONFIG_TIMEOUT_MS = 5_000;

const keyOf = (s: FusedShape) => JSON.stringify(s);

export interface SplitResult {
  loss: number;
  grads: Float32Array[];
  /** 2 when the helper ran some of the tasks, 1 when this thread ran them all */
  threads: 1 | 2;
}

export class SplitFusedStep {
  private readonly kernels: MlpKernels;
  private readonly onFallback: (why: string) => void;
  private helper: HelperHandle | null = null;
  private control: Int32Array | null = null;
  private failed: string | null = null;
  private readonly engines = new Map<string, FusedMlpStep>();
  private config: { key: string; id: number; views: DataViews } | null = null;
  private nextId = 1;
  /** the last request offered to the helper */
  private seq = 0;
  /**
   * Milliseconds this thread spent blocked on the helper after running its
   * own tasks, over the steps the helper took part in (their count): what a
   * helper descheduled mid-task costs on a busy machine.
   */
  readonly waits = { ms: 0, steps: 0 };
  private offeredTasks = 0;

  /** Tasks offered to both threads so far, and how many of them the helper ran. */
  taskShare(): { offered: number; helper: number } {
    const helper = this.control ? Atomics.load(this.control, HELPER_TASKS) : 0;
    return { offered: this.offeredTasks, helper };
  }
  /** resolves null once the helper is up, or with why there is none */
  readonly ready: Promise<string | null>;

  constructor(kernels: MlpKernels, onFallback: (why: string) => void) {
    this.kernels = kernels;
    this.onFallback = onFallback;
    const why = threadsUnavailable();
    if (why) {
      this.failed = why;
      onFallback(why);
      this.ready = Promise.resolve(why);
      return;
    }
    const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
    control[WANT] = 0;
    this.control = control;
    let settle: (why: string | null) => void = () => {};
    this.ready = new Promise((r) => (settle = r));
    try {
      const h = (spawner as HelperSpawner)();
      this.helper = h;
      h.listen(
        (m) => {
          if (m.type === 'up') settle(null);
          else this.fail(`the helper thread failed: ${m.message}`);
          if (this.failed) settle(this.failed);
        },
        (why) => {
          this.fail(why);
          settle(why);
        },
      );
      h.post({ type: 'init', control: control.buffer as SharedArrayBuffer });
    } catch (e) {
      this.fail(`the helper thread did not start: ${e instanceof Error ? e.message : String(e)}`);
      settle(this.failed);
    }
  }

  /** Whether the helper is up and well (steps then split). */
  get threaded(): boolean {
    return !this.failed && !!this.control && Atomics.load(this.control, UP) === 1;
  }

  private fail(why: string): void {
    if (this.failed) return;
    this.failed = why;
    this.stopHelper();
    this.onFallback(why);
  }

  private stopHelper(): void {
    if (this.control) {
      Atomics.store(this.control, WANT, -1);
      this.wake();
    }
    this.helper?.terminate();
    this.helper = null;
  }

  /** Makes the helper look at WANT: a value of OPEN it cannot be waiting on. */
  private wake(): void {
    const c = this.control as Int32Array;
    Atomics.store(c, OPEN, -(1 << 30) - this.nextId++);
    Atomics.notify(c, OPEN);
  }

  private engine(shape: FusedShape): FusedMlpStep {
    // Engines share the kernels' memory: each run packs all it reads, so they may take turns.
    const key = keyOf(shape);
    let e = this.engines.get(key);
    if (!e) {
      if (this.engines.size >= 4) this.engines.clear();
      e = new FusedMlpStep(this.kernels, shape);
      this.engines.set(key, e);
    }
    return e;
  }

  /** The helper serving this shape, or null when it does not in time. */
  private configured(shape: FusedShape, paramSizes: number[]): DataViews | null {
    const c = this.control as Int32Array;
    const key = keyOf(shape);
    if (this.config?.key !== key) {
      const id = this.nextId++;
      const data = new SharedArrayBuffer(dataBytes(shape, paramSizes));
      this.config = { key, id, views: dataViews(data, shape, paramSizes) };
      // Out of the old step loop, then the new config.
      Atomics.store(c, WANT, id);
      this.wake();
      this.helper?.post({ type: 'config', id, data, shape, paramSizes });
    }
    const { id, views } = this.config;
    const t0 = performance.now();
    for (;;) {
      const applied = Atomics.load(c, APPLIED);
      if (applied === id) return views;
      if (Atomics.load(c, FAILED)) return null;
      const left = CONFIG_TIMEOUT_MS - (performance.now() - t0);
      if (left <= 0) {
        this.fail('the helper thread did not take a new shape in time');
        return null;
      }
      Atomics.wait(c, APPLIED, applied, left);
    }
  }

  /** Blocks until the helper has answered request s; false when it failed or hung. */
  private awaitDone(s: number): boolean {
    const c = this.control as Int32Array;
    const t0 = performance.now();
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (Atomics.load(c, FAILED)) return false;
      if (done === s) return true;
      const left = STEP_TIMEOUT_MS - (performance.now() - t0);
      if (left <= 0) return false;
      Atomics.wait(c, DONE, done, left);
    }
  }

  /** Offers the helper one request (a step, or an echo) and wakes it; returns its number. */
  private offer(cmd: number): number {
    const c = this.control as Int32Array;
    const s = ++this.seq;
    Atomics.store(c, CMD, cmd);
    Atomics.store(c, OPEN, s);
    Atomics.notify(c, OPEN);
    return s;
  }

  /**
   * The meta-gradient (summed, scaled by 1/B) and mean query loss of the
   * whole batch at params: shared with the helper when it is up, else on
   * this thread.
   */
  run(shape: FusedShape, params: readonly Float32Array[], batch: FusedBatch): SplitResult {
    const B = shape.tasks;
    const alone = (): SplitResult => ({ ...this.engine(shape).run(params, batch), threads: 1 });
    if (B < 2 || !this.threaded) return alone();
    const views = this.configured(
      shape,
      params.map((p) => p.length),
    );
    if (!views) {
      this.failIfHelperSaidSo();
      return alone();
    }
    params.forEach((p, i) => (views.params[i] as Float32Array).set(p));
    views.supportX.set(batch.supportX.subarray(0, views.supportX.length));
    views.supportY.set(batch.supportY.subarray(0, views.supportY.length));
    views.queryX.set(batch.queryX.subarray(0, views.queryX.length));
    views.queryY.set(batch.queryY.subarray(0, views.queryY.length));
    const c = this.control as Int32Array;
    Atomics.store(c, CLAIM, 0);
    this.offeredTasks += B;
    const s = this.offer(CMD_STEP);
    const own = this.engine(shape).run(params, batch, () => Atomics.add(c, CLAIM, 1));
    // Every task is taken: if the helper has not woken yet, it gets nothing to do.
    if (Atomics.compareExchange(c, OPEN, s, 0) === s) return { ...own, threads: 1 };
    const t0 = performance.now();
    if (!this.awaitDone(s)) {
      if (!this.failIfHelperSaidSo()) this.fail('the helper thread did not answer in time');
      return alone();
    }
    this.waits.ms += performance.now() - t0;
    this.waits.steps++;
    let at = 0;
    for (const g of own.grads) {
      const h = views.grads.subarray(at, at + g.length);
      for (let j = 0; j < g.length; j++) g[j] = (g[j] as number) + (h[j] as number);
      at += g.length;
    }
    return { loss: own.loss + (views.loss[0] as number), grads: own.grads, threads: 2 };
  }

  /** A helper whose step threw says why by message; until it arrives, say that much. */
  private failIfHelperSaidSo(): boolean {
    const c = this.control;
    if (!c || !Atomics.load(c, FAILED)) return false;
    this.fail('the helper thread failed during a step');
    return true;
  }

  /**
   * The mean round trip of n empty requests (wake the helper, it answers at
   * once) in milliseconds: the synchronisation a split step pays on top of
   * its arithmetic. Null when the helper is not serving a shape yet.
   */
  pingMs(n: number): number | null {
    if (!this.threaded || !this.config) return null;
    const c = this.control as Int32Array;
    if (Atomics.load(c, APPLIED) !== this.config.id) return null;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (!this.awaitDone(this.offer(CMD_ECHO))) return null;
    return (performance.now() - t0) / n;
  }

  /** Stops and terminates the helper; steps after this run on one thread. */
  dispose(): void {
    if (!this.failed) this.failed = 'disposed';
    this.stopHelper();
    this.engines.clear();
  }
}
