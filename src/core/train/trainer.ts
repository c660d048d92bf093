/**
 * The meta-training loop: meta-steps over meta-batches drawn from the
 * source, validated on a fixed set of held-out episodes, for any learner of
 * src/core/algorithms (the pre-training baseline included, as a learner of
 * its own). The loop only steps and waits at the caller's checkpoints; the
 * metrics emitter (metrics-emitter.ts) reads losses back and throttles the
 * events, and the stopping policy (stopping.ts) checks divergence, keeps
 * the best-on-validation weights and stops early.
 *
 * It emits TrainEvents and never touches the DOM, so the browser worker and
 * the CLI both drive it. A run resumes exactly from a TrainState (weights,
 * optimizer slots, RNG position, history, early-stopping state).
 *
 * Ownership: the Trainer owns its Learner (and so every tensor of the run) and
 * frees it in dispose(). Results are plain Float32Arrays.
 */
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
import { createFusedWebgpuLearner } from '../algorithms/fused-webgpu';
import { FUSED_THREADS, type FusedBackendName } from '../spec/backend';
import type { TrainConfig } from '../spec/config';
import { validateConfig } from '../spec/config';
import type { StepMetric, TrainEvent, ValidationMetric } from '../spec/events';
import { evaluateModels, type EvalModel } from './evaluate';
import { withFreshHead } from '../algorithms/baselines';
import { MetricsEmitter } from './metrics-emitter';
import { StoppingPolicy } from './stopping';

export { stepsInFlight } from './metrics-emitter';

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
  /**
   * Meta-validate the last weights when a stop request ends the run between
   * validation steps, so they can become the best. The CLI's time limit sets it;
   * the app's Stop button does not (a person who presses Stop wants it at once).
   */
  validateOnStop?: boolean;
  resume?: TrainState;
  /**
   * A fused engine for MAML's meta-step where it applies: 'wasm-fused' (our
   * WASM kernels, see createLearner) or 'webgpu-fused' (our WGSL kernels on
   * tfjs-webgpu's device, see createFusedWebgpuLearner); tfjs does the rest.
   */
  engine?: TrainerEngine;
  /** why the fused engine was not used for this run (the tfjs learner runs instead) */
  onEngineFallback?: (reason: string) => void;
  /**
   * 'wasm-fused-2t' only: why its helper thread is not there (the run goes on
   * with the fused step on one thread, and `engine` becomes 'wasm-fused');
   * may come after the first steps, when the helper fails to start.
   */
  onThreadsFallback?: (reason: string) => void;
}

export type TrainerEngine = 'tfjs' | FusedBackendName;

const neverStop: RunControl = { checkpoint: async () => {}, stopRequested: () => false };

export function episodeShape(config: TrainConfig): EpisodeShape {
  return { shots: config.shots, ways: config.ways, queries: config.queries };
}

export class Trainer {
  readonly learner: Learner;
  readonly spec: ModelSpec;
  /**
   * the engine that really runs the meta-step: the one asked for, 'tfjs' after
   * a fallback, or 'wasm-fused' when 'wasm-fused-2t' could not start its thread
   */
  engine: TrainerEngine;
  private state: TrainState;
  private readonly rng: Rng;
  private readonly valBatch: EpisodeBatch;
  private readonly stopping: StoppingPolicy;
  /** the current run()'s emitter: snapshot() reads its pending losses back first */
  private metrics: MetricsEmitter | null = null;
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
    this.stopping = new StoppingPolicy(source.kind, config);
    // Surface a shape the data cannot serve (K too large for a task, …) before any work.
    for (const split of ['train', 'test'] as const)
      source.sample(split, 1, episodeShape(config), new Rng(0));
    // A fixed set of validation episodes: the curve then moves only with the weights.
    this.valBatch = source.sample('val', config.valTasks, episodeShape(config), valRng);
    const initial =
      opts.resume?.params ?? initParamArrays(this.spec, initRng, { innerLr: config.innerLr });
    // The engine asked for, until a fallback says otherwise (during construction or later).
    this.engine = opts.engine ?? 'tfjs';
    const fallback = (why: string) => {
      this.engine = 'tfjs';
      opts.onEngineFallback?.(why);
    };
    const init = { config, spec: this.spec, lossKind: lossKindOf(source), initial };
    if (opts.engine === 'webgpu-fused') {
      // Synchronous: the engine takes the device of tfjs-webgpu, already initialized.
      const made = createFusedWebgpuLearner(config.algorithm, { ...init, layout: 'batched' }, () =>
        createLearner(config.algorithm, init),
      );
      if (!made.fused) fallback(made.reason ?? 'the fused WebGPU step needs the webgpu backend');
      this.learner = made.learner;
    } else if (opts.engine && opts.engine !== 'tfjs') {
      this.learner = createLearner(config.algorithm, {
        ...init,
        engine: 'wasm-fused',
        threads: FUSED_THREADS[opts.engine],
        onFallback: fallback,
        onThreadsFallback: (why) => {
          if (this.engine === 'wasm-fused-2t') this.engine = 'wasm-fused';
          opts.onThreadsFallback?.(why);
        },
      });
    } else {
      this.learner = createLearner(config.algorithm, { ...init, onFallback: fallback });
    }
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
   * A snapshot of the run to save as a checkpoint (reads the weights back).
   * Taken between two meta-steps; the losses not yet read are read first, so
   * the snapshot's history reaches its step and a resumed run has no gap.
   */
  async snapshot(): Promise<TrainState> {
    await this.metrics?.flush();
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
    const improved = this.stopping.record(this.state, point, arrays);
    this.emit({ type: 'validation', point, bestStep: this.state.best.step, improved });
  }

  /** Runs until metaSteps, Stop, or early stopping. */
  async run(): Promise<TrainResult> {
    const control = this.opts.control ?? neverStop;
    const total = this.config.metaSteps;
    const shape = episodeShape(this.config);
    if (this.state.step === 0 && this.state.history.validation.length === 0) await this.validate();
    let reason: TrainResult['reason'] = 'finished';
    const step0 = this.state.step;
    const history = this.state.history.train;
    const metrics = new MetricsEmitter({
      emit: (e) => this.emit(e),
      record: (p) => history.push(p),
      totalSteps: total,
      metaBatch: this.config.metaBatch,
      startStep: step0,
      throttleMs: this.opts.throttleMs ?? 100,
    });
    this.metrics = metrics;
    while (this.state.step < total) {
      await control.checkpoint();
      if (control.stopRequested()) {
        reason = 'stopped';
        const last = this.state.history.validation[this.state.history.validation.length - 1];
        if (this.opts.validateOnStop && last && last.step !== this.state.step) {
          await metrics.afterStep(this.state.step, true);
          await this.validate();
        }
        break;
      }
      if (this.state.step === step0 && step0 === 0)
        this.emit({ type: 'compiling', message: 'Compiling kernels for the first meta-step…' });
      const batch = this.source.sample('train', this.config.metaBatch, shape, this.rng);
      metrics.push(this.state.step + 1, this.learner.step(batch));
      this.state.step++;
      const atValidation = this.stopping.isValidationStep(this.state.step);
      await metrics.afterStep(this.state.step, atValidation);
      this.stopping.checkDivergence(history[history.length - 1]);
      if (atValidation) {
        await this.validate();
        if (this.stopping.shouldStop(this.state)) {
          reason = 'early-stopped';
          break;
        }
      }
    }
    await metrics.finish();
    this.metrics = null;
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
