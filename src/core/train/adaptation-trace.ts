/**
 * One model's few-shot adaptation on a batch of episodes: metric and loss per
 * task after 0, 1, … S steps of SGD on the support set, as [S+1, B] tensors.
 * 'finetune' adapts all weights on the support loss; 'protonet' classifies
 * by prototypes and fine-tunes the encoder on the support set classified
 * against its own prototypes.
 *
 * Two variants serve the references of the evaluation table:
 * - `head: 'prototypes'` (pre-training + fine-tuning on classification): the
 *   fresh output layer is set per task from the support set before step 0 —
 *   weights 2·c_k and bias −‖c_k‖² for the class means c_k of the
 *   penultimate features — so its logits are −‖h − c_k‖² up to a per-example
 *   constant: step 0 is nearest-prototype on the body's features instead of
 *   a constant 1/N, and fine-tuning starts from that classifier.
 * - `frozen`: no adaptation; every step reports step 0 (the raw-feature
 *   prototype reference, whose "network" is the identity: no parameters).
 *
 * A model with learned rates adapts with its own: Meta-SGD (spec.learnedLr)
 * per weight, MAML++ (spec.stepRates) per layer tensor and inner step, the
 * last trained step's rates serving every later step; the `lr` argument does
 * not apply to them.
 *
 * `keepLogits` also returns the query outputs after step S ([B, Q, N]; for
 * a frozen model, its only outputs), for views that show each prediction.
 *
 * Ownership: call inside tf.tidy; all intermediates are tidied by the caller.
 */
import * as tf from '@tensorflow/tfjs';
import { isConv, type ModelSpec } from '../spec/model';
import { convTrace, headTrace, type Trace } from './evaluate-heads';
import { forward, tileParams } from '../models/mlp';
import { hasLearnedLr, hasStepRates, paramShapes, weightTensorCount } from '../spec/model';
import type { AdaptStyle } from '../algorithms/learner';
import { lossPerTask, type BatchTensors, type LossKind } from '../algorithms/batch';
import { innerStep, type StepSize } from '../algorithms/inner-loop';
import { protoQueryLogits, prototypes } from '../algorithms/protonet';
import { accuracyPerTask, msePerTask } from '../ops';

export interface EvalModel {
  /** key in the results, e.g. "maml", "pretrain", "scratch", "prototypes" */
  name: string;
  spec: ModelSpec;
  /** [] with adaptStyle 'protonet' is the identity encoder (raw features) */
  arrays: Float32Array[];
  adaptStyle: AdaptStyle;
  /** set the output layer from the support prototypes before step 0 (see above) */
  head?: 'prototypes';
  /** no adaptation steps: the step-0 score at every step */
  frozen?: boolean;
}

/** Replace the last layer of task-batched params by the prototype classifier. */
function prototypeHead(params: tf.Tensor[], sx: tf.Tensor3D, sy: tf.Tensor3D): tf.Tensor[] {
  const c = prototypes(forward(params, sx, { embedOnly: true }), sy); // [B, N, h]
  const W = tf.mul(2, tf.transpose(c, [0, 2, 1])); // [B, h, N]
  const b = tf.neg(tf.sum(tf.mul(c, c), -1)); // [B, N]
  return [...params.slice(0, -2), W, b];
}

/**
 * A model's weights as tensors, and the step size of its adaptation step s
 * (0-based): its learned rates if it has any, else `lr`.
 */
export function weightsAndRates(
  model: Pick<EvalModel, 'spec' | 'arrays'>,
  lr: number,
): { weights: tf.Tensor[]; rateAt: (s: number) => StepSize } {
  const shapes = paramShapes(model.spec);
  const all = model.arrays.map((a, i) => tf.tensor(a, shapes[i]));
  const P = weightTensorCount(model.spec);
  const weights = all.slice(0, P);
  if (hasStepRates(model.spec)) {
    const rows = tf.unstack(all[P] as tf.Tensor).map((row) => tf.unstack(row));
    return { weights, rateAt: (s) => rows[Math.min(s, rows.length - 1)] as tf.Tensor[] };
  }
  if (!hasLearnedLr(model.spec)) return { weights, rateAt: () => lr };
  const rates = all.slice(P);
  return { weights, rateAt: () => rates };
}

export function adaptationTrace(
  model: EvalModel,
  t: BatchTensors,
  lossKind: LossKind,
  S: number,
  lr: number,
  scoreSteps?: number[],
  keepLogits = false,
): Trace {
  // Conv nets (one task at a time) and head-only adaptation have their own traces.
  if (model.adaptStyle === 'head' || model.adaptStyle === 'proto-head')
    return headTrace(model, t, lossKind, S, lr, keepLogits);
  if (isConv(model.spec)) return convTrace(model, t, lossKind, S, lr, scoreSteps, keepLogits);
  const B = t.sx.shape[0];
  const { weights, rateAt } = weightsAndRates(model, lr);
  let params = tileParams(weights, B);
  if (model.head === 'prototypes' && lossKind === 'ce') params = prototypeHead(params, t.sx, t.sy);
  const metricSteps: tf.Tensor1D[] = [];
  const lossSteps: tf.Tensor1D[] = [];
  let last: tf.Tensor3D | undefined;
  const queryOut = (p: tf.Tensor[]) =>
    model.adaptStyle === 'protonet' ? protoQueryLogits(p, t.sx, t.sy, t.qx) : forward(p, t.qx);
  const supportLoss = (p: tf.Tensor[]) =>
    model.adaptStyle === 'protonet'
      ? lossPerTask('ce', protoQueryLogits(p, t.sx, t.sy, t.sx), t.sy)
      : lossPerTask(lossKind, forward(p, t.sx), t.sy);
  for (let s = 0; s <= S; s++) {
    if (model.frozen && s > 0) {
      metricSteps.push(metricSteps[0] as tf.Tensor1D);
      lossSteps.push(lossSteps[0] as tf.Tensor1D);
      continue;
    }
    const out = queryOut(params);
    last = out;
    lossSteps.push(lossPerTask(lossKind, out, t.qy));
    metricSteps.push(lossKind === 'mse' ? msePerTask(out, t.qy) : accuracyPerTask(out, t.qy));
    if (s < S && !model.frozen) params = innerStep(params, supportLoss, rateAt(s));
  }
  return {
    metric: tf.stack(metricSteps) as tf.Tensor2D,
    loss: tf.stack(lossSteps) as tf.Tensor2D,
    ...(keepLogits && last ? { logits: last } : {}),
  };
}
