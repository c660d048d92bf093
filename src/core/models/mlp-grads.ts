/**
 * Hand-derived gradients of the ReLU MLP of mlp.ts, for every task of a
 * batch at once: the backward pass (∇ of each task's loss) and the
 * Hessian-vector product (Pearlmutter's R-operator: forward-mode through the
 * forward and backward passes). MAML's meta-gradient is built from these
 * instead of tfjs's tape.
 *
 * Why: in tfjs the cost of a small model is the cost per kernel, not the
 * arithmetic. Nested tf.grads record every op twice and clone each saved
 * tensor (133 of the 483 kernels of a second-order MAML step were Identity),
 * while the explicit passes need about a third of the kernels and no tape. They
 * are exact, not approximations: ReLU is piecewise linear, so its second
 * derivative is zero wherever the first exists, and the only curvature comes
 * from products of weights and from the loss. tests/unit/engine/mlp-grads
 * checks every piece against tf.grads and finite differences.
 *
 * Shapes: x [B, n, in]; a weight is shared [in, out] or per task [B, in, out],
 * a bias shared [out] or per task [B, out]; gradients and directions are
 * always per task. Losses are per task and summed over tasks, so the gradient
 * slice b is task b's own gradient. Call inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import type { LossKind } from '../algorithms/batch';

/** x · W for shared or per-task W: [B, n, i] → [B, n, o]. */
function mm(x: tf.Tensor3D, W: tf.Tensor): tf.Tensor3D {
  if (W.rank === 3) return tf.matMul(x, W as tf.Tensor3D);
  const [B, n, i] = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(x, [B * n, i]), W as tf.Tensor2D), [
    B,
    n,
    W.shape[1] as number,
  ]);
}

/**
 * d · Wᵀ for shared or per-task W: [B, n, o] → [B, n, i]. A shared W is
 * transposed by its own kernel first: tfjs-wasm runs a plain 2-D matMul
 * through XNNPACK but a transposed one through a slow loop (136 µs against
 * 783 µs for [250, 40]·[40, 40]ᵀ here).
 */
function mmT(d: tf.Tensor3D, W: tf.Tensor): tf.Tensor3D {
  if (W.rank === 3) return tf.matMul(d, W as tf.Tensor3D, false, true);
  const [B, n, o] = d.shape;
  return tf.reshape(tf.matMul(tf.reshape(d, [B * n, o]), tf.transpose(W as tf.Tensor2D)), [
    B,
    n,
    W.shape[0] as number,
  ]);
}

function addBias(z: tf.Tensor3D, b: tf.Tensor): tf.Tensor3D {
  return (b.rank === 2 ? tf.add(z, tf.expandDims(b, 1)) : tf.add(z, b)) as tf.Tensor3D;
}

/** Everything the backward and R passes reuse from one forward pass. */
export interface Trace {
  /** inputs of each layer: a[0] = x, a[l] = relu(z[l-1]) */
  a: tf.Tensor3D[];
  /** ReLU derivative of each hidden layer (1 where z > 0, else 0) */
  masks: tf.Tensor3D[];
  out: tf.Tensor3D;
  /** softmax of the output (cross-entropy only) */
  probs: tf.Tensor3D | null;
}

export function trace(params: readonly tf.Tensor[], x: tf.Tensor3D, kind: LossKind): Trace {
  const layers = params.length / 2;
  const a: tf.Tensor3D[] = [x];
  const masks: tf.Tensor3D[] = [];
  let h = x;
  for (let l = 0; l < layers; l++) {
    const z = addBias(mm(h, params[2 * l] as tf.Tensor), params[2 * l + 1] as tf.Tensor);
    if (l === layers - 1) {
      h = z;
      break;
    }
    masks.push(tf.step(z) as tf.Tensor3D);
    h = tf.relu(z);
    a.push(h);
  }
  return { a, masks, out: h, probs: kind === 'ce' ? (tf.softmax(h) as tf.Tensor3D) : null };
}

/**
 * ∂(scale · Σ_b loss_b)/∂out, where loss_b is msePerTask (mean over examples
 * and outputs) or crossEntropyPerTask (mean over examples) of ops.ts.
 */
export function outputGrad(t: Trace, y: tf.Tensor3D, kind: LossKind, scale: number): tf.Tensor3D {
  const [, n, d] = t.out.shape;
  if (kind === 'mse') return tf.mul(tf.sub(t.out, y), (2 * scale) / (n * d));
  return tf.mul(tf.sub(t.probs as tf.Tensor3D, y), scale / n);
}

/** Per-layer output gradients dz[l] ([B, n, out_l]) of a backward pass. */
export interface Backward {
  grads: tf.Tensor[];
  dz: tf.Tensor3D[];
}

/** Gradient of Σ_b loss_b with respect to each task's params, given ∂/∂out. */
export function backward(params: readonly tf.Tensor[], t: Trace, dOut: tf.Tensor3D): Backward {
  const layers = params.length / 2;
  const grads: tf.Tensor[] = new Array<tf.Tensor>(params.length);
  const dz: tf.Tensor3D[] = new Array<tf.Tensor3D>(layers);
  let d = dOut;
  for (let l = layers - 1; l >= 0; l--) {
    dz[l] = d;
    grads[2 * l] = tf.matMul(t.a[l] as tf.Tensor3D, d, true, false);
    grads[2 * l + 1] = tf.sum(d, 1);
    if (l > 0) d = tf.mul(mmT(d, params[2 * l] as tf.Tensor), t.masks[l - 1] as tf.Tensor3D);
  }
  return { grads, dz };
}

/**
 * H_b v_b for every task: the Hessian of task b's loss (scaled as in
 * outputGrad) at its params, times its direction v_b (per task, params
 * order). `t` and `bw` are the forward trace and backward pass at those params.
 */
export function hessianVector(
  params: readonly tf.Tensor[],
  v: readonly tf.Tensor[],
  t: Trace,
  bw: Backward,
  kind: LossKind,
  scale: number,
): tf.Tensor[] {
  const layers = params.length / 2;
  // R-forward: the directional derivative of every activation.
  const ra: (tf.Tensor3D | null)[] = [null];
  let rz: tf.Tensor3D | null = null;
  for (let l = 0; l < layers; l++) {
    const fromInput = mm(t.a[l] as tf.Tensor3D, v[2 * l] as tf.Tensor);
    const fromPrev = ra[l] ? mm(ra[l] as tf.Tensor3D, params[2 * l] as tf.Tensor) : null;
    const sum = fromPrev ? (tf.add(fromPrev, fromInput) as tf.Tensor3D) : fromInput;
    rz = addBias(sum, v[2 * l + 1] as tf.Tensor);
    if (l < layers - 1) ra.push(tf.mul(rz, t.masks[l] as tf.Tensor3D) as tf.Tensor3D);
  }
  const rOut = rz as tf.Tensor3D;
  // R of ∂loss/∂out.
  const [, n, d] = rOut.shape;
  let rd: tf.Tensor3D;
  if (kind === 'mse') rd = tf.mul(rOut, (2 * scale) / (n * d));
  else {
    const p = t.probs as tf.Tensor3D;
    const pr = tf.mul(p, rOut);
    rd = tf.mul(tf.sub(pr, tf.mul(p, tf.sum(pr, -1, true))), scale / n);
  }
  // R-backward.
  const out: tf.Tensor[] = new Array<tf.Tensor>(params.length);
  for (let l = layers - 1; l >= 0; l--) {
    const dz = bw.dz[l] as tf.Tensor3D;
    const gW = tf.matMul(t.a[l] as tf.Tensor3D, rd, true, false);
    out[2 * l] = ra[l] ? tf.add(gW, tf.matMul(ra[l] as tf.Tensor3D, dz, true, false)) : gW;
    out[2 * l + 1] = tf.sum(rd, 1);
    if (l > 0) {
      const rda = tf.add(mmT(rd, params[2 * l] as tf.Tensor), mmT(dz, v[2 * l] as tf.Tensor));
      rd = tf.mul(rda, t.masks[l - 1] as tf.Tensor3D);
    }
  }
  return out;
}

/** Per-task loss values ([B]) from a trace: the same numbers as lossPerTask. */
export function lossFromTrace(t: Trace, y: tf.Tensor3D, kind: LossKind): tf.Tensor1D {
  if (kind === 'mse') {
    const e = tf.sub(t.out, y);
    return tf.mean(tf.mul(e, e), [1, 2]) as tf.Tensor1D;
  }
  // −Σ y log p, with log p from log-sum-exp so a tiny probability stays finite
  const m = tf.max(t.out, -1, true);
  const logp = tf.sub(tf.sub(t.out, m), tf.log(tf.sum(tf.exp(tf.sub(t.out, m)), -1, true)));
  return tf.mean(tf.neg(tf.sum(tf.mul(y, logp), -1)), -1) as tf.Tensor1D;
}
