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
 *
 * The product ('batched' layout) computes the same meta-gradient without the
 * tape, from the hand-derived backward pass and Hessian-vector products of
 * models/mlp-grads.ts: reverse mode through the S inner updates,
 * v ← v − α H_s v. About a third of the kernels of the tape version
 * (kept as layout 'tape', the reference it is tested against).
 *
 * Second-order MAML on the MLP takes the MAML++ options (config
 * multiStepLoss, perStepRates; maths in maml-plus.ts). With both off the code
 * below runs unchanged; with per-step rates the params end with the [S, P]
 * rate table (spec.stepRates), which the meta-optimizer updates with θ.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchTensors } from './batch';
import { mlpLossPerTask, sliceTask } from './batch';
import { innerLoop } from './inner-loop';
import type { LearnerInit } from './learner';
import { Learner } from './learner';
import * as plus from './maml-plus';
import { stepRatesOf, weightTensorCount } from '../models/model';
import { multiStepLossWeights, usesMultiStepLoss, usesPerStepRates } from '../spec/config';
import { tileParams } from '../models/mlp';
import {
  backward,
  hessianVector,
  lossFromTrace,
  outputGrad,
  trace,
  type Backward,
  type Trace,
} from '../models/mlp-grads';

export class MamlLearner extends Learner {
  readonly algorithm;
  readonly adaptStyle = 'finetune' as const;
  readonly firstOrder: boolean;
  /** MAML++ multi-step loss on (second order only) */
  readonly multiStepLoss: boolean;
  /** MAML++ per-layer, per-step rates: the last param is the [S, P] rate table */
  readonly perStepRates: boolean;

  constructor(init: LearnerInit, opts: { firstOrder: boolean }) {
    super(init, 'meta');
    this.firstOrder = opts.firstOrder;
    this.algorithm = opts.firstOrder ? ('fomaml' as const) : ('maml' as const);
    this.multiStepLoss = !opts.firstOrder && usesMultiStepLoss(init.config);
    this.perStepRates = !opts.firstOrder && usesPerStepRates(init.config);
    const table = stepRatesOf(init.spec);
    const wanted = this.perStepRates ? init.config.innerSteps : 0;
    if (table !== wanted)
      throw new Error(
        `this model has per-step rates for ${table} inner steps, the configuration asks for ${wanted}`,
      );
  }

  /** Whether a MAML++ option changes the objective (otherwise plain MAML's code runs). */
  get plusPlus(): boolean {
    return this.multiStepLoss || this.perStepRates;
  }

  /** The weights of the query losses after steps 1…S at the current meta-step. */
  lossWeights(): number[] {
    const S = this.config.innerSteps;
    if (this.multiStepLoss)
      return multiStepLossWeights(S, this.metaStepsDone(), this.config.metaSteps);
    return Array.from({ length: Math.max(S, 1) }, (_, i) => (i === Math.max(S, 1) - 1 ? 1 : 0));
  }

  private plusOptions(): plus.PlusOptions {
    return {
      kind: this.lossKind,
      steps: this.config.innerSteps,
      lr: this.config.innerLr,
      weights: this.lossWeights(),
    };
  }

  /** θ and the rate table (null without per-step rates) of a params list. */
  private split(all: readonly tf.Tensor[]): { theta: tf.Tensor[]; rates: tf.Tensor | null } {
    const n = weightTensorCount(this.spec);
    return { theta: all.slice(0, n), rates: this.perStepRates ? (all[n] as tf.Tensor) : null };
  }

  /**
   * The MAML++ meta-objective (the weighted query losses at the current
   * meta-step's weights) as a differentiable function of all params.
   */
  plusObjective(all: readonly tf.Tensor[], t: BatchTensors): tf.Scalar {
    const { theta, rates } = this.split(all);
    return plus.objective(theta, rates, t, this.plusOptions());
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
    if (this.plusPlus) return this.plusGradient(t);
    if (this.layout === 'loop') return this.metaGradientLoop(t);
    if (this.layout === 'batched') return this.explicitMetaGradient(t);
    if (!this.firstOrder) {
      const { value, grads } = tf.variableGrads(
        () => this.metaObjective(this.params, t),
        this.params,
      );
      return { loss: value, grads: this.params.map((p) => grads[p.name] as tf.Tensor) };
    }
    return this.firstOrderGradient(t);
  }

  /** The meta-gradient from hand-derived passes (see the file comment); same maths as the tape. */
  private explicitMetaGradient(t: BatchTensors): { loss: tf.Scalar; grads: tf.Tensor[] } {
    const kind = this.lossKind;
    const lr = this.config.innerLr;
    const B = t.sx.shape[0];
    const inner: { params: tf.Tensor[]; tr: Trace; bw: Backward }[] = [];
    let fast: tf.Tensor[] = this.params;
    for (let s = 0; s < this.config.innerSteps; s++) {
      const tr = trace(fast, t.sx, kind);
      const bw = backward(fast, tr, outputGrad(tr, t.sy, kind, 1));
      inner.push({ params: fast, tr, bw });
      // shared θ minus per-task gradients broadcasts to per-task params
      fast = fast.map((p, i) => tf.sub(p, tf.mul(bw.grads[i] as tf.Tensor, lr)));
    }
    const tq = trace(fast, t.qx, kind);
    const loss = tf.mean(lossFromTrace(tq, t.qy, kind)) as tf.Scalar;
    let v = backward(fast, tq, outputGrad(tq, t.qy, kind, 1 / B)).grads;
    if (!this.firstOrder)
      for (let s = inner.length - 1; s >= 0; s--) {
        const { params, tr, bw } = inner[s]!;
        const hv = hessianVector(params, v, tr, bw, kind, 1);
        v = v.map((g, i) => tf.sub(g, tf.mul(hv[i] as tf.Tensor, lr)));
      }
    // θ feeds every task, so its gradient is the sum of the per-task slices
    return { loss, grads: v.map((g) => tf.sum(g, 0)) };
  }

  /** MAML++: hand-derived ('batched'), the tape over the whole batch, or the tape task by task. */
  private plusGradient(t: BatchTensors): { loss: tf.Scalar; grads: tf.Tensor[] } {
    if (this.layout === 'batched') {
      const { theta, rates } = this.split(this.params);
      return plus.explicitGradient(theta, rates, t, this.plusOptions());
    }
    const tape = (task: BatchTensors) => {
      const { value, grads } = tf.variableGrads(
        () => this.plusObjective(this.params, task),
        this.params,
      );
      return { loss: value, grads: this.params.map((p) => grads[p.name] as tf.Tensor) };
    };
    if (this.layout === 'tape') return tape(t);
    const B = t.sx.shape[0];
    let loss: tf.Tensor = tf.scalar(0);
    let grads: tf.Tensor[] = this.params.map((p) => tf.zerosLike(p));
    for (let b = 0; b < B; b++) {
      const part = tape(sliceTask(t, b));
      loss = tf.add(loss, part.loss);
      grads = grads.map((g, i) => tf.add(g, part.grads[i] as tf.Tensor));
    }
    return { loss: tf.div(loss, B) as tf.Scalar, grads: grads.map((g) => tf.div(g, B)) };
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
