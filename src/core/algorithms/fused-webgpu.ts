/**
 * MAML and first-order MAML on the MLP as the fused WebGPU meta-step
 * (kernels/webgpu): two compute dispatches per meta-step, inner steps and
 * Hessian-vector products included, on tfjs-webgpu's own GPUDevice. The
 * backend option "WebGPU (fused)".
 *
 * Behind the same Learner interface as MamlLearner (it is one: the tape and
 * hand-derived gradients stay available as references). θ and the
 * meta-optimizer's slots live in the engine's GPU buffers while training;
 * readParams() reads θ back and assigns the tf.Variables, setParams() and
 * setOptimizerState() write them, so checkpoints, sessions and adaptation
 * see the same numbers as with the tfjs learner. The optimizer rules,
 * schedule and saved-state layout are FlatOptimizer's (flat-optimizer.ts).
 *
 * Not fused (fusedUnsupportedReason says why; the caller falls back to the
 * tfjs learner): other methods, the conv net, MAML++ options, a backend
 * other than webgpu, and shapes whose buffers exceed the device's limits.
 */
import * as tf from '@tensorflow/tfjs';
import type { EpisodeBatch } from '../data/types';
import type { GpuBuffer, GpuDevice } from '../kernels/webgpu/gpu';
import { FusedMetaStep, fusedLimitReason } from '../kernels/webgpu/meta-step';
import { isConv, paramShapes, type ModelSpec } from '../models/model';
import { layerSizes } from '../spec/model';
import { usesMultiStepLoss, usesPerStepRates, type AlgorithmName } from '../spec/config';
import { ADAGRAD_INITIAL, type OptimizerState } from './flat-optimizer';
import type { Learner, LearnerInit } from './learner';
import { MamlLearner } from './maml';
import { scheduledLr } from './schedule';

const STATE_NAMES = { adam: 'Adam', adagrad: 'Adagrad', 'sgd-momentum': 'Momentum' } as const;
const SLOTS = { adam: 2, adagrad: 1, 'sgd-momentum': 1 } as const;

/** The GPUDevice of tfjs's active webgpu backend, or null. */
export function tfjsGpuDevice(): GpuDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GpuDevice }).device ?? null;
}

/** Why this run cannot use the fused step (worded for a person), or null when it can. */
export function fusedUnsupportedReason(
  algorithm: AlgorithmName,
  init: Pick<LearnerInit, 'config' | 'spec'>,
): string | null {
  if (algorithm !== 'maml' && algorithm !== 'fomaml')
    return 'the fused WebGPU step covers MAML and first-order MAML only';
  if (isConv(init.spec)) return 'the fused WebGPU step covers the MLP only';
  if ('learnedLr' in init.spec && init.spec.learnedLr) return 'Meta-SGD is not fused';
  if (algorithm === 'maml' && (usesMultiStepLoss(init.config) || usesPerStepRates(init.config)))
    return 'the MAML++ options are not fused';
  if (!tfjsGpuDevice()) return 'the fused WebGPU step needs the webgpu backend';
  return null;
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of parts) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

export class FusedWebgpuLearner extends MamlLearner {
  private engine: FusedMetaStep | null = null;
  private theta: Float32Array;
  /** optimizer slots waiting for the engine (set before the first step) */
  private pendingSlots: Float32Array | null = null;
  private t = 0;
  private readonly sizes: number[];

  constructor(
    init: LearnerInit,
    opts: { firstOrder: boolean },
    private readonly device: GpuDevice,
  ) {
    super(init, opts);
    this.sizes = paramShapes(init.spec).map((s) => s.reduce((a, b) => a * b, 1));
    this.theta = concat(init.initial);
  }

  /** Compute dispatches encoded so far (two per meta-step). */
  get dispatches(): number {
    return this.engine?.dispatches ?? 0;
  }

  protected override metaStepsDone(): number {
    return this.t;
  }

  /** The engine for this batch's shape, built on first use (its pipelines compile then). */
  private engineFor(batch: EpisodeBatch): FusedMetaStep {
    if (this.engine) return this.engine;
    const key = {
      dims: layerSizes(this.spec as Extract<ModelSpec, { hidden: number[] }>),
      nS: batch.support,
      nQ: batch.query,
      steps: this.config.innerSteps,
      kind: this.lossKind,
      firstOrder: this.firstOrder,
    };
    const limit = fusedLimitReason(this.device, key, batch.tasks);
    if (limit) throw new Error(limit);
    const engine = new FusedMetaStep(this.device, key, batch.tasks, this.config.innerLr);
    engine.writeTheta(this.theta);
    const P = engine.layout.P;
    const slots = this.pendingSlots ?? new Float32Array(2 * P);
    if (!this.pendingSlots && this.config.metaOptimizer === 'adagrad')
      slots.fill(ADAGRAD_INITIAL, 0, P);
    engine.writeSlots(slots);
    this.pendingSlots = null;
    this.engine = engine;
    return engine;
  }

  override step(batch: EpisodeBatch): tf.Scalar {
    const engine = this.engineFor(batch);
    const c = this.config;
    const lr = scheduledLr(c.metaLr, this.t + 1, c.metaSteps, c.cosineSchedule);
    this.t++;
    engine.step(batch, {
      kind: c.metaOptimizer,
      lr,
      t: this.t,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: tf.backend().epsilon(),
      weightDecay: c.weightDecay,
    });
    return this.lossTensor(engine.loss);
  }

  /** The meta-gradient (params order, flat) and loss of a batch without updating anything. */
  async gradient(batch: EpisodeBatch): Promise<{ loss: number; grad: Float32Array }> {
    const engine = this.engineFor(batch);
    engine.step(batch, null);
    const grad = await engine.readGrad();
    const loss = this.lossTensor(engine.loss);
    const value = (await loss.data())[0] as number;
    loss.dispose();
    return { loss: value, grad };
  }

  /** A tfjs scalar holding a copy of the loss buffer (tfjs encodes the copy after our pass). */
  private lossTensor(buffer: GpuBuffer): tf.Scalar {
    // tf.tensor takes WebGPU data as { buffer }; the types name GPUBuffer, absent here
    return tf.tensor({ buffer } as unknown as Float32Array, [], 'float32') as tf.Scalar;
  }

  override async readParams(): Promise<Float32Array[]> {
    if (this.engine) this.theta = await this.engine.readTheta();
    const arrays = this.splitFlat(this.theta);
    this.assignVariables(arrays);
    return arrays.map((a) => a.slice());
  }

  override setParams(arrays: Float32Array[]): void {
    this.assignVariables(arrays);
    this.theta = concat(arrays);
    this.engine?.writeTheta(this.theta);
  }

  private assignVariables(arrays: Float32Array[]): void {
    const shapes = paramShapes(this.spec);
    arrays.forEach((a, i) =>
      tf.tidy(() => (this.params[i] as tf.Variable).assign(tf.tensor(a, shapes[i]))),
    );
  }

  private splitFlat(flat: Float32Array): Float32Array[] {
    let o = 0;
    return this.sizes.map((n) => flat.slice(o, (o += n)));
  }

  override async optimizerState(): Promise<OptimizerState> {
    const kind = this.config.metaOptimizer;
    const P = this.theta.length;
    let slots = this.pendingSlots;
    if (this.engine) slots = await this.engine.readSlots();
    if (!slots) {
      slots = new Float32Array(2 * P);
      if (kind === 'adagrad') slots.fill(ADAGRAD_INITIAL, 0, P);
    }
    const k = SLOTS[kind];
    const shapes = paramShapes(this.spec);
    return {
      name: STATE_NAMES[kind],
      arrays: [
        Float32Array.of(this.t),
        ...Array.from({ length: k }, (_, j) =>
          this.splitFlat(slots.subarray(j * P, (j + 1) * P)),
        ).flat(),
      ],
      shapes: [[], ...Array.from({ length: k }, () => shapes).flat()],
    };
  }

  override setOptimizerState(state: OptimizerState): void {
    const kind = this.config.metaOptimizer;
    if (state.name !== STATE_NAMES[kind])
      throw new Error(
        `the saved optimizer state (${state.name}) does not match this run's optimizer (${STATE_NAMES[kind]}): start a new run to change the optimizer`,
      );
    const k = SLOTS[kind];
    const count = this.sizes.length;
    if (state.arrays.length !== 1 && state.arrays.length !== 1 + k * count)
      throw new Error('optimizer state does not match the model');
    this.t = Math.round(state.arrays[0]?.[0] ?? 0);
    const P = this.theta.length;
    const slots = new Float32Array(2 * P);
    // a state with the step count only: the slots start over, as FlatOptimizer does
    if (state.arrays.length === 1 && kind === 'adagrad') slots.fill(ADAGRAD_INITIAL, 0, P);
    for (let j = 0; j < (state.arrays.length === 1 ? 0 : k); j++) {
      const part = concat(state.arrays.slice(1 + j * count, 1 + (j + 1) * count));
      if (part.length !== P) throw new Error('optimizer state does not match the model');
      slots.set(part, j * P);
    }
    if (this.engine) this.engine.writeSlots(slots);
    else this.pendingSlots = slots;
  }

  override dispose(): void {
    this.engine?.dispose();
    this.engine = null;
    super.dispose();
  }
}

/**
 * MAML or first-order MAML as the fused WebGPU learner when this run allows
 * it, else the tfjs learner of the same method with the reason.
 */
export function createFusedWebgpuLearner(
  algorithm: AlgorithmName,
  init: LearnerInit,
  fallback: () => Learner,
): { learner: Learner; fused: boolean; reason: string | null } {
  const reason = fusedUnsupportedReason(algorithm, init);
  const device = tfjsGpuDevice();
  if (reason !== null || !device) return { learner: fallback(), fused: false, reason };
  return {
    learner: new FusedWebgpuLearner(init, { firstOrder: algorithm === 'fomaml' }, device),
    fused: true,
    reason: null,
  };
}
