/**
 * The training loop: meta-steps over meta-batches drawn from the source,
 * meta-validation every few steps on a fixed set of held-out episodes, the
 * best-on-validation weights kept (early stopping with a patience), and the
 * joint pre-training baseline trained on the same task stream afterwards.
 *
 * It emits TrainEvents and never touches the DOM, so the browser worker and
 * the CLI both drive it. Losses are read back asynchronously in batches (one
 * await per flush, never dataSync), and metrics events are throttled.
 *
 * Validation runs at step 0 too: with few training classes, meta-training can
 * make held-out accuracy worse than no training at all, and then the best
 * weights are the initial ones and bestStep says so.
 *
 * Ownership: the Trainer owns its Learner (and so every tensor of the run) and
 * frees it in dispose(). Results are plain Float32Arrays.
 */
import * as tf from '@tensorflow/tfjs';
import type { EpisodeBatch, EpisodeShape, TaskSource } from '../data/types';
import { DataError } from '../data/types';
import { Rng, type RngState } from '../rng';
import { initParamArrays, isConv, type ModelSpec } from '../models/model';
import {
  createLearner,
  lossKindOf,
  specFor,
  type Learner,
  type OptimizerState,
} from '../algorithms/index';
import type { AdaptStyle } from '../algorithms/learner';
import type { TrainConfig } from './config';
import { validateConfig } from './config';
import type { StepMetric, TrainEvent, ValidationMetric } from './events';
import { evaluateModels, type EvalModel } from './evaluate';
import { withFreshHead } from '../algorithms/baselines';

export interface RunControl {
  /** resolves when the run may continue (the worker awaits Resume here) */
  checkpoint(): Promise<void>;
  stopRequested(): boolean;
}

export interface TrainedModel {
  spec: ModelSpec;
  arrays: Float32Array[];
  adaptStyle: AdaptStyle;
}

/** Everything needed to continue a run exactly where it was. */
export interface TrainState {
  step: number;
  params: Float32Array[];
  optimizer: OptimizerState | null;
  rng: RngState;
  best: { step: number; value: number; arrays: Float32Array[] };
  sinceImprovement: number;
  history: { train: StepMetric[]; validation: ValidationMetric[] };
}

export interface TrainResult {
  reason: 'finished' | 'stopped' | 'early-stopped';
  stepsDone: number;
  bestStep: number;
  /** the best-on-validation weights */
  model: TrainedModel;
  /** the weights at the last step */
  last: TrainedModel;
  history: { train: StepMetric[]; validation: ValidationMetric[] };
  state: TrainState;
}

export interface TrainerOptions {
  onEvent?: (e: TrainEvent) => void;
  control?: RunControl;
  /** minimum milliseconds between metrics/progress events */
  throttleMs?: number;
  resume?: TrainState;
}

const neverStop: RunControl = { checkpoint: async () => {}, stopRequested: () => false };

export function episodeShape(config: TrainConfig): EpisodeShape {
  return { shots: config.shots, ways: config.ways, queries: config.queries };
}

/** Lower is better for MSE and loss, higher for accuracy. */
function betterThan(kind: TaskSource['kind'], a: number, b: number): boolean {
  if (!Number.isFinite(a)) return false;
  if (!Number.isFinite(b)) return true;
  return kind === 'regression' ? a < b : a > b;
}

export class Trainer {
  readonly learner: Learner;
  readonly spec: ModelSpec;
  private state: TrainState;
  private readonly rng: Rng;
  private readonly valBatch: EpisodeBatch;
  /** losses of steps taken but not read back yet, and read points not yet emitted */
  private pending: { step: number; loss: tf.Scalar }[] = [];
  private unsent: StepMetric[] = [];
  /** where events go; may be set after construction (e.g. once a progress bar exists) */
  onEvent: ((e: TrainEvent) => void) | undefined;

  constructor(
    readonly source: TaskSource,
    readonly config: TrainConfig,
    private readonly opts: TrainerOptions = {},
  ) {
    this.onEvent = opts.onEvent;
    const problems = validateConfig(config);
    if (problems.length) throw new DataError(problems.join(' '));
    if (config.algorithm === 'scratch')
      throw new DataError(
        '"From scratch" is a baseline with nothing to meta-train; pick another algorithm.',
      );
    if (config.algorithm === 'protonet' && source.kind !== 'classification') {
      throw new DataError(
        'Prototypical Networks need a classification dataset; this one is regression.',
      );
    }
    const root = new Rng(config.seed);
    const initRng = root.fork();
    const valRng = root.fork();
    this.rng = root.fork();
    this.spec = specFor(config.algorithm, source, config);
    // Surface a shape the data cannot serve (K too large for a task, …) before any work.
    for (const split of ['train', 'test'] as const)
      source.sample(split, 1, episodeShape(config), new Rng(0));
    // A fixed set of validation episodes: the curve then moves only with the weights.
    this.valBatch = source.sample('val', config.valTasks, episodeShape(config), valRng);
    const initial = opts.resume?.params ?? initParamArrays(this.spec, initRng);
    this.learner = createLearner(config.algorithm, {
      config,
      spec: this.spec,
      lossKind: lossKindOf(source),
      initial,
    });
    if (opts.resume) {
      this.state = structuredClone(opts.resume);
      this.rng = new Rng(opts.resume.rng);
    } else {
      this.state = {
        step: 0,
        params: initial,
        optimizer: null,
        rng: this.rng.state(),
        best: { step: 0, value: NaN, arrays: initial },
        sinceImprovement: 0,
        history: { train: [], validation: [] },
      };
    }
  }

  async restoreOptimizer(): Promise<void> {
    if (this.opts.resume?.optimizer) this.learner.setOptimizerState(this.opts.resume.optimizer);
  }

  /**
   * Reads back the losses of steps already taken but not yet read, into the
   * history (and the next metrics event). Losses are read in batches so the
   * loop never waits on the GPU after every step.
   */
  private async flushLosses(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const values = await Promise.all(batch.map((p) => p.loss.data()));
    batch.forEach((p, i) => {
      p.loss.dispose();
      const point = { step: p.step, trainLoss: (values[i] as Float32Array)[0] as number };
      this.state.history.train.push(point);
      this.unsent.push(point);
    });
  }

  /**
   * A snapshot of the run to save as a checkpoint (reads the weights back).
   * Taken between two meta-steps; the losses not yet read are read first, so
   * the snapshot's history reaches its step and a resumed run has no gap.
   */
  async snapshot(): Promise<TrainState> {
    await this.flushLosses();
    return {
      ...this.state,
      params: await this.learner.readParams(),
      optimizer: await this.learner.optimizerState(),
      rng: this.rng.state(),
      history: {
        train: [...this.state.history.train],
        validation: [...this.state.history.validation],
      },
    };
  }

  get step(): number {
    return this.state.step;
  }

  private emit(e: TrainEvent): void {
    this.onEvent?.(e);
  }

  private async validate(): Promise<void> {
    const adaptStyle = this.learner.adaptStyle;
    const arrays = await this.learner.readParams();
    // A pre-trained classifier's head spans all meta-train classes; episodes are N-way.
    const evaluated =
      this.config.algorithm === 'pretrain' && this.source.kind === 'classification'
        ? withFreshHead(arrays, this.spec, this.config.ways)
        : { spec: this.spec, arrays };
    const model: EvalModel = { name: 'current', ...evaluated, adaptStyle };
    const res = await evaluateModels(fixedSource(this.source, this.valBatch), [model], {
      split: 'val',
      episodes: this.valBatch.tasks,
      maxSteps: this.config.evalInnerSteps,
      shape: episodeShape(this.config),
      innerLr: this.config.innerLr,
      seed: 0,
      chunk: this.valBatch.tasks,
      // a conv net fine-tuned task by task: score only what validation reads
      ...(isConv(this.spec) ? { scoreSteps: [0, this.config.evalInnerSteps] } : {}),
    });
    const stats = res.models.current!;
    const S = this.config.evalInnerSteps;
    const point: ValidationMetric = {
      step: this.state.step,
      loss: stats.lossMean[S] as number,
      metric: stats.mean[S] as number,
    };
    this.state.history.validation.push(point);
    const improved =
      betterThan(this.source.kind, point.metric, this.state.best.value) ||
      this.state.history.validation.length === 1;
    if (improved) {
      this.state.best = { step: this.state.step, value: point.metric, arrays };
      this.state.sinceImprovement = 0;
    } else {
      this.state.sinceImprovement++;
    }
    this.emit({ type: 'validation', point, bestStep: this.state.best.step, improved });
  }

  /** Runs until metaSteps, Stop, or early stopping. */
  async run(): Promise<TrainResult> {
    const control = this.opts.control ?? neverStop;
    const throttle = this.opts.throttleMs ?? 100;
    const total = this.config.metaSteps;
    const shape = episodeShape(this.config);
    if (this.state.step === 0 && this.state.history.validation.length === 0) await this.validate();
    let reason: TrainResult['reason'] = 'finished';
    let lastEmit = performance.now();
    const t0 = performance.now();
    const step0 = this.state.step;
    const flush = () => this.flushLosses();
    while (this.state.step < total) {
      await control.checkpoint();
      if (control.stopRequested()) {
        reason = 'stopped';
        break;
      }
      if (this.state.step === step0 && step0 === 0)
        this.emit({ type: 'compiling', message: 'Compiling kernels for the first meta-step…' });
      const batch = this.source.sample('train', this.config.metaBatch, shape, this.rng);
      this.pending.push({ step: this.state.step + 1, loss: this.learner.step(batch) });
      this.state.step++;
      const now = performance.now();
      const atValidation =
        this.state.step % this.config.valEvery === 0 || this.state.step === total;
      const rate = (this.state.step - step0) / Math.max((now - t0) / 1000, 1e-9);
      if (
        now - lastEmit >= throttle ||
        atValidation ||
        this.pending.length >= stepsInFlight(rate)
      ) {
        await flush();
        if (now - lastEmit >= throttle || atValidation) {
          const elapsed = (performance.now() - t0) / 1000;
          const done = this.state.step - step0;
          const sps = done / Math.max(elapsed, 1e-9);
          this.emit({ type: 'metrics', points: this.unsent });
          this.emit({
            type: 'progress',
            step: this.state.step,
            totalSteps: total,
            stepsPerSec: sps,
            tasksPerSec: sps * this.config.metaBatch,
            etaSec: (total - this.state.step) / Math.max(sps, 1e-9),
            lastLoss: this.unsent.length
              ? (this.unsent[this.unsent.length - 1] as StepMetric).trainLoss
              : NaN,
          });
          this.unsent = [];
          // Let timers run (a progress bar redraw, a UI message) between bursts of
          // steps: awaiting resolved promises alone never leaves the microtask queue.
          await yieldToEventLoop();
          lastEmit = performance.now();
        }
      }
      const last = this.state.history.train[this.state.history.train.length - 1];
      if (last && !Number.isFinite(last.trainLoss)) {
        throw new DataError(
          `The meta-train loss became ${last.trainLoss} at step ${last.step}: training diverged. Lower the inner or meta learning rate.`,
        );
      }
      if (atValidation) {
        await this.validate();
        if (this.config.patience > 0 && this.state.sinceImprovement >= this.config.patience) {
          reason = 'early-stopped';
          break;
        }
      }
    }
    await flush();
    if (this.unsent.length) this.emit({ type: 'metrics', points: this.unsent });
    this.unsent = [];
    this.state.rng = this.rng.state();
    const lastArrays = await this.learner.readParams();
    this.state.params = lastArrays;
    this.state.optimizer = await this.learner.optimizerState();
    const adaptStyle = this.learner.adaptStyle;
    this.emit({
      type: 'done',
      reason,
      step: this.state.step,
      bestStep: this.state.best.step,
      algorithm: this.config.algorithm,
    });
    return {
      reason,
      stepsDone: this.state.step,
      bestStep: this.state.best.step,
      model: { spec: this.spec, arrays: this.state.best.arrays, adaptStyle },
      last: { spec: this.spec, arrays: lastArrays, adaptStyle },
      history: this.state.history,
      state: this.state,
    };
  }

  dispose(): void {
    this.learner.dispose();
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A source whose 'val' split always returns the given batch (validation reuses fixed episodes). */
function fixedSource(source: TaskSource, batch: EpisodeBatch): TaskSource {
  return {
    name: source.name,
    kind: source.kind,
    inputDim: source.inputDim,
    targetScale: source.targetScale,
    classCount: (s) => source.classCount(s),
    limits: (s) => source.limits(s),
    splitSizes: () => source.splitSizes(),
    sample: () => batch,
  };
}

/**
 * How many steps may be queued on the backend before the loop waits for
 * their losses. On a GPU, step() only enqueues work, so without a bound the
 * loop runs ahead of the device and Pause or Stop land several steps late
 * (5 steps, ~10 s, on SwiftShader at 2 s a step). About a quarter of a
 * second of work in flight keeps a fast GPU busy and a slow one within one
 * step of the person's click.
 */
export function stepsInFlight(stepsPerSec: number): number {
  return Math.min(50, Math.max(1, Math.floor(0.25 * stepsPerSec)));
}
