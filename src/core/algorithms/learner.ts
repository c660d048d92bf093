/**
 * One interface for every method: a Learner owns its meta-parameters (tf
 * Variables) and its optimizer, and `step` performs one meta-update from a
 * meta-batch. Methods differ only in how they turn a batch into an update.
 *
 * Layout: 'batched' (the product) runs the whole meta-batch as one computation
 * with task-batched params; 'loop' runs the same maths task by task and is
 * kept as the reference the tests and the benchmark compare against.
 *
 * Ownership: the Learner owns `params` and the optimizer and frees them in
 * dispose(). `step` returns a scalar loss the caller reads (await data()) and
 * disposes; everything else a step allocates is freed inside it.
 */
import * as tf from '@tensorflow/tfjs';
import type { AlgorithmName, TrainConfig } from '../train/config';
import type { MlpSpec } from '../models/mlp';
import { paramShapes } from '../models/mlp';
import type { BatchTensors, LossKind } from './batch';
import { toTensors } from './batch';
import type { EpisodeBatch } from '../data/types';

export type Layout = 'batched' | 'loop';

/** How a trained model adapts to a new task at evaluation time. */
export type AdaptStyle = 'finetune' | 'protonet';

export interface LearnerInit {
  config: TrainConfig;
  /** the network the learner trains */
  spec: MlpSpec;
  lossKind: LossKind;
  layout: Layout;
  /** starting values of the params, one array per entry of paramShapes(spec) */
  initial: Float32Array[];
}

export interface OptimizerState {
  name: string;
  arrays: Float32Array[];
  shapes: number[][];
}

let learnerCounter = 0;

export abstract class Learner {
  abstract readonly algorithm: AlgorithmName;
  abstract readonly adaptStyle: AdaptStyle;
  readonly params: tf.Variable[];
  readonly spec: MlpSpec;
  readonly config: TrainConfig;
  readonly lossKind: LossKind;
  readonly layout: Layout;
  protected readonly optimizer: tf.Optimizer | null;
  private readonly prefix: string;

  constructor(init: LearnerInit, optimizer: tf.Optimizer | null) {
    this.spec = init.spec;
    this.config = init.config;
    this.lossKind = init.lossKind;
    this.layout = init.layout;
    this.optimizer = optimizer;
    // Variable names are global in tfjs; a counter keeps two learners apart.
    this.prefix = `mlp${learnerCounter++}`;
    const shapes = paramShapes(init.spec);
    // A variable shares its initial tensor's data; the tensor object itself must be freed.
    this.params = init.initial.map((a, i) =>
      tf.tidy(() => tf.variable(tf.tensor(a, shapes[i]), true, `${this.prefix}/p${i}`)),
    );
  }

  /** One meta-update. Returns the mean query loss after adaptation (caller disposes). */
  step(batch: EpisodeBatch): tf.Scalar {
    return tf.tidy(() => this.stepTensors(toTensors(batch)));
  }

  protected abstract stepTensors(t: BatchTensors): tf.Scalar;

  /** Adam (or other) update of the meta-parameters with gradients in params order. */
  protected applyGrads(grads: tf.Tensor[]): void {
    if (!this.optimizer) throw new Error('this learner has no optimizer');
    const named: tf.NamedTensorMap = {};
    this.params.forEach((p, i) => (named[p.name] = grads[i] as tf.Tensor));
    this.optimizer.applyGradients(named);
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
    if (!this.optimizer) return null;
    const weights = await this.optimizer.getWeights();
    try {
      const arrays = await Promise.all(weights.map((w) => w.tensor.data()));
      return {
        name: this.optimizer.getClassName(),
        arrays: arrays.map((a) => new Float32Array(a as Float32Array)),
        shapes: weights.map((w) => w.tensor.shape),
      };
    } finally {
      freeIterationScalar(weights);
    }
  }

  async setOptimizerState(state: OptimizerState): Promise<void> {
    if (!this.optimizer) return;
    // getWeights order: iterations first, then the slots in params order; rebuild the
    // names from a fresh getWeights so they match this learner's variables.
    const optimizer = this.optimizer;
    tf.tidy(() =>
      optimizer.applyGradients(
        Object.fromEntries(this.params.map((p) => [p.name, tf.zerosLike(p)])),
      ),
    );
    const primed = await this.optimizer.getWeights();
    freeIterationScalar(primed);
    const names = primed.map((w) => w.name);
    if (names.length !== state.arrays.length)
      throw new Error('optimizer state does not match the model');
    const incoming = names.map((name, i) => ({
      name,
      tensor: tf.tensor(state.arrays[i] as Float32Array, state.shapes[i]),
    }));
    await this.optimizer.setWeights(incoming);
    // setWeights wraps the given tensors in new slot variables (which share their data, so
    // the tensors can go) and drops the primed slot variables without freeing them.
    incoming.forEach((w) => w.tensor.dispose());
    primed.forEach((w) => w.tensor.dispose());
  }

  dispose(): void {
    this.params.forEach((p) => p.dispose());
    this.optimizer?.dispose();
  }
}

/**
 * tf.Optimizer.getWeights() returns the optimizer's own slot variables plus a
 * fresh scalar holding the iteration count: free that scalar (whatever is not
 * a Variable), or every checkpoint leaks one tensor.
 */
function freeIterationScalar(weights: { tensor: tf.Tensor }[]): void {
  for (const w of weights) if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
}

export function adam(lr: number): tf.Optimizer {
  return tf.train.adam(lr);
}
