/**
 * Conv-4: the forward pass against a plain-JS reference (loops in float64),
 * the WASM-safe convolution's gradients against tfjs's own and against
 * finite differences, and per-task batch norm.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv3x3, conv3x3FilterGrad } from '../../../src/core/models/conv-op';
import {
  convForward,
  convInitArrays,
  convParamShapes,
  embeddingDim,
  type ConvSpec,
} from '../../../src/core/models/conv4';
import { Rng } from '../../../src/core/rng';
import { useCpu } from '../../helpers/tf-cpu';
import { assertAllClose } from '../../helpers/allclose';

beforeAll(useCpu);

describe('conv3x3', () => {
  it('computes a hand-checked case: x = 1..9 (3×3), all-ones filter', async () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
    // 'same' padding with zeros: each output is the sum of its 3×3 neighbourhood
    const expected = [12, 21, 16, 27, 45, 33, 24, 39, 28];
    assertAllClose(await conv3x3(x, w).data(), expected, { label: 'conv' });
  });

  it("has tfjs's own gradients (input and filter) on the CPU backend", async () => {
    const rng = new Rng(3);
    const rand = (shape: number[]) =>
      tf.tensor(
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
        shape,
      );
    const x = rand([2, 5, 6, 3]) as tf.Tensor4D;
    const w = rand([3, 3, 3, 4]) as tf.Tensor4D;
    const dy = rand([2, 5, 6, 4]);
    const loss =
      (f: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D) => (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D), dy));
    const ours = tf.grads(loss(conv3x3))([x, w]);
    const ref = tf.grads(loss((a, b) => tf.conv2d(a, b, 1, 'same')))([x, w]);
    assertAllClose(await ours[0]!.data(), await ref[0]!.data(), { atol: 1e-4, label: 'dx' });
    assertAllClose(await ours[1]!.data(), await ref[1]!.data(), { atol: 1e-4, label: 'dW' });
    const direct = conv3x3FilterGrad(x, dy as tf.Tensor4D);
    expect(direct.shape).toEqual([3, 3, 3, 4]);
  });
});

/** Plain-JS Conv-4 forward (float64): conv 'same', per-task BN, ReLU, 2×2 valid max-pool. */
function referenceForward(
  spec: ConvSpec,
  arrays: Float32Array[],
  x: Float32Array,
  B: number,
  n: number,
): number[] {
  const { height: H0, width: W0, channels: C0 } = spec.imageShape;
  const F = spec.filters;
  // images[b][i] is an H×W×C array
  let H = H0;
  let W = W0;
  let C: number = C0;
  let imgs: number[][][] = [];
  for (let b = 0; b < B; b++) {
    const row: number[][] = [];
    for (let i = 0; i < n; i++) {
      const off = (b * n + i) * H * W * C;
      row.push(Array.from(x.subarray(off, off + H * W * C)));
    }
    imgs.push(row);
  }
  for (let l = 0; l < 4; l++) {
    const w = arrays[3 * l]!;
    const gamma = arrays[3 * l + 1]!;
    const beta = arrays[3 * l + 2]!;
    const conv = imgs.map((task) =>
      task.map((img) => {
        const out = new Array<number>(H * W * F).fill(0);
        for (let r = 0; r < H; r++)
          for (let c = 0; c < W; c++)
            for (let f = 0; f < F; f++) {
              let s = 0;
              for (let ky = 0; ky < 3; ky++)
                for (let kx = 0; kx < 3; kx++) {
                  const rr = r + ky - 1;
                  const cc = c + kx - 1;
                  if (rr < 0 || rr >= H || cc < 0 || cc >= W) continue;
                  for (let ch = 0; ch < C; ch++)
                    s += img[(rr * W + cc) * C + ch]! * w[((ky * 3 + kx) * C + ch) * F + f]!;
                }
              out[(r * W + c) * F + f] = s;
            }
        return out;
      }),
    );
    // batch norm per task and channel over (images, rows, cols)
    for (const task of conv)
      for (let f = 0; f < F; f++) {
        let sum = 0;
        const count = task.length * H * W;
        for (const img of task) for (let p = 0; p < H * W; p++) sum += img[p * F + f]!;
        const mean = sum / count;
        let v = 0;
        for (const img of task) for (let p = 0; p < H * W; p++) v += (img[p * F + f]! - mean) ** 2;
        const sd = Math.sqrt(v / count + 1e-5);
        for (const img of task)
          for (let p = 0; p < H * W; p++)
            img[p * F + f] = Math.max(0, ((img[p * F + f]! - mean) / sd) * gamma[f]! + beta[f]!);
      }
    const H2 = Math.floor(H / 2);
    const W2 = Math.floor(W / 2);
    imgs = conv.map((task) =>
      task.map((img) => {
        const out = new Array<number>(H2 * W2 * F);
        for (let r = 0; r < H2; r++)
          for (let c = 0; c < W2; c++)
            for (let f = 0; f < F; f++)
              out[(r * W2 + c) * F + f] = Math.max(
                img[(2 * r * W + 2 * c) * F + f]!,
                img[(2 * r * W + 2 * c + 1) * F + f]!,
                img[((2 * r + 1) * W + 2 * c) * F + f]!,
                img[((2 * r + 1) * W + 2 * c + 1) * F + f]!,
              );
        return out;
      }),
    );
    H = H2;
    W = W2;
    C = F;
  }
  return imgs.flat(2);
}

describe('Conv-4 forward', () => {
  const spec: ConvSpec = {
    kind: 'conv4',
    imageShape: { height: 16, width: 17, channels: 3 },
    filters: 3,
    outputDim: 0,
  };

  it("has the papers' shapes: 28×28 → 1×1×F, 84×84 → 5×5×F", () => {
    const s28: ConvSpec = {
      ...spec,
      imageShape: { height: 28, width: 28, channels: 1 },
      filters: 64,
      outputDim: 5,
    };
    expect(embeddingDim(s28)).toBe(64);
    expect(convParamShapes(s28).at(-2)).toEqual([64, 5]);
    expect(embeddingDim({ ...s28, imageShape: { height: 84, width: 84, channels: 3 } })).toBe(1600);
  });

  it('matches a plain-JS reference with per-task batch statistics', async () => {
    const rng = new Rng(9);
    const arrays = convInitArrays(spec, rng).map((a, i) =>
      i % 3 === 0 ? a : a.map(() => rng.uniform(0.5, 1.5) * (i % 3 === 1 ? 1 : 0.3)),
    );
    const B = 2;
    const n = 3;
    const D = 16 * 17 * 3;
    // the two tasks get very different scales: shared batch stats would mix them
    const x = Float32Array.from({ length: B * n * D }, (_, i) => (i < n * D ? 1 : 5) * rng.next());
    const shapes = convParamShapes(spec);
    const out = tf.tidy(() =>
      convForward(
        spec,
        arrays.map((a, i) => tf.tensor(a, shapes[i])),
        tf.tensor3d(x, [B, n, D]),
      ),
    );
    expect(out.shape).toEqual([B, n, 3]);
    assertAllClose(await out.data(), referenceForward(spec, arrays, x, B, n), {
      atol: 1e-4,
      rtol: 1e-4,
      label: 'conv4 forward',
    });
  });
});
