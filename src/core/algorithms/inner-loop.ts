/**
 * The inner loop shared by MAML, first-order MAML, Reptile, the fine-tuning
 * baselines and evaluation: S steps of plain gradient descent on each task's
 * support loss, all tasks at once.
 *
 * The trick that batches it: with task-batched params θ_B (leading axis B)
 * the tasks do not interact, so the gradient of Σ_b L_b(θ_B) with respect to
 * θ_B is, slice by slice, each task's own gradient ∇L_b(θ_b). One tf.grads
 * call gives all B inner gradients.
 *
 * Second order: when the caller differentiates through the result (MAML), the
 * inner tf.grads runs under the outer tape and is recorded, so the
 * meta-gradient includes the Hessian-vector terms. With `firstOrder` the inner
 * gradient is passed through stopGradient, which is exactly "MAML with the
 * second-order terms removed".
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../ops';

export type TaskLossFn = (params: tf.Tensor[]) => tf.Tensor1D;

/**
 * A step size: one number for every weight, or (Meta-SGD) one tensor per
 * parameter in params order, shaped like the shared parameter; it
 * broadcasts over the task axis.
 */
export type StepSize = number | readonly tf.Tensor[];

export interface InnerLoopOptions {
  steps: number;
  lr: StepSize;
  firstOrder?: boolean;
}

/** One gradient step on every task: θ_B − α ∇ Σ_b L_b(θ_B) (α ⊙ ∇ for per-parameter rates). */
export function innerStep(
  params: tf.Tensor[],
  loss: TaskLossFn,
  lr: StepSize,
  firstOrder = false,
): tf.Tensor[] {
  const grads = tf.grads((...p: tf.Tensor[]) => tf.sum(loss(p)))(params);
  return params.map((p, i) => {
    const g = grads[i] as tf.Tensor;
    const rate = typeof lr === 'number' ? lr : (lr[i] as tf.Tensor);
    return tf.sub(p, tf.mul(rate, firstOrder ? stopGradient(g) : g));
  });
}

export function innerLoop(
  params: tf.Tensor[],
  loss: TaskLossFn,
  opts: InnerLoopOptions,
): tf.Tensor[] {
  let fast = params;
  for (let s = 0; s < opts.steps; s++) fast = innerStep(fast, loss, opts.lr, opts.firstOrder);
  return fast;
}
