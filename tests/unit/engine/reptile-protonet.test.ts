/**
 * Reptile and ProtoNet on cases small enough to work out by hand.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReptileLearner } from '../../../src/core/algorithms/reptile';
import { prototypes, protoLogits } from '../../../src/core/algorithms/protonet';
import { defaultConfig } from '../../../src/core/spec/config';
import type { EpisodeBatch } from '../../../src/core/data/types';
import { useCpu } from '../../helpers/tf-cpu';
import { assertAllClose } from '../../helpers/allclose';

beforeAll(useCpu);

describe('Reptile', () => {
  it('moves θ by ε·mean(θ′ − θ) with θ′ from SGD steps worked out by hand', async () => {
    // Model y = w·x + b (no hidden layer), θ = (w, b) = (0, 0), α = 0.1, two SGD steps, ε = 0.5.
    // Task 1: support (x=1, y=2). L = (w+b−2)², ∇ = 2(w+b−2)·(1, 1).
    //   step 1: ∇ = (−4, −4) → θ = (0.4, 0.4); step 2: ∇ = 2(0.8−2) = −2.4 → θ′ = (0.64, 0.64).
    // Task 2: support (x=2, y=−1). L = (2w+b+1)², ∇ = 2(2w+b+1)·(2, 1).
    //   step 1: ∇ = (4, 2) → θ = (−0.4, −0.2); step 2: r = 2(−0.8−0.2+1) = 0 → θ′ = (−0.4, −0.2).
    // mean(θ′ − θ) = (0.12, 0.22); θ_new = 0.5 · (0.12, 0.22) = (0.06, 0.11).
    const spec = { inputDim: 1, hidden: [], outputDim: 1 };
    const config = { ...defaultConfig('reptile'), innerLr: 0.1, innerSteps: 2, metaLr: 0.5 };
    const one = (v: number[]) => Float32Array.from(v);
    const batch: EpisodeBatch = {
      tasks: 2,
      support: 1,
      query: 1,
      inputDim: 1,
      outputDim: 1,
      supportX: one([1, 2]),
      supportY: one([2, -1]),
      queryX: one([0, 0]),
      queryY: one([0, 0]),
      names: [],
    };
    for (const layout of ['batched', 'loop'] as const) {
      const l = new ReptileLearner({
        config,
        spec,
        lossKind: 'mse',
        layout,
        initial: [one([0]), one([0])],
      });
      l.step(batch).dispose();
      const [w, b] = await l.readParams();
      assertAllClose([w![0]!, b![0]!], [0.06, 0.11], { atol: 1e-6, label: `Reptile ${layout}` });
      l.dispose();
    }
  });
});

describe('Prototypical Networks', () => {
  it('computes prototypes as class means and logits as negative squared distances', async () => {
    // One episode, 2 classes, 2 shots, 2-D embeddings.
    // class 0: (0,0), (2,0) → c0 = (1,0); class 1: (0,2), (0,4) → c1 = (0,3).
    // query (1,1): ‖q−c0‖² = 0+1 = 1, ‖q−c1‖² = 1+4 = 5 → logits (−1, −5).
    // query (0,3): ‖q−c0‖² = 1+9 = 10, ‖q−c1‖² = 0 → logits (−10, 0).
    const emb = tf.tensor3d([
      [
        [0, 0],
        [2, 0],
        [0, 2],
        [0, 4],
      ],
    ]);
    const sy = tf.tensor3d([
      [
        [1, 0],
        [1, 0],
        [0, 1],
        [0, 1],
      ],
    ]);
    const c = prototypes(emb, sy);
    assertAllClose(await c.data(), [1, 0, 0, 3], { label: 'prototypes' });
    const logits = protoLogits(
      tf.tensor3d([
        [
          [1, 1],
          [0, 3],
        ],
      ]),
      c,
    );
    assertAllClose(await logits.data(), [-1, -5, -10, 0], { atol: 1e-5, label: 'logits' });
    expect(logits.shape).toEqual([1, 2, 2]);
  });
});
