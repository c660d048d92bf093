/**
 * ANIL, "Almost No Inner Loop" (Raghu et al. 2020): MAML where only the head
 * (the last linear layer) adapts in the inner loop; the body is shared by
 * all tasks and learned in the outer loop. Works on the MLP and on Conv-4.
 *
 * Meta-objective: L(θ, w) = mean_b Lq_b(w'_b, f_θ(xq)), w'_b = w − α ∇_w
 * Ls_b(w, f_θ(xs)) (S steps). Its exact gradient needs second derivatives
 * of the head's loss only (with respect to w and the features), and first
 * derivatives of the body f_θ: the inner gradient depends on θ only through
 * the features. So tfjs's tape gives it exactly, even through conv2d whose
 * second derivative tfjs lacks: the inner tf.grads is taken with respect to
 * the head alone, and its recorded ops (matMul, the ops.ts cross-entropy)
 * are twice differentiable. Tested against finite differences of L.
 *
 * The body runs once per meta-batch (shared params, per-task batch norm);
 * the B heads adapt as one task-batched matMul computation.
 *
 * Ownership: as every Learner; step allocates inside its tidy.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchTensors } from './batch';
import { lossPerTask } from './batch';
import { innerLoop } from './inner-loop';
import type { LearnerInit } from './learner';
import { Learner } from './learner';
import { tileParams } from '../models/mlp';
import { linearHead } from '../models/conv4';
import { headStart, modelForward } from '../models/model';

export class AnilLearner extends Learner {
  readonly algorithm = 'anil' as const;
  readonly adaptStyle = 'head' as const;

  constructor(init: LearnerInit) {
    super(init, 'meta');
  }

  /** Mean query loss after the head's inner loop, a differentiable function of all params. */
  metaObjective(params: readonly tf.Tensor[], t: BatchTensors): tf.Scalar {
    const h = headStart(this.spec);
    const fs = modelForward(this.spec, params, t.sx, { embedOnly: true });
    const fq = modelForward(this.spec, params, t.qx, { embedOnly: true });
    const B = t.sx.shape[0];
    const kind = this.lossKind;
    const fast = innerLoop(
      tileParams(params.slice(h), B),
      (p) => lossPerTask(kind, linearHead(fs, p[0] as tf.Tensor, p[1] as tf.Tensor), t.sy),
      { steps: this.config.innerSteps, lr: this.config.innerLr },
    );
    const out = linearHead(fq, fast[0] as tf.Tensor, fast[1] as tf.Tensor);
    return tf.mean(lossPerTask(kind, out, t.qy)) as tf.Scalar;
  }

  protected stepTensors(t: BatchTensors): tf.Scalar {
    const { value, grads } = tf.variableGrads(
      () => this.metaObjective(this.params, t),
      this.params,
    );
    this.applyGrads(this.params.map((p) => grads[p.name] as tf.Tensor));
    return value;
  }
}
