/**
 * A 3×3, stride-1, 'same' convolution whose filter gradient is computed here,
 * because tfjs's WASM backend (the CLI's default) has no Conv2DBackpropFilter
 * kernel at all ("Kernel 'Conv2DBackpropFilter' not registered for backend
 * 'wasm'"). The forward pass is tf.conv2d; the input gradient is the
 * 'same' convolution of dy with the flipped, transposed filter (tf.conv2d
 * again: WASM's Conv2DBackpropInput measured ~10× slower than its conv2d);
 * the filter gradient is im2col: the nine shifted views of the zero-padded
 * input as [9·C, N·H·W] times dy [N·H·W, F] in one matMul, which is exactly
 * Σ over positions of patch ⊗ dy in the [3, 3, C, F] filter layout.
 * Tested against finite differences and against tfjs's own gradient on the
 * CPU backend. First order only (like tf.conv2d itself).
 *
 * Ownership: returns a new tensor; inputs are not disposed.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * dL/dW for y = conv3x3(x, W): x [N, H, W, C], dy [N, H, W, F] → [3, 3, C, F].
 * The patches are built channel-major ([9·C, N·H·W]) from x transposed once,
 * so the matMul needs no transposed operand: WASM's matMul with transposeA
 * measured ~6× slower than with a plain layout on these sizes.
 */
export function conv3x3FilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  const [N, H, W, C] = x.shape;
  const F = dy.shape[3];
  const xp = tf.pad(tf.transpose(x, [3, 0, 1, 2]), [
    [0, 0],
    [0, 0],
    [1, 1],
    [1, 1],
  ]); // [C, N, H+2, W+2]
  const views: tf.Tensor[] = [];
  for (let ky = 0; ky < 3; ky++)
    for (let kx = 0; kx < 3; kx++) views.push(tf.slice(xp, [0, 0, ky, kx], [C, N, H, W]));
  const patches = tf.reshape(tf.concat(views, 0), [9 * C, N * H * W]);
  const g = tf.matMul(patches, tf.reshape(dy, [N * H * W, F]));
  return tf.reshape(g, [3, 3, C, F]);
}

/** dL/dx for y = conv3x3(x, W): the 'same' convolution of dy with W flipped and transposed. */
export function conv3x3InputGrad(dy: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  return tf.conv2d(dy, flipped, 1, 'same');
}

export const conv3x3: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D = tf.customGrad(
  (x, w, save) => {
    const xt = x as tf.Tensor4D;
    const wt = w as tf.Tensor4D;
    (save as tf.GradSaveFunc)([xt, wt]);
    return {
      value: tf.conv2d(xt, wt, 1, 'same'),
      gradFunc: (dy, saved) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const d = dy as tf.Tensor4D;
        return [conv3x3InputGrad(d, ws), conv3x3FilterGrad(xs, d)];
      },
    };
  },
) as (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;
