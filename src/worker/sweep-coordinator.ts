/**
 * A sweep in the browser: this coordinator lives in the training worker,
 * asks the sampler for each trial's settings, hands trials to a few trial
 * workers (each its own tfjs, so trials never share state and, on WASM, run
 * on separate cores), runs successive halving on the validation scores they
 * report, and posts each finished trial with the best so far and the
 * parameter importances. The page's thread only draws.
 *
 * Parallel trials: the sampler sees the trials finished so far (a trial still
 * running is not in its history), so with several workers TPE proposes from
 * less information than one after another, and which trials it proposes
 * depends on the order they finish. With one worker the trials equal the
 * CLI's `sweep` for the same seed and settings.
 *
 * Ownership: the coordinator spawns, reuses and terminates its trial workers
 * (through `spawn`, so Node tests run trials in-process); Stop terminates
 * them at once and drops the trials still running.
 */
import type { BackendName } from '../core/spec/backend';
import {
  parseSweepSpace,
  type SweepParams,
  type SweepSpace,
  type TrialRecord,
} from '../core/spec/sweep-space';
import { SuccessiveHalving } from '../core/sweep/asha';
import { IMPORTANCE_METHOD, paramImportance } from '../core/sweep/importance';
import type { Observation, Sampler } from '../core/sweep/sampler';
import { createSampler } from '../core/sweep/samplers';
import type { SessionDataset, StoredSweep } from '../sessions/schema';
import type { Post } from './outbox';
import type { SweepStart, TrialCommand, TrialEvent } from './protocol';

/** A trial worker as the coordinator drives it. */
export interface TrialPort {
  send(cmd: TrialCommand): void;
  terminate(): void;
}

/** Creates a trial worker; `onCrash` is called when it dies without a result. */
export type SpawnTrial = (
  onEvent: (e: TrialEvent) => void,
  onCrash: (message: string) => void,
) => TrialPort;

/** Backends that run one trial at a time: a GPU shared by several runs gains nothing. */
const ONE_AT_A_TIME: readonly BackendName[] = ['webgpu', 'webgl'];

/** What the sweep runs on: the data trained on now and the worker's backend. */
export interface SweepData {
  dataset: SessionDataset;
  kind: 'regression' | 'classification';
  backend: BackendName;
}

interface Slot {
  port: TrialPort;
  /** the trial it runs, with its settings; null when idle */
  trial: { number: number; params: SweepParams } | null;
}

class RunningSweep {
  readonly slots: Slot[] = [];
  readonly trials: TrialRecord[] = [];
  private readonly history: Observation[] = [];
  private readonly sampler: Sampler;
  private readonly asha: SuccessiveHalving | null;
  private readonly sign: number;
  private next = 0;
  private exhausted = false;
  private best: number | null = null;
  ended = false;

  constructor(
    private readonly req: SweepStart,
    private readonly space: SweepSpace,
    private readonly data: SweepData,
    private readonly post: Post,
    spawn: SpawnTrial,
    workers: number,
    private readonly onEnd: () => void,
  ) {
    const direction = data.kind === 'regression' ? 'minimize' : 'maximize';
    this.sign = direction === 'minimize' ? 1 : -1;
    this.sampler = createSampler(req.sampler, space, req.base.seed);
    this.asha = req.pruning
      ? new SuccessiveHalving({ ...req.pruning, maxSteps: req.base.metaSteps, direction })
      : null;
    for (let i = 0; i < workers; i++) {
      const slot: Slot = { port: null as unknown as TrialPort, trial: null };
      const wire = () =>
        spawn(
          (e) => this.onEvent(slot, e),
          (message) => {
            // A crashed worker cannot be trusted with the next trial: replace it.
            slot.port.terminate();
            slot.port = wire();
            this.onResult(slot, this.failed(slot, message));
          },
        );
      slot.port = wire();
      this.slots.push(slot);
    }
  }

  get record(): StoredSweep {
    return {
      sampler: this.req.sampler,
      seed: this.req.base.seed,
      space: this.space,
      pruning: this.req.pruning,
      metric: this.data.kind === 'regression' ? 'mse' : 'accuracy',
      trials: this.trials,
      best: this.best === null ? null : this.trials.findIndex((t) => t.number === this.best),
    };
  }

  startAll(): void {
    for (const slot of this.slots) this.launch(slot);
    this.endIfIdle();
  }

  private launch(slot: Slot): void {
    slot.trial = null;
    if (this.ended || this.exhausted || this.next >= this.req.trials) return;
    const number = this.next;
    const params = this.sampler.sample(this.history, number);
    if (!params) {
      this.exhausted = true;
      return;
    }
    this.next++;
    slot.trial = { number, params };
    slot.port.send({
      type: 'run',
      trial: number,
      params,
      base: this.req.base,
      dataset: this.data.dataset,
      backend: this.data.backend,
    });
  }

  private onEvent(slot: Slot, e: TrialEvent): void {
    if (this.ended) return;
    switch (e.type) {
      case 'validation':
        if (this.asha && this.asha.report(e.trial, e.step, e.metric) === 'prune')
          slot.port.send({ type: 'prune', trial: e.trial });
        return;
      case 'result':
        return this.onResult(slot, e.record);
      default:
        e satisfies never;
    }
  }

  private failed(slot: Slot, message: string): TrialRecord {
    return {
      number: slot.trial?.number ?? -1,
      params: slot.trial?.params ?? {},
      state: 'failed',
      value: null,
      bestStep: 0,
      steps: 0,
      seconds: 0,
      message: `the trial worker failed: ${message}`,
    };
  }

  private onResult(slot: Slot, record: TrialRecord): void {
    if (this.ended || slot.trial === null) return;
    this.trials.push(record);
    this.history.push({
      params: record.params,
      state: record.state,
      loss: record.value === null ? null : this.sign * record.value,
    });
    const bestValue = this.trials.find((t) => t.number === this.best)?.value ?? null;
    if (
      record.state === 'complete' &&
      record.value !== null &&
      (bestValue === null || this.sign * record.value < this.sign * bestValue)
    )
      this.best = record.number;
    const importance = paramImportance(
      this.space,
      this.trials.map((t) => ({
        params: t.params,
        loss: t.value === null ? null : this.sign * t.value,
      })),
    ).map((p) => ({ key: p.key, importance: p.importance }));
    this.post({ type: 'sweep-trial', trial: record, best: this.best, importance });
    this.launch(slot);
    this.endIfIdle();
  }

  private endIfIdle(): void {
    if (this.slots.some((s) => s.trial !== null)) return;
    this.end('finished');
  }

  end(reason: 'finished' | 'stopped'): void {
    if (this.ended) return;
    this.ended = true;
    for (const slot of this.slots) slot.port.terminate();
    this.post({ type: 'sweep-done', reason, message: null, record: this.record });
    this.onEnd();
  }
}

export class SweepCoordinator {
  private running: RunningSweep | null = null;
  /** the last sweep that ended and the data it ran on, for the sessions saved next */
  private last: { record: StoredSweep; dataset: SessionDataset } | null = null;

  constructor(
    private readonly post: Post,
    private readonly spawn: SpawnTrial,
  ) {}

  get busy(): boolean {
    return this.running !== null;
  }

  /** the sweep shown now (running or ended), as a session stores it */
  get record(): StoredSweep | null {
    return this.running?.record ?? this.last?.record ?? null;
  }

  /** The last ended sweep when it ran on `dataset` (a run's session carries it), else null. */
  recordFor(dataset: SessionDataset): StoredSweep | null {
    const d = this.last?.dataset;
    if (!d || d.sha256 !== dataset.sha256 || d.name !== dataset.name) return null;
    return this.last?.record ?? null;
  }

  /** Starts a sweep, or answers `sweep-done` (refused) saying why it cannot. */
  start(req: SweepStart, data: SweepData | string): void {
    const refuse = (message: string) =>
      this.post({ type: 'sweep-done', reason: 'refused', message, record: null });
    if (this.running) return refuse('A sweep is running already; stop it first.');
    if (typeof data === 'string') return refuse(data);
    if (!(Number.isInteger(req.trials) && req.trials >= 1))
      return refuse('The number of trials must be a whole number of at least 1.');
    let space: SweepSpace;
    try {
      space = parseSweepSpace(req.space, req.base);
    } catch (e) {
      return refuse(e instanceof Error ? e.message : String(e));
    }
    const asked = Math.max(1, Math.floor(req.workers));
    const oneAtATime = ONE_AT_A_TIME.includes(data.backend);
    const workers = Math.min(oneAtATime ? 1 : asked, req.trials);
    this.post({
      type: 'sweep-started',
      total: req.trials,
      workers,
      backend: data.backend,
      metric: data.kind === 'regression' ? 'mse' : 'accuracy',
      importanceMethod: IMPORTANCE_METHOD,
    });
    const sweep = new RunningSweep(req, space, data, this.post, this.spawn, workers, () => {
      this.last = { record: sweep.record, dataset: data.dataset };
      this.running = null;
    });
    this.running = sweep;
    sweep.startAll();
  }

  stop(): void {
    this.running?.end('stopped');
  }
}
