/**
 * Reptile (Nichol, Achiam & Schulman 2018): adapt to each task with S steps
 * of SGD on its support set, then move the initialization toward the adapted
 * weights: θ ← θ + ε · mean_b(θ'_b − θ). No second derivatives, no optimizer
 * state: ε is config.metaLr. The reported loss is the query loss after
 * adaptation, comparable with MAML's.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchTensors } from './batch';
import { mlpLossPerTask, sliceTask } from './batch';
import { innerLoop } from './inner-loop';
import type { LearnerInit } from './learner';
import { Learner } from './learner';
import { tileParams } from '../models/mlp';

export class ReptileLearner extends Learner {
  readonly algorithm = 'reptile' as const;
  readonly adaptStyle = 'finetune' as const;

  constructor(init: LearnerInit) {
    super(init, null);
  }

  /** Adapted weights per task ([B, …]) and their mean query loss. */
  private adapt(t: BatchTensors): { fast: tf.Tensor[]; loss: tf.Scalar } {
    const B = t.sx.shape[0];
    const fast = innerLoop(
      tileParams(this.params, B),
      (p) => mlpLossPerTask(this.lossKind, p, t.sx, t.sy),
      {
        steps: Math.max(1, this.config.innerSteps),
        lr: this.config.innerLr,
      },
    );
    return { fast, loss: tf.mean(mlpLossPerTask(this.lossKind, fast, t.qx, t.qy)) as tf.Scalar };
  }

  /** mean_b(θ'_b − θ), the direction Reptile steps along, in params order. */
  direction(t: BatchTensors): { loss: tf.Scalar; dir: tf.Tensor[] } {
    if (this.layout === 'loop') {
      const B = t.sx.shape[0];
      let loss: tf.Tensor = tf.scalar(0);
      let dir = this.params.map((p) => tf.zerosLike(p) as tf.Tensor);
      for (let b = 0; b < B; b++) {
        const { fast, loss: l } = this.adapt(sliceTask(t, b));
        loss = tf.add(loss, l);
        dir = dir.map((d, i) =>
          tf.add(d, tf.sub(tf.squeeze(fast[i] as tf.Tensor, [0]), this.params[i] as tf.Tensor)),
        );
      }
      return { loss: tf.div(loss, B) as tf.Scalar, dir: dir.map((d) => tf.div(d, B)) };
    }
    const { fast, loss } = this.adapt(t);
    return { loss, dir: fast.map((f, i) => tf.sub(tf.mean(f, 0), this.params[i] as tf.Tensor)) };
  }

  protected stepTensors(t: BatchTensors): tf.Scalar {
    const { loss, dir } = this.direction(t);
    const eps = this.config.metaLr;
    this.params.forEach((p, i) => p.assign(tf.add(p, tf.mul(eps, dir[i] as tf.Tensor))));
    return loss;
  }
}
