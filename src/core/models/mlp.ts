/**
 * A functional MLP: the parameters are an explicit list of tensors and forward
 * is a pure function of (params, x), so MAML can differentiate through
 * parameter updates. Layout: [W0, b0, W1, b1, …] with W [in, out], b [out],
 * ReLU between layers, linear output.
 *
 * Task-batched form: every parameter may carry a leading task dimension
 * (W [B, in, out], b [B, out]); then x is [B, n, in] and the forward pass is a
 * batched matMul, so one meta-batch costs the same number of kernels whatever
 * B is. The unbatched form maps x [B, n, in] with shared weights.
 *
 * Ownership: initParams returns fresh tensors owned by the caller; forward
 * allocates intermediates (call it inside tf.tidy) and disposes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { paramShapes, weightsSpec, type MlpSpec } from '../spec/model';

/**
 * He-uniform-like init for ReLU layers (as MAML's reference code uses a
 * truncated normal of std 0.01 would be too small for 40-40 nets trained by
 * Adam here; this keeps activations O(1)), zero biases. Drawn from the Rng so a
 * seed reproduces it on every backend.
 */
export function initParamArrays(spec: MlpSpec, rng: Rng): Float32Array[] {
  // the weights only: learned rates (Meta-SGD) are not random, see model.ts
  return paramShapes(weightsSpec(spec)).map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n);
    if (shape.length === 2) {
      const fanIn = shape[0] as number;
      const bound = Math.sqrt(6 / fanIn) / Math.SQRT2;
      for (let i = 0; i < n; i++) out[i] = rng.uniform(-bound, bound);
    }
    return out;
  });
}

export function initParams(spec: MlpSpec, rng: Rng): tf.Tensor[] {
  const shapes = paramShapes(spec);
  return initParamArrays(spec, rng).map((a, i) => tf.tensor(a, shapes[i]));
}

/** Applied to each hidden layer's activations while training with dropout (see dropoutMask). */
export type HiddenTransform = (h: tf.Tensor3D) => tf.Tensor3D;

/**
 * Inverted dropout drawn from the seeded Rng (never Math.random, so a run
 * reproduces): each unit is kept with probability 1 − rate and scaled by
 * 1/(1 − rate), so the expected activation is unchanged and evaluation uses
 * the network as it is.
 */
export function dropoutMask(rate: number, rng: Rng): HiddenTransform {
  return (h) => {
    const keep = new Float32Array(h.size);
    const scale = 1 / (1 - rate);
    for (let i = 0; i < keep.length; i++) keep[i] = rng.uniform(0, 1) >= rate ? scale : 0;
    return tf.mul(h, tf.tensor(keep, h.shape)) as tf.Tensor3D;
  };
}

/** Outputs (or the embedding with embedOnly), shared or batched params; `hidden` applies dropout. */
export function forward(
  params: readonly tf.Tensor[],
  x: tf.Tensor3D,
  opts: { embedOnly?: boolean; hidden?: HiddenTransform } = {},
): tf.Tensor3D {
  const layers = params.length / 2;
  const lastLayer = opts.embedOnly ? layers - 1 : layers;
  let h: tf.Tensor3D = x;
  for (let l = 0; l < lastLayer; l++) {
    const W = params[2 * l] as tf.Tensor;
    const b = params[2 * l + 1] as tf.Tensor;
    h = linear(h, W, b);
    const isOutput = !opts.embedOnly && l === layers - 1;
    if (!isOutput) h = opts.hidden ? opts.hidden(tf.relu(h)) : tf.relu(h);
  }
  return h;
}

/** x [B, n, in] · W → [B, n, out]; W either shared [in, out] or per task [B, in, out]. */
function linear(x: tf.Tensor3D, W: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  if (W.rank === 3) {
    const y = tf.matMul(x, W as tf.Tensor3D);
    // b [B, out] → [B, 1, out] to broadcast over examples
    return tf.add(y, tf.expandDims(b, 1));
  }
  const [B, n, d] = x.shape;
  const y = tf.matMul(tf.reshape(x, [B * n, d]), W as tf.Tensor2D);
  return tf.reshape(tf.add(y, b), [B, n, W.shape[1] as number]);
}

/**
 * Repeat shared params along a new leading task axis: θ → θ_B, as a
 * broadcasting add onto zeros. Not tf.tile or tf.broadcastTo: both run the
 * Tile kernel, whose gradient in tfjs is one slice and one add per repeat
 * (300 extra kernels per MAML step at B = 25); a broadcast add's gradient is
 * a single sum, so the kernel count stays flat in B.
 */
export function tileParams(params: readonly tf.Tensor[], B: number): tf.Tensor[] {
  return params.map((p) => tf.add(tf.zeros([B, ...p.shape]), tf.expandDims(p, 0)));
}
