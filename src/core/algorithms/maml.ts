/**
 * MAML (Finn et al. 2017) and its first-order approximation.
 *
 * Meta-objective: L(θ) = mean_b L_query,b(θ − α ∇L_support,b(θ)) (S inner
 * steps in general). Second order differentiates through the inner gradient
 * (nested tf.grads; every op on that path is twice differentiable, see
 * ops.ts). First order treats the inner gradient as a constant, so
 * dL/dθ = mean_b ∇L_query,b(θ'_b): computed here without the outer tape,
 * which is cheaper, and tested equal to the second-order code with the
 * inner gradient stopped.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchTensors } from './batch';
import { mlpLossPerTask, sliceTask } from './batch';
import { innerLoop } from './inner-loop';
import type { LearnerInit } from './learner';
import { Learner, adam } from './learner';
import { tileParams } from '../models/mlp';

export class MamlLearner extends Learner {
  readonly algorithm;
  readonly adaptStyle = 'finetune' as const;
  readonly firstOrder: boolean;

  constructor(init: LearnerInit, opts: { firstOrder: boolean }) {
    super(init, adam(init.config.metaLr));
    this.firstOrder = opts.firstOrder;
    this.algorithm = opts.firstOrder ? ('fomaml' as const) : ('maml' as const);
  }

  /** Mean query loss after adaptation, as a differentiable function of θ. */
  metaObjective(theta: tf.Tensor[], t: BatchTensors, firstOrderInner = false): tf.Scalar {
    const B = t.sx.shape[0];
    const thetaB = tileParams(theta, B);
    const fast = innerLoop(thetaB, (p) => mlpLossPerTask(this.lossKind, p, t.sx, t.sy), {
      steps: this.config.innerSteps,
      lr: this.config.innerLr,
      firstOrder: firstOrderInner,
    });
    return tf.mean(mlpLossPerTask(this.lossKind, fast, t.qx, t.qy)) as tf.Scalar;
  }

  /** The meta-gradient and the loss, in params order (tensors owned by the caller's tidy). */
  metaGradient(t: BatchTensors): { loss: tf.Scalar; grads: tf.Tensor[] } {
    if (this.layout === 'loop') return this.metaGradientLoop(t);
    if (!this.firstOrder) {
      const { value, grads } = tf.variableGrads(
        () => this.metaObjective(this.params, t),
        this.params,
      );
      return { loss: value, grads: this.params.map((p) => grads[p.name] as tf.Tensor) };
    }
    return this.firstOrderGradient(t);
  }

  private firstOrderGradient(t: BatchTensors): { loss: tf.Scalar; grads: tf.Tensor[] } {
    const B = t.sx.shape[0];
    const fast = innerLoop(
      tileParams(this.params, B),
      (p) => mlpLossPerTask(this.lossKind, p, t.sx, t.sy),
      {
        steps: this.config.innerSteps,
        lr: this.config.innerLr,
      },
    );
    // d/dθ'_b of mean_b L_b(θ'_b) is ∇L_b / B per slice; summing the slices gives the meta-gradient.
    const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) =>
      tf.mean(mlpLossPerTask(this.lossKind, p, t.qx, t.qy)),
    )(fast);
    return { loss: value as tf.Scalar, grads: grads.map((g) => tf.sum(g, 0)) };
  }

  /** Reference: the same meta-gradient computed one task at a time (learn2learn's way). */
  private metaGradientLoop(t: BatchTensors): { loss: tf.Scalar; grads: tf.Tensor[] } {
    const B = t.sx.shape[0];
    let loss: tf.Tensor = tf.scalar(0);
    let grads: tf.Tensor[] = this.params.map((p) => tf.zerosLike(p));
    for (let b = 0; b < B; b++) {
      const task = sliceTask(t, b);
      let part: { loss: tf.Scalar; grads: tf.Tensor[] };
      if (!this.firstOrder) {
        const { value, grads: g } = tf.variableGrads(
          () => this.metaObjective(this.params, task),
          this.params,
        );
        part = { loss: value, grads: this.params.map((p) => g[p.name] as tf.Tensor) };
      } else {
        part = this.firstOrderGradient(task);
      }
      loss = tf.add(loss, part.loss);
      grads = grads.map((g, i) => tf.add(g, part.grads[i] as tf.Tensor));
    }
    return { loss: tf.div(loss, B) as tf.Scalar, grads: grads.map((g) => tf.div(g, B)) };
  }

  protected stepTensors(t: BatchTensors): tf.Scalar {
    const { loss, grads } = this.metaGradient(t);
    this.applyGrads(grads);
    return loss;
  }
}
