/**
 * The few-shot papers' convolutional backbone ("Conv-4"): four blocks of
 * 3×3 convolution ('same' padding, no bias: batch norm's shift replaces it),
 * batch norm, ReLU and 2×2 max-pool ('valid', so 28 → 14 → 7 → 3 → 1), then
 * the feature maps flattened into an embedding and, when outputDim > 0, a
 * linear head to N outputs (MAML-style methods; ProtoNet uses the embedding).
 *
 * Batch norm is the few-shot kind used by the MAML and ProtoNet code: the
 * statistics are those of the images in the current forward pass, per task
 * (transductive), never running averages; gamma and beta are learned.
 *
 * Params: [W1, γ1, β1, …, W4, γ4, β4, (Wh [d, N], bh [N])], W [3, 3, in, F].
 * Rows are images flattened HWC (see ImageShape), x is [B, n, H·W·C].
 * The params are shared by the B tasks: tfjs has no convolution with a
 * filter per batch entry, so methods that adapt conv weights per task loop
 * over tasks (B = 1 each).
 *
 * The convolution is conv-op.ts's, whose filter gradient works on WASM.
 *
 * Ownership: forward allocates intermediates (call inside tf.tidy) and
 * disposes nothing; the init arrays belong to the caller.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { conv3x3 } from './conv-op';
import { CONV_BLOCKS, PER_BLOCK, convParamShapes, type ConvSpec } from '../spec/model';

export { CONV_BLOCKS, PER_BLOCK, convParamShapes, embeddingDim, featureSide } from '../spec/model';
export type { ConvSpec } from '../spec/model';

export const CONV_FILTERS = [32, 64] as const;
export type ConvFilters = (typeof CONV_FILTERS)[number];
const BN_EPS = 1e-5;
/** He-uniform conv and head weights, γ = 1, β = 0, zero head bias; drawn from the Rng. */
export function convInitArrays(spec: ConvSpec, rng: Rng): Float32Array[] {
  return convParamShapes(spec).map((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n);
    const isGamma = i < CONV_BLOCKS * PER_BLOCK && i % PER_BLOCK === 1;
    if (isGamma) out.fill(1);
    if (shape.length === 4 || shape.length === 2) {
      const fanIn = shape.length === 4 ? 9 * (shape[2] as number) : (shape[0] as number);
      const bound = Math.sqrt(6 / fanIn);
      for (let j = 0; j < n; j++) out[j] = rng.uniform(-bound, bound);
    }
    return out;
  });
}

/** Batch norm over each task's images: h [B·n, h, w, F] with B tasks. */
function taskBatchNorm(h: tf.Tensor4D, B: number, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor4D {
  const shape = h.shape;
  const F = shape[3];
  const flat = tf.reshape(h, [B, -1, F]);
  const mean = tf.mean(flat, 1, true);
  const centered = tf.sub(flat, mean);
  const variance = tf.mean(tf.mul(centered, centered), 1, true);
  const normed = tf.mul(centered, tf.rsqrt(tf.add(variance, BN_EPS)));
  return tf.reshape(tf.add(tf.mul(normed, gamma), beta), shape);
}

/**
 * Embeddings [B, n, d] (embedOnly, or no head) or head outputs [B, n, N].
 * `headParams` replaces the stored head, e.g. by task-batched [B, d, N] heads.
 */
export function convForward(
  spec: ConvSpec,
  params: readonly tf.Tensor[],
  x: tf.Tensor3D,
  opts: { embedOnly?: boolean } = {},
): tf.Tensor3D {
  const emb = convEmbed(spec, params, x);
  if (opts.embedOnly || spec.outputDim === 0) return emb;
  const base = CONV_BLOCKS * PER_BLOCK;
  return linearHead(emb, params[base] as tf.Tensor, params[base + 1] as tf.Tensor);
}

export function convEmbed(
  spec: ConvSpec,
  params: readonly tf.Tensor[],
  x: tf.Tensor3D,
): tf.Tensor3D {
  const [B, n] = x.shape;
  const { height, width, channels } = spec.imageShape;
  let h = tf.reshape(x, [B * n, height, width, channels]) as tf.Tensor4D;
  for (let i = 0; i < CONV_BLOCKS; i++) {
    const W = params[i * PER_BLOCK] as tf.Tensor4D;
    h = conv3x3(h, W);
    h = taskBatchNorm(
      h,
      B,
      params[i * PER_BLOCK + 1] as tf.Tensor,
      params[i * PER_BLOCK + 2] as tf.Tensor,
    );
    h = tf.relu(h);
    h = tf.maxPool(h, 2, 2, 'valid');
  }
  return tf.reshape(h, [B, n, -1]) as tf.Tensor3D;
}

/** emb [B, n, d] · W (shared [d, N] or per task [B, d, N]) + b → [B, n, N]. */
export function linearHead(emb: tf.Tensor3D, W: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  if (W.rank === 3) return tf.add(tf.matMul(emb, W as tf.Tensor3D), tf.expandDims(b, 1));
  const [B, n, d] = emb.shape;
  const y = tf.add(tf.matMul(tf.reshape(emb, [B * n, d]), W as tf.Tensor2D), b);
  return tf.reshape(y, [B, n, W.shape[1] as number]);
}
