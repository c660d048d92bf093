/**
 * Second derivatives of the ops MAML differentiates through, against finite
 * differences of the first derivative. tfjs gets these wrong or throws for its
 * own exp / logSoftmax (issue 3252), so these tests are what make
 * second-order MAML on classification trustworthy.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exp, logSoftmax, crossEntropyPerTask } from '../../../src/core/ops';
import { useCpu } from '../../helpers/tf-cpu';
import { assertAllClose } from '../../helpers/allclose';

beforeAll(useCpu);

/** d²f/dx² at x by nested tf.grad, elementwise for an elementwise f summed. */
function secondDerivative(f: (x: tf.Tensor) => tf.Tensor, xs: number[]): Float32Array {
  const g2 = tf.grad((x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(f(y)))(x)));
  return g2(tf.tensor1d(xs)).dataSync() as Float32Array;
}

describe('custom exp', () => {
  it('has the right second derivative (exp itself), where tf.exp throws', () => {
    const xs = [-2, -0.5, 0, 0.7, 1.5];
    assertAllClose(secondDerivative(exp, xs), xs.map(Math.exp), { rtol: 1e-5, label: "exp''" });
    expect(() => secondDerivative((x) => tf.exp(x), xs)).toThrow();
  });
});

describe('logSoftmax / cross-entropy', () => {
  it('matches tf.logSoftmax in value', () => {
    const z = tf.tensor2d([
      [1, 2, 3],
      [-10, 0, 10],
    ]);
    assertAllClose(logSoftmax(z).dataSync(), tf.logSoftmax(z).dataSync(), { atol: 1e-5 });
  });

  it('has a Hessian-vector product equal to finite differences of its gradient', () => {
    // f(z) = CE(z, y); compare ∇(∇f·v) with (∇f(z+εv) − ∇f(z−εv)) / 2ε.
    const y = tf.tensor3d([
      [
        [0, 1, 0],
        [1, 0, 0],
      ],
    ]);
    const z0 = [0.3, -1.2, 2.0, 0.5, 0.1, -0.4];
    const v = [0.7, -0.2, 0.4, -0.9, 0.3, 0.5];
    const f = (z: tf.Tensor) =>
      tf.sum(crossEntropyPerTask(tf.reshape(z, [1, 2, 3]) as tf.Tensor3D, y));
    const grad = tf.grad(f);
    const hv = tf
      .grad((z: tf.Tensor) => tf.sum(tf.mul(grad(z), tf.tensor1d(v))))(tf.tensor1d(z0))
      .dataSync();
    const eps = 1e-2;
    const plus = grad(tf.tensor1d(z0.map((zi, i) => zi + eps * (v[i] as number)))).dataSync();
    const minus = grad(tf.tensor1d(z0.map((zi, i) => zi - eps * (v[i] as number)))).dataSync();
    const fd = Array.from(plus, (p, i) => (p - (minus[i] as number)) / (2 * eps));
    // Central differences err by O(ε²·f''''), ~1e-5 here; float32 rounding adds ~1e-7/ε.
    assertAllClose(hv, fd, { atol: 2e-4, rtol: 1e-3, label: 'H·v' });
  });
});
