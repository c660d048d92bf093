/**
 * Dropout: the seeded inverted mask, and that only the methods where it is
 * meaningful (pre-training, ProtoNet's MLP) use it.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropoutMask } from '../../../src/core/models/mlp';
import { createLearner } from '../../../src/core/algorithms/index';
import { initParamArrays } from '../../../src/core/models/model';
import { defaultConfig, type AlgorithmName } from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import { useCpu } from '../../helpers/tf-cpu';
import { sinusoidBatch } from '../../helpers/sinusoid-batch';

beforeAll(useCpu);

describe('dropoutMask', () => {
  it('keeps a unit with probability 1 − rate, scaled by 1/(1 − rate), reproducibly', async () => {
    const h = tf.ones([2, 50, 100]) as tf.Tensor3D;
    const a = (await dropoutMask(0.25, new Rng(5))(h).data()) as Float32Array;
    const b = (await dropoutMask(0.25, new Rng(5))(h).data()) as Float32Array;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(new Set(Array.from(a).map((v) => v.toFixed(5)))).toEqual(
      new Set(['0.00000', '1.33333']),
    );
    const kept = a.filter((v) => v > 0).length / a.length;
    expect(Math.abs(kept - 0.75)).toBeLessThan(0.03); // 10,000 draws: sd 0.004
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.04);
    h.dispose();
  });
});

async function firstStepLoss(algorithm: AlgorithmName, dropout: number): Promise<number> {
  const config = { ...defaultConfig(algorithm), dropout, hidden: [16, 16] };
  const spec = { inputDim: 1, hidden: [16, 16], outputDim: 1 };
  const l = createLearner(algorithm, {
    config,
    spec,
    lossKind: 'mse',
    initial: initParamArrays(spec, new Rng(1)),
  });
  const loss = l.step(sinusoidBatch(2, 4, 5, 5));
  const v = (await loss.data())[0] as number;
  loss.dispose();
  l.dispose();
  return v;
}

describe('where dropout applies', () => {
  it('changes the pre-training loss, and not MAML’s (off for inner-loop methods)', async () => {
    expect(await firstStepLoss('pretrain', 0.5)).not.toBeCloseTo(
      await firstStepLoss('pretrain', 0),
      4,
    );
    expect(await firstStepLoss('maml', 0.5)).toBe(await firstStepLoss('maml', 0));
  });
});
