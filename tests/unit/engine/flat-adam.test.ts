/**
 * The flat Adam: the same trajectory as tf.train.adam, the same saved state
 * layout (so checkpoints written by either continue in the other), and a
 * clear refusal of state that does not fit the model.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FlatAdam } from '../../../src/core/algorithms/flat-adam';
import { Rng } from '../../../src/core/rng';
import { useCpu } from '../../helpers/tf-cpu';
import { assertAllClose } from '../../helpers/allclose';

beforeAll(useCpu);

const SHAPES = [[3, 4], [4], [4, 1], [1]];
let counter = 0;

function variables(seed: number): tf.Variable[] {
  const rng = new Rng(seed);
  return SHAPES.map((s) =>
    tf.variable(
      tf.tensor(
        Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()),
        s,
      ),
      true,
      `flat-adam-test/${counter++}`,
    ),
  );
}

/** A gradient sequence that depends on the current values, like a real loss. */
function grads(vars: tf.Variable[], step: number): tf.Tensor[] {
  return vars.map((v, i) => tf.add(tf.mul(v, 0.3 + 0.1 * i), Math.sin(step + i)));
}

async function values(vars: tf.Variable[]): Promise<Float32Array> {
  const parts = await Promise.all(vars.map((v) => v.data()));
  return Float32Array.from(parts.flatMap((p) => Array.from(p as Float32Array)));
}

describe('FlatAdam', () => {
  it('follows tf.train.adam step for step', async () => {
    const [a, b] = [variables(1), variables(1)];
    const mine = new FlatAdam(a, 0.01);
    const ref = tf.train.adam(0.01);
    for (let s = 0; s < 50; s++) {
      tf.tidy(() => mine.apply(grads(a, s)));
      tf.tidy(() => {
        const g = grads(b, s);
        ref.applyGradients(b.map((v, i) => ({ name: v.name, tensor: g[i] as tf.Tensor })));
      });
    }
    assertAllClose(await values(a), await values(b), { atol: 1e-5, rtol: 1e-5, label: 'θ' });
    const [sa, sb] = [await mine.state(), await ref.getWeights()];
    expect(sa.arrays.length).toBe(sb.length);
    expect(sa.arrays[0]![0]).toBe(50);
    for (let i = 1; i < sb.length; i++)
      assertAllClose(sa.arrays[i]!, (await sb[i]!.tensor.data()) as Float32Array, {
        atol: 1e-6,
        rtol: 1e-5,
        label: `slot ${i}`,
      });
    mine.dispose();
    ref.dispose();
  });

  it('continues from a saved state exactly as if never stopped (and from tfjs Adam state)', async () => {
    const [a, b] = [variables(2), variables(2)];
    const through = new FlatAdam(a, 0.02);
    const before = new FlatAdam(b, 0.02);
    for (let s = 0; s < 10; s++) {
      tf.tidy(() => through.apply(grads(a, s)));
      tf.tidy(() => before.apply(grads(b, s)));
    }
    const resumed = new FlatAdam(b, 0.02);
    resumed.setState(await before.state());
    before.dispose();
    for (let s = 10; s < 20; s++) {
      tf.tidy(() => through.apply(grads(a, s)));
      tf.tidy(() => resumed.apply(grads(b, s)));
    }
    assertAllClose(await values(a), await values(b), { atol: 0, rtol: 0, label: 'θ' });

    // a state written by tf.train.adam (older sessions) continues the same way
    const [c, d] = [variables(3), variables(3)];
    const ref = tf.train.adam(0.02);
    const mine = new FlatAdam(d, 0.02);
    for (let s = 0; s < 5; s++) {
      tf.tidy(() => {
        const g = grads(c, s);
        ref.applyGradients(c.map((v, i) => ({ name: v.name, tensor: g[i] as tf.Tensor })));
      });
      tf.tidy(() => mine.apply(grads(d, s)));
    }
    const w = await ref.getWeights();
    const arrays = await Promise.all(w.map(async (x) => Float32Array.from(await x.tensor.data())));
    const fromTfjs = new FlatAdam(c, 0.02);
    fromTfjs.setState({ name: 'Adam', arrays, shapes: w.map((x) => x.tensor.shape) });
    for (let s = 5; s < 10; s++) {
      tf.tidy(() => fromTfjs.apply(grads(c, s)));
      tf.tidy(() => mine.apply(grads(d, s)));
    }
    assertAllClose(await values(c), await values(d), { atol: 1e-5, rtol: 1e-5, label: 'θ' });
  });

  it('refuses a state of another model, and frees its moments', async () => {
    const a = variables(4);
    const opt = new FlatAdam(a, 0.01);
    const bad = {
      name: 'Adam',
      arrays: [Float32Array.of(3), new Float32Array(2)],
      shapes: [[], [2]],
    };
    expect(() => opt.setState(bad)).toThrow(/does not match the model/);
    const saved = await opt.state();
    expect(() => opt.setState({ ...saved, name: 'SGD' })).toThrow(/does not match/);
    const n0 = tf.memory().numTensors;
    for (let s = 0; s < 5; s++) tf.tidy(() => opt.apply(grads(a, s)));
    expect(tf.memory().numTensors).toBe(n0 + 2);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(n0);
  });
});
