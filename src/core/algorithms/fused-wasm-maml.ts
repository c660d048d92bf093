/**
 * MAML and first-order MAML on the MLP with the meta-gradient computed by our
 * own WASM SIMD kernels (kernels/wasm/fused-step.ts) instead of tfjs: the
 * "WASM (fused)" backend. Everything else — the tf.Variables, the
 * meta-optimizer and its saved state, evaluation and adaptation — is the
 * MamlLearner's, on tfjs's wasm (or cpu) backend, so checkpoints, resume and
 * export behave exactly as there.
 *
 * Per step: the params are read from their variables (dataSync: cheap and
 * synchronous on wasm and cpu, the only backends this learner runs on; never
 * on webgpu, see TFJS-NOTES.md), the kernels return the meta-gradient and the
 * loss as plain arrays, and the configured meta-optimizer applies them.
 *
 * With `threads: 2` each meta-batch is split between this thread and a
 * helper thread running a second instance of the kernels
 * (kernels/wasm/threads.ts); the sum is the same meta-gradient up to float
 * rounding. Where a second thread cannot run, steps run on this one and
 * onThreadsFallback hears why.
 *
 * What it covers: ReLU MLPs of any depth and width, any K, query size,
 * meta-batch and inner-step count (0 included), MSE and cross-entropy, first
 * and second order. What it does not (fusedWasmUnsupported says which, and
 * createLearner then builds the tfjs learner instead): the MAML++ options,
 * conv nets, Meta-SGD's learned rates, and a platform without WASM SIMD.
 */
import * as tf from '@tensorflow/tfjs';
import type { EpisodeBatch } from '../data/types';
import { FusedMlpStep, type FusedShape } from '../kernels/wasm/fused-step';
import { kernelsOrReason, type MlpKernels } from '../kernels/wasm/load';
import { SplitFusedStep } from '../kernels/wasm/threads';
import { isConv, paramShapes, type ModelSpec } from '../models/model';
import { usesMultiStepLoss, usesPerStepRates, type TrainConfig } from '../spec/config';
import type { LossKind } from './batch';
import type { LearnerInit } from './learner';
import { MamlLearner } from './maml';

/** Why the fused WASM step cannot run this configuration here, or null when it can. */
export function fusedWasmUnsupported(
  algorithm: string,
  config: TrainConfig,
  spec: ModelSpec,
): string | null {
  if (algorithm !== 'maml' && algorithm !== 'fomaml')
    return 'the fused WASM step covers MAML and first-order MAML only';
  if (isConv(spec)) return 'the fused WASM step covers the MLP only, not the conv net';
  if (spec.learnedLr || spec.stepRates) return 'the fused WASM step has no learned inner rates';
  if (algorithm === 'maml' && (usesMultiStepLoss(config) || usesPerStepRates(config)))
    return 'the fused WASM step does not cover the MAML++ options';
  const k = sharedKernels();
  return typeof k === 'string' ? k : null;
}

let kernels: MlpKernels | string | null = null;

/** One instance of the kernels per worker (or Node process); its memory grows to the largest shape. */
function sharedKernels(): MlpKernels | string {
  kernels ??= kernelsOrReason();
  return kernels;
}

export interface FusedWasmOptions {
  firstOrder: boolean;
  /** 2 splits each meta-batch with a helper thread; 1 (the default) runs on this thread */
  threads?: 1 | 2;
  /** why `threads: 2` runs on one thread after all (told once, maybe after a step) */
  onThreadsFallback?: (reason: string) => void;
}

export class FusedWasmMamlLearner extends MamlLearner {
  private engine: FusedMlpStep | null = null;
  private readonly splitter: SplitFusedStep | null = null;
  private readonly shapes: number[][];
  /** steps whose meta-batch was split across two threads, and all steps */
  readonly stepCounts = { split: 0, all: 0 };

  constructor(init: LearnerInit, opts: FusedWasmOptions) {
    super(init, opts);
    const why = fusedWasmUnsupported(this.algorithm, init.config, init.spec);
    if (why) throw new Error(why);
    this.shapes = paramShapes(init.spec);
    if (opts.threads === 2)
      this.splitter = new SplitFusedStep(sharedKernels() as MlpKernels, (reason) =>
        opts.onThreadsFallback?.(reason),
      );
  }

  /**
   * With `threads: 2`: resolves null once the helper thread is up (steps
   * split from then on), or with why there is none. Null at once otherwise.
   */
  threadsReady(): Promise<string | null> {
    return this.splitter ? this.splitter.ready : Promise.resolve(null);
  }

  /** The split engine (threads: 2), for measuring its synchronisation cost. */
  get splitStep(): SplitFusedStep | null {
    return this.splitter;
  }

  private shapeOf(batch: EpisodeBatch): FusedShape {
    const spec = this.spec as { inputDim: number; hidden: number[]; outputDim: number };
    return {
      widths: [spec.inputDim, ...spec.hidden, spec.outputDim],
      tasks: batch.tasks,
      support: batch.support,
      query: batch.query,
      innerSteps: this.config.innerSteps,
      innerLr: this.config.innerLr,
      kind: this.lossKind satisfies LossKind,
      firstOrder: this.firstOrder,
    };
  }

  private engineFor(batch: EpisodeBatch): FusedMlpStep {
    const e = this.engine;
    if (
      e &&
      e.shape.tasks === batch.tasks &&
      e.shape.support === batch.support &&
      e.shape.query === batch.query
    )
      return e;
    this.engine = new FusedMlpStep(sharedKernels() as MlpKernels, this.shapeOf(batch));
    return this.engine;
  }

  /** The meta-gradient and mean query loss at the current params, as plain arrays. */
  fusedGradient(batch: EpisodeBatch): { loss: number; grads: Float32Array[] } {
    // dataSync is a copy here, not a GPU stall: this engine runs only over tfjs's
    // wasm backend (FUSED_BASE), and Learner.step is synchronous.
    const params = this.params.map((p) => p.dataSync() as Float32Array);
    this.stepCounts.all++;
    if (!this.splitter) return this.engineFor(batch).run(params, batch);
    const r = this.splitter.run(this.shapeOf(batch), params, batch);
    if (r.threads === 2) this.stepCounts.split++;
    return r;
  }

  override dispose(): void {
    this.splitter?.dispose();
    super.dispose();
  }

  override step(batch: EpisodeBatch): tf.Scalar {
    const { loss, grads } = this.fusedGradient(batch);
    return tf.tidy(() => {
      this.applyGrads(grads.map((g, i) => tf.tensor(g, this.shapes[i])));
      return tf.scalar(loss);
    });
  }
}
