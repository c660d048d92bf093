/**
 * Differentiable building blocks whose second derivatives are right in tfjs.
 *
 * tfjs 4.22 cannot differentiate twice through ops whose gradient reuses the
 * op's own output (exp, sigmoid, tanh, logSoftmax: "Cannot compute gradient of
 * y=f(x)") and silently gets log(softmax(x)) wrong (tfjs issue 3252). MAML's
 * meta-gradient differentiates the inner gradient, so everything on that path
 * is built here from ops whose gradients are themselves differentiable, and
 * each is checked against finite differences in tests/unit/ops.test.ts.
 *
 * Ownership: every function returns a new tensor owned by the caller; inputs
 * are never disposed. Call inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * exp whose gradient is computed from the input (dy · exp(x), through this
 * same function) instead of from the saved output, so the gradient graph is
 * differentiable again, to any order.
 */
export const exp: (x: tf.Tensor) => tf.Tensor = tf.customGrad((x, save) => {
  const xt = x as tf.Tensor;
  (save as tf.GradSaveFunc)([xt]);
  return {
    value: tf.exp(xt),
    gradFunc: (dy, saved) => [tf.mul(dy as tf.Tensor, exp(saved[0] as tf.Tensor))],
  };
}) as (x: tf.Tensor) => tf.Tensor;

/**
 * The maximum along the last axis (keeping dims), treated as a constant by
 * differentiation. Used as the shift of log-sum-exp: the result does not depend
 * on the shift mathematically, so a zero gradient is exact, and it hides tf.max
 * (whose gradient uses Equal, which has no gradient) from the tape.
 */
export const maxLastAxisNoGrad: (x: tf.Tensor) => tf.Tensor = tf.customGrad((x) => {
  const xt = x as tf.Tensor;
  return {
    value: tf.max(xt, -1, true),
    gradFunc: () => [tf.zerosLike(xt)],
  };
}) as (x: tf.Tensor) => tf.Tensor;

/** Identity whose gradient is zero: removes a subgraph from differentiation. */
export const stopGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad((x) => {
  const xt = x as tf.Tensor;
  return { value: tf.clone(xt), gradFunc: () => [tf.zerosLike(xt)] };
}) as (x: tf.Tensor) => tf.Tensor;

/** log Σ exp(x) over the last axis, keeping dims; twice differentiable. */
export function logSumExp(x: tf.Tensor): tf.Tensor {
  const m = maxLastAxisNoGrad(x);
  return tf.add(m, tf.log(tf.sum(exp(tf.sub(x, m)), -1, true)));
}

/** log softmax over the last axis; twice differentiable. */
export function logSoftmax(logits: tf.Tensor): tf.Tensor {
  return tf.sub(logits, logSumExp(logits));
}

/**
 * Softmax cross-entropy per task: logits and one-hot targets [B, n, C] →
 * [B], the mean over the n examples of each task.
 */
export function crossEntropyPerTask(logits: tf.Tensor3D, oneHot: tf.Tensor3D): tf.Tensor1D {
  const nll = tf.neg(tf.sum(tf.mul(oneHot, logSoftmax(logits)), -1)); // [B, n]
  return tf.mean(nll, -1) as tf.Tensor1D;
}

/** Mean squared error per task: [B, n, d] → [B] (mean over examples and outputs). */
export function msePerTask(pred: tf.Tensor3D, target: tf.Tensor3D): tf.Tensor1D {
  const d = tf.sub(pred, target);
  return tf.mean(tf.mul(d, d), [1, 2]) as tf.Tensor1D;
}

/** Accuracy per task: argmax of logits equals argmax of one-hot, [B, n, C] → [B]. */
export function accuracyPerTask(logits: tf.Tensor3D, oneHot: tf.Tensor3D): tf.Tensor1D {
  const hit = tf.cast(tf.equal(tf.argMax(logits, -1), tf.argMax(oneHot, -1)), 'float32');
  return tf.mean(hit, -1) as tf.Tensor1D;
}
