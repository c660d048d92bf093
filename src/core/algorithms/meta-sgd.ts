/**
 * Meta-SGD (Li, Zhou, Chen & Li 2017): MAML where the inner step size is not
 * one number but a learned rate per weight, meta-trained together with the
 * initialization. MLP only (the exact gradient needs second derivatives
 * through the network; tfjs has none for conv2d).
 *
 * Meta-objective: L(θ, α) = mean_b Lq_b(θ_S,b), θ_{s+1} = θ_s − α ⊙ ∇Ls_b(θ_s)
 * (S inner steps, ⊙ elementwise; α has θ's shapes and is shared by tasks).
 * Exact meta-gradient by reverse mode through the inner steps: with
 * v_S = ∇Lq(θ_S) and, going back, v_s = v_{s+1} − H_s (α ⊙ v_{s+1})
 * (θ_{s+1} depends on θ_s through I − diag(α) H_s, H_s symmetric), the
 * gradients are ∂L/∂θ = Σ_b v_0,b and ∂L/∂α = −Σ_s Σ_b v_{s+1},b ⊙ ∇Ls_b(θ_s).
 * The 'batched' layout computes it with the hand-derived backward pass and
 * Hessian-vector products of models/mlp-grads.ts (as MAML does); 'tape' lets
 * tfjs differentiate the same inner loop twice (ReLU MLP, MSE and the ops.ts
 * cross-entropy: the case TFJS-NOTES lists as right); 'loop' is the tape one
 * task at a time. All three are tested against finite differences.
 *
 * Parameters: the Learner's params are [θ…, α…] (the spec has learnedLr, so
 * paramShapes lists the rates after the weights and sessions save both).
 * Rates start at config.innerLr (models/model.ts initParamArrays), as MAML's α, and are free to
 * change sign: a negative rate is what the paper's method allows.
 *
 * Ownership: as every Learner; step allocates inside its tidy.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchTensors } from './batch';
import { mlpLossPerTask, sliceTask } from './batch';
import { innerLoop } from './inner-loop';
import type { LearnerInit } from './learner';
import { Learner } from './learner';
import { tileParams } from '../models/mlp';
import { backward, hessianVector, lossFromTrace, outputGrad, trace } from '../models/mlp-grads';
import type { Trace, Backward } from '../models/mlp-grads';

export class MetaSgdLearner extends Learner {
  readonly algorithm = 'metasgd' as const;
  readonly adaptStyle = 'finetune' as const;

  constructor(init: LearnerInit) {
    super(init, 'meta');
    if (this.params.length % 2 !== 0) throw new Error('Meta-SGD needs one rate per weight');
  }

  private split(all: readonly tf.Tensor[]): { theta: tf.Tensor[]; alpha: tf.Tensor[] } {
    const P = all.length / 2;
    return { theta: all.slice(0, P), alpha: all.slice(P) };
  }

  /** Mean query loss after adaptation, a differentiable function of [θ…, α…]. */
  metaObjective(all: readonly tf.Tensor[], t: BatchTensors): tf.Scalar {
    const { theta, alpha } = this.split(all);
    const B = t.sx.shape[0];
    const fast = innerLoop(
      tileParams(theta, B),
      (p) => mlpLossPerTask(this.lossKind, p, t.sx, t.sy),
      { steps: this.config.innerSteps, lr: alpha },
    );
    return tf.mean(mlpLossPerTask(this.lossKind, fast, t.qx, t.qy)) as tf.Scalar;
  }

  /** The meta-gradient in params order ([∂θ…, ∂α…]) and the loss; tensors in the caller's tidy. */
  metaGradient(t: BatchTensors): { loss: tf.Scalar; grads: tf.Tensor[] } {
    if (this.layout === 'batched') return this.explicitMetaGradient(t);
    if (this.layout === 'tape') return this.tapeGradient(t);
    const B = t.sx.shape[0];
    let loss: tf.Tensor = tf.scalar(0);
    let grads: tf.Tensor[] = this.params.map((p) => tf.zerosLike(p));
    for (let b = 0; b < B; b++) {
      const part = this.tapeGradient(sliceTask(t, b));
      loss = tf.add(loss, part.loss);
      grads = grads.map((g, i) => tf.add(g, part.grads[i] as tf.Tensor));
    }
    return { loss: tf.div(loss, B) as tf.Scalar, grads: grads.map((g) => tf.div(g, B)) };
  }

  private tapeGradient(t: BatchTensors): { loss: tf.Scalar; grads: tf.Tensor[] } {
    const { value, grads } = tf.variableGrads(
      () => this.metaObjective(this.params, t),
      this.params,
    );
    return { loss: value, grads: this.params.map((p) => grads[p.name] as tf.Tensor) };
  }

  /** The file comment's reverse pass, from hand-derived gradients and Hessian-vector products. */
  private explicitMetaGradient(t: BatchTensors): { loss: tf.Scalar; grads: tf.Tensor[] } {
    const kind = this.lossKind;
    const { theta, alpha } = this.split(this.params);
    const B = t.sx.shape[0];
    const inner: { params: tf.Tensor[]; tr: Trace; bw: Backward }[] = [];
    let fast: tf.Tensor[] = theta;
    for (let s = 0; s < this.config.innerSteps; s++) {
      const tr = trace(fast, t.sx, kind);
      const bw = backward(fast, tr, outputGrad(tr, t.sy, kind, 1));
      inner.push({ params: fast, tr, bw });
      fast = fast.map((p, i) => tf.sub(p, tf.mul(alpha[i] as tf.Tensor, bw.grads[i] as tf.Tensor)));
    }
    const tq = trace(fast, t.qx, kind);
    const loss = tf.mean(lossFromTrace(tq, t.qy, kind)) as tf.Scalar;
    let v = backward(fast, tq, outputGrad(tq, t.qy, kind, 1 / B)).grads;
    let dAlpha: tf.Tensor[] = alpha.map((a) => tf.zerosLike(a));
    for (let s = inner.length - 1; s >= 0; s--) {
      const { params, tr, bw } = inner[s]!;
      dAlpha = dAlpha.map((d, i) =>
        tf.sub(d, tf.sum(tf.mul(v[i] as tf.Tensor, bw.grads[i] as tf.Tensor), 0)),
      );
      const scaled = v.map((g, i) => tf.mul(alpha[i] as tf.Tensor, g));
      const hv = hessianVector(params, scaled, tr, bw, kind, 1);
      v = v.map((g, i) => tf.sub(g, hv[i] as tf.Tensor));
    }
    // θ and α feed every task, so their gradients sum the per-task slices.
    return { loss, grads: [...v.map((g) => tf.sum(g, 0)), ...dAlpha] };
  }

  protected stepTensors(t: BatchTensors): tf.Scalar {
    const { loss, grads } = this.metaGradient(t);
    this.applyGrads(grads);
    return loss;
  }
}
