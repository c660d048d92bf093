/**
 * The fused WASM meta-step on two threads: each meta-batch is split, the
 * calling thread runs its first ⌈B/2⌉ tasks while a helper thread — a second
 * instance of the same kernels in a nested Web Worker, or a Node worker
 * thread — runs the other ⌊B/2⌋ at the same params; the two summed
 * meta-gradients (each already scaled by 1/B) and losses are added. The
 * caller applies the optimizer as before.
 *
 * Per step the caller writes the params and the helper's tasks into a
 * SharedArrayBuffer, wakes the helper with Atomics.notify, computes its own
 * half, and blocks in Atomics.wait until the helper is done: no message and
 * no event-loop turn per step (thread-protocol.ts). Atomics.wait blocks, so
 * this runs in a worker (the training worker) or Node, never on a page's
 * main thread.
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
  CMD,
  CMD_ECHO,
  CMD_STEP,
  CONTROL_WORDS,
  DONE,
  FAILED,
  SEQ,
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
  /** 2 when the helper ran half the tasks, 1 when this thread ran them all */
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
      Atomics.add(this.control, SEQ, 1);
      Atomics.notify(this.control, SEQ);
    }
    this.helper?.terminate();
    this.helper = null;
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

  /** The helper serving its part of this shape, or false when it does not in time. */
  private configured(part: FusedShape, paramSizes: number[]): DataViews | null {
    const c = this.control as Int32Array;
    const key = keyOf(part);
    if (this.config?.key !== key) {
      const id = this.nextId++;
      const data = new SharedArrayBuffer(dataBytes(part, paramSizes));
      this.config = { key, id, views: dataViews(data, part, paramSizes) };
      // Out of the old step loop (the bump wakes it), then the new config.
      Atomics.store(c, WANT, id);
      Atomics.add(c, SEQ, 1);
      Atomics.notify(c, SEQ);
      this.helper?.post({ type: 'config', id, data, shape: part, paramSizes });
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
      if (done === s) return Atomics.load(c, FAILED) === 0;
      const left = STEP_TIMEOUT_MS - (performance.now() - t0);
      if (left <= 0) return false;
      Atomics.wait(c, DONE, done, left);
    }
  }

  /** Wakes the helper for one request (a step, or an echo), returns its sequence number. */
  private request(cmd: number): number {
    const c = this.control as Int32Array;
    Atomics.store(c, CMD, cmd);
    const s = Atomics.add(c, SEQ, 1) + 1;
    Atomics.notify(c, SEQ);
    return s;
  }

  /**
   * The meta-gradient (summed, scaled by 1/B) and mean query loss of the
   * whole batch at params: split across the two threads when the helper is
   * up, else on this thread.
   */
  run(shape: FusedShape, params: readonly Float32Array[], batch: FusedBatch): SplitResult {
    const B = shape.tasks;
    const theirs = Math.floor(B / 2);
    const mine = B - theirs;
    const alone = (): SplitResult => ({ ...this.engine(shape).run(params, batch), threads: 1 });
    if (theirs === 0 || !this.threaded) return alone();
    const paramSizes = params.map((p) => p.length);
    const part = { ...shape, tasks: theirs, meanOver: B };
    const views = this.configured(part, paramSizes);
    if (!views) {
      this.failIfHelperSaidSo();
      return alone();
    }
    params.forEach((p, i) => (views.params[i] as Float32Array).set(p));
    const dIn = shape.widths[0] as number;
    const dOut = shape.widths[shape.widths.length - 1] as number;
    const cut = (a: Float32Array, rows: number, d: number) =>
      a.subarray(mine * rows * d, B * rows * d);
    views.supportX.set(cut(batch.supportX, shape.support, dIn));
    views.supportY.set(cut(batch.supportY, shape.support, dOut));
    views.queryX.set(cut(batch.queryX, shape.query, dIn));
    views.queryY.set(cut(batch.queryY, shape.query, dOut));
    const s = this.request(CMD_STEP);
    const own = this.engine({ ...shape, tasks: mine, meanOver: B }).run(params, batch);
    if (!this.awaitDone(s)) {
      if (!this.failIfHelperSaidSo()) this.fail('the helper thread did not answer in time');
      return alone();
    }
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
    for (let i = 0; i < n; i++) if (!this.awaitDone(this.request(CMD_ECHO))) return null;
    return (performance.now() - t0) / n;
  }

  /** Stops and terminates the helper; steps after this run on one thread. */
  dispose(): void {
    if (!this.failed) this.failed = 'disposed';
    this.stopHelper();
    this.engines.clear();
  }
}
