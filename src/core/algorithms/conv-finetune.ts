/**
 * First-order MAML and Reptile on the conv net, one task at a time: tfjs has
 * no convolution with a filter per batch entry, so the conv weights cannot
 * carry a task axis as the MLP's do, and each task's inner loop runs on its
 * own [1, n, D] slice. Same maths as maml.ts (first order) and reptile.ts.
 * Second-order MAML is refused for conv nets in validateConfig: tfjs has no
 * second derivative of conv2d.
 *
 * Ownership: each task runs in its own tf.tidy and keeps only its loss and
 * its contribution to the update, so memory stays at one task's activations.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchTensors, LossKind } from './batch';
import { lossPerTask, sliceTask } from './batch';
import type { LearnerInit } from './learner';
import { Learner } from './learner';
import { modelForward, type ModelSpec } from '../models/model';

/** S steps of SGD on one task's support loss; the result is a fresh param list. */
export function adaptOneTask(
  spec: ModelSpec,
  params: readonly tf.Tensor[],
  x: tf.Tensor3D,
  y: tf.Tensor3D,
  kind: LossKind,
  steps: number,
  lr: number,
): tf.Tensor[] {
  let fast = [...params];
  for (let s = 0; s < steps; s++) {
    const g = tf.grads((...p: tf.Tensor[]) =>
      tf.sum(lossPerTask(kind, modelForward(spec, p, x), y)),
    )(fast);
    fast = fast.map((p, i) => tf.sub(p, tf.mul(lr, g[i] as tf.Tensor)));
  }
  return fast;
}

abstract class PerTaskLearner extends Learner {
  readonly adaptStyle = 'finetune' as const;

  /** Per task: its query loss and what it adds to the update (params order). */
  protected abstract taskUpdate(task: BatchTensors): { loss: tf.Scalar; update: tf.Tensor[] };

  protected accumulate(t: BatchTensors): { loss: tf.Scalar; mean: tf.Tensor[] } {
    const B = t.sx.shape[0];
    let loss: tf.Tensor = tf.scalar(0);
    let sum: tf.Tensor[] = this.params.map((p) => tf.zerosLike(p));
    for (let b = 0; b < B; b++) {
      const next = tf.tidy(() => {
        const part = this.taskUpdate(sliceTask(t, b));
        return [tf.add(loss, part.loss), ...sum.map((s, i) => tf.add(s, part.update[i]!))];
      });
      [loss, ...sum].forEach((x) => x.dispose());
      loss = next[0] as tf.Tensor;
      sum = next.slice(1);
    }
    return { loss: tf.div(loss, B) as tf.Scalar, mean: sum.map((s) => tf.div(s, B)) };
  }
}

export class ConvFoMamlLearner extends PerTaskLearner {
  readonly algorithm = 'fomaml' as const;

  constructor(init: LearnerInit) {
    super(init, 'meta');
  }

  /** ∇ of the query loss at the adapted weights (first order: the inner gradient is a constant). */
  protected taskUpdate(task: BatchTensors): { loss: tf.Scalar; update: tf.Tensor[] } {
    const c = this.config;
    const fast = adaptOneTask(
      this.spec,
      this.params,
      task.sx,
      task.sy,
      this.lossKind,
      c.innerSteps,
      c.innerLr,
    );
    const { value, grads } = tf.valueAndGrads((...p: tf.Tensor[]) =>
      tf.mean(lossPerTask(this.lossKind, modelForward(this.spec, p, task.qx), task.qy)),
    )(fast);
    return { loss: value as tf.Scalar, update: grads };
  }

  metaGradient(t: BatchTensors): { loss: tf.Scalar; grads: tf.Tensor[] } {
    const { loss, mean } = this.accumulate(t);
    return { loss, grads: mean };
  }

  protected stepTensors(t: BatchTensors): tf.Scalar {
    const { loss, grads } = this.metaGradient(t);
    this.applyGrads(grads);
    return loss;
  }
}

export class ConvReptileLearner extends PerTaskLearner {
  readonly algorithm = 'reptile' as const;

  constructor(init: LearnerInit) {
    super(init, null);
  }

  /** θ'_b − θ, and the query loss at θ'_b (comparable with MAML's). */
  protected taskUpdate(task: BatchTensors): { loss: tf.Scalar; update: tf.Tensor[] } {
    const c = this.config;
    const steps = Math.max(1, c.innerSteps);
    const fast = adaptOneTask(
      this.spec,
      this.params,
      task.sx,
      task.sy,
      this.lossKind,
      steps,
      c.innerLr,
    );
    const loss = tf.mean(
      lossPerTask(this.lossKind, modelForward(this.spec, fast, task.qx), task.qy),
    );
    return { loss: loss as tf.Scalar, update: fast.map((f, i) => tf.sub(f, this.params[i]!)) };
  }

  protected stepTensors(t: BatchTensors): tf.Scalar {
    const { loss, mean } = this.accumulate(t);
    const eps = this.config.metaLr;
    this.params.forEach((p, i) => p.assign(tf.add(p, tf.mul(eps, mean[i] as tf.Tensor))));
    return loss;
  }
}
