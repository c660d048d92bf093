/**
 * One interface for every method: a Learner owns its meta-parameters (tf
 * Variables) and its optimizer, and `step` performs one meta-update from a
 * meta-batch. Methods differ only in how they turn a batch into an update.
 *
 * Layout: 'batched' (the product) runs the whole meta-batch as one computation
 * with task-batched params; 'tape' is the same batched computation
 * differentiated by tfjs's tape where 'batched' uses hand-derived gradients
 * (MAML and first-order MAML; the other methods treat both alike); 'loop' runs
 * the same maths task by task. 'tape' and 'loop' are the references the
 * tests and the benchmark compare against.
 *
 * Ownership: the Learner owns `params` and the optimizer and frees them in
 * dispose(). `step` returns a scalar loss the caller reads (await data()) and
 * disposes; everything else a step allocates is freed inside it.
 */
import * as tf from '@tensorflow/tfjs';
import type { AlgorithmName, TrainConfig } from '../spec/config';
import { paramShapes, type ModelSpec } from '../models/model';
import type { BatchTensors, LossKind } from './batch';
import { toTensors } from './batch';
import type { EpisodeBatch } from '../data/types';
import { FlatOptimizer, type OptimizerState } from './flat-optimizer';
import { isConv, weightTensorCount } from '../models/model';
import { dropoutMask, type HiddenTransform } from '../models/mlp';
import { Rng } from '../rng';
import { DROPOUT_ALGORITHMS } from '../spec/config';

export type Layout = 'batched' | 'tape' | 'loop';
export const LAYOUTS: readonly Layout[] = ['batched', 'tape', 'loop'];

/**
 * How a trained model adapts to a new task at evaluation time: 'finetune'
 * all weights by SGD; 'protonet' nearest prototype; 'head' SGD on the head
 * only, body frozen (ANIL); 'proto-head' a head initialized as the
 * nearest-prototype classifier on the body's features, then SGD on it
 * (pre-trained and untrained conv nets).
 */
export type AdaptStyle = 'finetune' | 'protonet' | 'head' | 'proto-head';

export interface LearnerInit {
  config: TrainConfig;
  /** the network the learner trains */
  spec: ModelSpec;
  lossKind: LossKind;
  layout: Layout;
  /** starting values of the params, one array per entry of paramShapes(spec) */
  initial: Float32Array[];
}

export type { OptimizerState } from './flat-optimizer';

let learnerCounter = 0;

export abstract class Learner {
  abstract readonly algorithm: AlgorithmName;
  abstract readonly adaptStyle: AdaptStyle;
  readonly params: tf.Variable[];
  readonly spec: ModelSpec;
  readonly config: TrainConfig;
  readonly lossKind: LossKind;
  readonly layout: Layout;
  protected readonly optimizer: FlatOptimizer | null;
  /**
   * Dropout on the MLP's hidden units during training, for the methods where
   * it is meaningful (DROPOUT_ALGORITHMS; see CONFIG_HELP.dropout); undefined
   * otherwise. Its masks come from an Rng of the seed; a resumed run draws
   * new masks (their position is not saved).
   */
  protected readonly dropout: HiddenTransform | undefined;
  private readonly prefix: string;

  /**
   * `optimizer`: 'meta' for the configured meta-optimizer (config.metaOptimizer,
   * weightDecay, cosineSchedule), null for a method without one (Reptile).
   */
  constructor(init: LearnerInit, optimizer: 'meta' | null) {
    this.spec = init.spec;
    this.config = init.config;
    this.lossKind = init.lossKind;
    this.layout = init.layout;
    // Variable names are global in tfjs; a counter keeps two learners apart.
    this.prefix = `mlp${learnerCounter++}`;
    const shapes = paramShapes(init.spec);
    // A variable shares its initial tensor's data; the tensor object itself must be freed.
    this.params = init.initial.map((a, i) =>
      tf.tidy(() => tf.variable(tf.tensor(a, shapes[i]), true, `${this.prefix}/p${i}`)),
    );
    this.optimizer = optimizer ? metaOptimizerFor(this.params, init.config, init.spec) : null;
    const rate = init.config.dropout;
    this.dropout =
      rate > 0 && !isConv(init.spec) && DROPOUT_ALGORITHMS.includes(init.config.algorithm)
        ? dropoutMask(rate, new Rng(init.config.seed).fork())
        : undefined;
  }

  /** Meta-updates applied so far (the optimizer's step count, restored with its state on resume). */
  protected metaStepsDone(): number {
    return this.optimizer?.steps ?? 0;
  }

  /** One meta-update. Returns the mean query loss after adaptation (caller disposes). */
  step(batch: EpisodeBatch): tf.Scalar {
    return tf.tidy(() => this.stepTensors(toTensors(batch)));
  }

  protected abstract stepTensors(t: BatchTensors): tf.Scalar;

  /** The meta-optimizer's update of the meta-parameters with gradients in params order. */
  protected applyGrads(grads: tf.Tensor[]): void {
    if (!this.optimizer) throw new Error('this learner has no optimizer');
    this.optimizer.apply(grads);
  }

  async readParams(): Promise<Float32Array[]> {
    const out = await Promise.all(this.params.map((p) => p.data()));
    return out.map((a) => new Float32Array(a as Float32Array));
  }

  setParams(arrays: Float32Array[]): void {
    const shapes = paramShapes(this.spec);
    arrays.forEach((a, i) =>
      tf.tidy(() => (this.params[i] as tf.Variable).assign(tf.tensor(a, shapes[i]))),
    );
  }

  async optimizerState(): Promise<OptimizerState | null> {
    return this.optimizer ? this.optimizer.state() : null;
  }

  setOptimizerState(state: OptimizerState): void {
    this.optimizer?.setState(state);
  }

  dispose(): void {
    this.params.forEach((p) => p.dispose());
    this.optimizer?.dispose();
  }
}

/** The configured meta-optimizer; learned inner rates (Meta-SGD, MAML++) are not weight-decayed. */
export function metaOptimizerFor(
  params: readonly tf.Variable[],
  config: TrainConfig,
  spec: ModelSpec,
): FlatOptimizer {
  const rates = weightTensorCount(spec);
  return new FlatOptimizer(params, {
    kind: config.metaOptimizer,
    learningRate: config.metaLr,
    weightDecay: config.weightDecay,
    decay: params.map((_, i) => i < rates),
    ...(config.cosineSchedule ? { cosineSteps: config.metaSteps } : {}),
  });
}
