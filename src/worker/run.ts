/**
 * One training run inside the worker: a core Trainer driven through a RunGate,
 * its events forwarded as protocol events, a snapshot of the whole state every
 * few seconds, and recovery when the backend fails mid-run.
 *
 * Recovery: when the GPU device is lost, reports an uncaptured error, or a
 * kernel throws on webgpu/webgl, the failed attempt is retired (its gate
 * aborted, its tensors freed), the next backend of the fallback order is set,
 * and a new Trainer resumes from the last snapshot (weights, Adam moments, RNG
 * state, history). The UI is told where the run now lives and from which step
 * it resumed. A move the person asks for (another backend picked during the
 * run) takes the same path: at the next step boundary a fresh snapshot is
 * taken, the attempt is retired and the run resumes on the backend asked
 * for, so nothing trained is lost. A failure that another backend would repeat (bad settings,
 * divergence, out of memory) ends the run with an error event instead.
 * Nothing here waits forever: a failed attempt gets a few seconds to wind
 * down before the backend is switched under it. Where the run goes after a
 * failed attempt is decided in ./run-recovery.
 *
 * Ownership: each attempt's Trainer (and so every tensor of the run) is
 * disposed when the attempt ends; snapshots and results are plain arrays.
 */
import { watchGpuDevice, type BackendChoice } from '../core/backend';
import {
  ENGINE_BACKEND_LABELS,
  type BackendName,
  type EngineBackendName,
  type FusedBackendName,
} from '../core/spec/backend';
import type { TaskSource } from '../core/data/types';
import type { TrainConfig } from '../core/spec/config';
import { Trainer, type TrainResult, type TrainState } from '../core/train/trainer';
import { BackendMove, BackendTrouble, RunCancelled } from './errors';
import { RunGate } from './gate';
import type { BackendRequest, WorkerEvent } from './protocol';
import { RunEvents } from './run-events';
import { recover } from './run-recovery';

export interface RunDeps {
  source: TaskSource;
  config: TrainConfig;
  resume?: TrainState;
  post: (e: WorkerEvent) => void;
  /** the backend tfjs runs on now */
  backend: () => BackendName;
  /** the fused engine asked for on top of it (null or absent: plain tfjs) */
  engine?: () => FusedBackendName | null;
  /** switch to the backend (or off the engine) after `from`; null when there is none left */
  fallback: (from: EngineBackendName, reason: string) => Promise<BackendChoice | null>;
  /** switch to the backend the person asked for (a move during the run) */
  switchTo?: (request: BackendRequest) => Promise<BackendChoice>;
  snapshotEveryMs?: number;
  /** how long a failed attempt may take to wind down before the backend changes */
  windDownMs?: number;
}

type Attempt = { ok: true; result: TrainResult } | { ok: false; error: unknown };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class TrainingRun {
  /** settles with the result, or null when the run failed (an error event was posted) or was reset */
  readonly finished: Promise<TrainResult | null>;
  private gate: RunGate | null = null;
  private pauseRequested = false;
  private stopRequested = false;
  private cancelled = false;
  private lastSnapshot: TrainState | undefined;
  private lastSnapshotAt = 0;
  private readonly events: RunEvents;
  /** a move asked for and not yet made, with who waits for its outcome */
  private move: { request: BackendRequest; done: (moved: boolean) => void } | null = null;
  private used: EngineBackendName | null = null;

  constructor(private readonly deps: RunDeps) {
    this.events = new RunEvents(deps.post, deps.source.kind, deps.config.metaBatch);
    this.lastSnapshot = deps.resume;
    this.finished = this.execute();
  }

  /** true once the run cannot train any further (Stop asked, done emitted, or reset) */
  get ending(): boolean {
    return this.stopRequested || this.events.doneEmitted || this.cancelled;
  }

  /** what the current attempt really trains with (a fused engine or a tfjs backend); null before it starts */
  get usedBackend(): EngineBackendName | null {
    return this.used;
  }

  /** the latest snapshot of the whole run state (read by the sessions autosave) */
  get latestSnapshot(): TrainState | undefined {
    return this.lastSnapshot;
  }

  pause(): void {
    this.pauseRequested = true;
    this.gate?.pause();
  }

  resume(): void {
    this.pauseRequested = false;
    this.gate?.resume();
  }

  stop(): void {
    this.stopRequested = true;
    this.gate?.stop();
    this.deps.post({ type: 'status', state: 'stopping', step: this.events.step });
  }

  /**
   * Moves the run to another backend at the next step boundary, from a fresh
   * snapshot. Resolves true once it runs there, false when the run ended first
   * (or cannot move). A paused run is woken for that one boundary and stays paused.
   */
  moveTo(request: BackendRequest): Promise<boolean> {
    if (!this.deps.switchTo || this.ending) return Promise.resolve(false);
    this.move?.done(false);
    return new Promise((done) => {
      this.move = { request, done };
      this.gate?.resume();
    });
  }

  /** Ends the run as soon as possible without a result (Reset). */
  cancel(): void {
    this.cancelled = true;
    this.gate?.abort(new RunCancelled());
  }

  private async execute(): Promise<TrainResult | null> {
    try {
      return await this.attempts();
    } finally {
      this.move?.done(false);
      this.move = null;
    }
  }

  private async attempts(): Promise<TrainResult | null> {
    let resume = this.deps.resume;
    for (;;) {
      const backend = this.deps.backend();
      const attempt = await this.attempt(resume);
      const engine = this.used !== null && this.used !== backend ? this.used : null;
      if (attempt.ok) return attempt.result;
      if (this.cancelled || attempt.error instanceof RunCancelled) return null;
      const from = this.lastSnapshot;
      // A fused engine that failed gives way to tfjs on its base; a lost device takes the base too.
      const failed = engine && !(attempt.error instanceof BackendTrouble) ? engine : backend;
      const outcome = await recover(attempt.error, failed, from?.step ?? 0, this.deps);
      if (outcome === 'ended') return null;
      resume = from;
      this.events.resumedElsewhere();
      if (outcome === 'moved') {
        this.move?.done(true);
        this.move = null;
      }
    }
  }

  private async attempt(resume: TrainState | undefined): Promise<Attempt> {
    const { post, source, config } = this.deps;
    let trainer: Trainer | null = null;
    let running: Promise<TrainResult> | null = null;
    let unwatch = () => {};
    let seen: BackendTrouble | null = null;
    let fail: (e: Error) => void = () => {};
    const trouble = new Promise<never>((_, reject) => (fail = reject));
    trouble.catch(() => {});
    const gate: RunGate = new RunGate({
      onPaused: () => post({ type: 'status', state: 'paused', step: trainer?.step ?? 0 }),
      onResumed: () => {
        this.events.restartRateClock();
        post({ type: 'status', state: 'training', step: trainer?.step ?? 0 });
      },
      onCheckpoint: (): Promise<void> => this.atBoundary(trainer, gate),
    });
    if (this.pauseRequested) gate.pause();
    if (this.stopRequested) gate.stop();
    this.gate = gate;
    try {
      const backend = this.deps.backend();
      const requested = this.deps.engine?.() ?? null;
      let reason: string | null = null;
      this.used = null;
      trainer = new Trainer(source, config, {
        onEvent: (e) => this.events.forward(e),
        control: gate,
        throttleMs: 100,
        resume,
        ...(requested
          ? {
              engine: requested,
              onEngineFallback: (why: string) => (reason = why),
              onThreadsFallback: (why: string) => {
                reason = why;
                // The helper failed after the run began: the session records one thread.
                if (this.used === 'wasm-fused-2t') {
                  this.used = 'wasm-fused';
                  post({ type: 'run-engine', requested, used: 'wasm-fused', backend, reason });
                }
              },
            }
          : {}),
      });
      this.used = trainer.engine === 'tfjs' ? backend : trainer.engine;
      post({ type: 'run-engine', requested, used: this.used, backend, reason });
      await trainer.restoreOptimizer();
      this.lastSnapshotAt = performance.now();
      post({
        type: 'compiling',
        message: `Compiling ${ENGINE_BACKEND_LABELS[this.used]} kernels for the first meta-step (can take several seconds)…`,
      });
      post({ type: 'status', state: 'training', step: trainer.step });
      this.events.postMemory(true);
      unwatch = watchGpuDevice((t) => {
        seen = new BackendTrouble(t.kind, t.message);
        gate.abort(seen);
        fail(seen);
      });
      running = trainer.run();
      running.catch(() => {});
      const result = await Promise.race([running, trouble]);
      return { ok: true, result };
    } catch (thrown) {
      // A lost device usually surfaces first as a failed readback ("Buffer was unmapped
      // before mapping was resolved"); give device.lost a moment to say what really happened.
      if (!seen && !(thrown instanceof BackendMove) && this.deps.backend() === 'webgpu')
        await Promise.race([trouble.catch(() => {}), sleep(500)]);
      const error: unknown = seen ?? thrown;
      gate.abort(error instanceof Error ? error : new Error(String(error)));
      // Let the abandoned loop reach its next checkpoint (where it throws) before the
      // backend changes under it; a readback stuck on a dead device is left behind.
      if (running)
        await Promise.race([running.catch(() => {}), sleep(this.deps.windDownMs ?? 3000)]);
      return { ok: false, error };
    } finally {
      unwatch();
      try {
        trainer?.dispose();
      } catch {
        // the tensors of a lost device cannot always be freed; the backend is abandoned anyway
      }
      this.events.postMemory(true);
    }
  }

  /** Between two meta-steps: a move asked for takes a fresh snapshot and retires the attempt. */
  private async atBoundary(trainer: Trainer | null, gate: RunGate): Promise<void> {
    if (!this.move || !trainer) return this.maybeSnapshot(trainer);
    this.lastSnapshot = await trainer.snapshot();
    this.lastSnapshotAt = performance.now();
    gate.abort(new BackendMove(this.move.request));
  }

  private async maybeSnapshot(trainer: Trainer | null): Promise<void> {
    if (!trainer) return;
    const now = performance.now();
    if (now - this.lastSnapshotAt < (this.deps.snapshotEveryMs ?? 5000)) return;
    this.lastSnapshot = await trainer.snapshot();
    this.lastSnapshotAt = performance.now();
  }
}
