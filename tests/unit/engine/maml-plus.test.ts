/**
 * MAML++ options of second-order MAML (multi-step loss, per-layer per-step
 * rates): the annealed loss weights; the hand-derived meta-gradient for the
 * initialization and the rate table against central finite differences of
 * the objective, against tfjs's tape and the per-task loop; with the options
 * off, plain MAML's numbers exactly; the rates used at evaluation; and the
 * validation messages.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MamlLearner } from '../../../src/core/algorithms/maml';
import { toTensors, type LossKind } from '../../../src/core/algorithms/batch';
import type { Layout } from '../../../src/core/algorithms/learner';
import { createLearner, specFor } from '../../../src/core/algorithms/index';
import { initParamArrays } from '../../../src/core/models/model';
import { paramShapes, specFromShapes, type MlpSpec } from '../../../src/core/spec/model';
import {
  MAMLPP_ALGORITHM_MESSAGE,
  MAMLPP_CONV_MESSAGE,
  defaultConfig,
  multiStepLossWeights,
  validateConfig,
  type TrainConfig,
} from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import type { EpisodeBatch } from '../../../src/core/data/types';
import { adaptationTrace } from '../../../src/core/train/adaptation-trace';
import { useCpu } from '../../helpers/tf-cpu';
import { assertAllClose } from '../../helpers/allclose';
import { blobBatch, sinusoidBatch } from '../../helpers/sinusoid-batch';

beforeAll(useCpu);

type Net = Omit<MlpSpec, 'stepRates' | 'learnedLr'>;

/** A MAML learner with the options in `over`; rates spread around α so each has its own gradient. */
function learner(
  net: Net,
  lossKind: LossKind,
  over: Partial<TrainConfig>,
  layout: Layout = 'batched',
) {
  const config = { ...defaultConfig('maml'), ...over };
  const spec = specFor(
    'maml',
    {
      kind: lossKind === 'mse' ? 'regression' : 'classification',
      inputDim: net.inputDim,
      classCount: () => net.outputDim,
    },
    {
      ...config,
      ways: net.outputDim,
      hidden: net.hidden,
    },
  ) as MlpSpec;
  const initial = initParamArrays(spec, new Rng(7), { innerLr: config.innerLr });
  if (spec.stepRates) {
    const rng = new Rng(3);
    const table = initial[initial.length - 1] as Float32Array;
    for (let i = 0; i < table.length; i++) table[i] = (table[i] as number) * rng.uniform(0.5, 1.5);
  }
  return new MamlLearner({ config, spec, lossKind, layout, initial }, { firstOrder: false });
}

/** Pretend `k` meta-steps are done (the optimizer's step count drives the loss weights). */
function atMetaStep(l: MamlLearner, k: number): MamlLearner {
  l.setOptimizerState({ name: 'Adam', arrays: [Float32Array.of(k)], shapes: [[]] });
  return l;
}

async function metaGrad(l: MamlLearner, batch: EpisodeBatch): Promise<Float32Array> {
  const flat = tf.tidy(() =>
    tf.concat(l.metaGradient(toTensors(batch)).grads.map((g) => tf.reshape(g, [-1]))),
  );
  const out = (await flat.data()) as Float32Array;
  flat.dispose();
  return out;
}

/** Directional derivatives of the MAML++ objective by central differences. */
function fdDirectional(l: MamlLearner, batch: EpisodeBatch, dirs: Float32Array[], eps: number) {
  return tf.tidy(() => {
    const t = toTensors(batch);
    const shapes = l.params.map((p) => p.shape);
    const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
    const at = (dir: Float32Array, scale: number) => {
      let o = 0;
      const all = l.params.map((p, i) => {
        const d = tf.tensor(dir.subarray(o, o + (sizes[i] as number)), shapes[i]);
        o += sizes[i] as number;
        return tf.add(p, tf.mul(scale, d));
      });
      return l.plusObjective(all, t).dataSync()[0] as number;
    };
    return dirs.map((d) => (at(d, eps) - at(d, -eps)) / (2 * eps));
  });
}

function randomDirs(n: number, size: number, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => rng.normal()));
}

/** Directions that move only the rate table (the last param). */
function rateDirs(l: MamlLearner, n: number, size: number, seed: number): Float32Array[] {
  const weights = l.params.slice(0, -1).reduce((s, p) => s + p.size, 0);
  return randomDirs(n, size, seed).map((d) => d.fill(0, 0, weights));
}

const dot = (a: Float32Array, b: Float32Array) =>
  a.reduce((s, v, i) => s + v * (b[i] as number), 0);

const REG: Net = { inputDim: 1, hidden: [6, 5], outputDim: 1 };

describe('MAML++ multi-step loss weights', () => {
  it('start uniform, anneal toward the last step over 15% of the run, then count only the last', () => {
    expect(multiStepLossWeights(5, 0, 1000)).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
    // halfway through the 150 annealing steps: non-final 0.5/5, final (1 + 0.5·4)/5
    const mid = multiStepLossWeights(5, 75, 1000);
    assertAllClose(mid, [0.1, 0.1, 0.1, 0.1, 0.6], { atol: 1e-12, rtol: 0, label: 'mid' });
    // just before the end the floors bind: 0.03/5 each, final 1 − 4·0.006
    const late = multiStepLossWeights(5, 149, 1000);
    assertAllClose(late, [0.006, 0.006, 0.006, 0.006, 0.976], {
      atol: 1e-12,
      rtol: 0,
      label: 'late',
    });
    expect(multiStepLossWeights(5, 150, 1000)).toEqual([0, 0, 0, 0, 1]);
    expect(multiStepLossWeights(1, 0, 1000)).toEqual([1]);
    for (let k = 0; k < 150; k += 7)
      expect(multiStepLossWeights(3, k, 1000).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(
        1 + 1e-12,
      );
  });
});

describe('MAML++ meta-gradient', () => {
  const cases: [string, Partial<TrainConfig>][] = [
    ['multi-step loss and per-step rates', { multiStepLoss: true, perStepRates: true }],
    ['multi-step loss only', { multiStepLoss: true }],
    ['per-step rates only', { perStepRates: true }],
  ];
  for (const [label, opts] of cases)
    it(`matches finite differences, initialization and rates (${label}; MSE, 3 inner steps)`, async () => {
      // meta-step 40 of 1000: the loss weights are mid-annealing, all non-zero and unequal
      const l = atMetaStep(learner(REG, 'mse', { innerLr: 0.05, innerSteps: 3, ...opts }), 40);
      const w = l.lossWeights();
      if (opts.multiStepLoss) expect(w.every((x) => x > 0) && w[0] !== w[2]).toBe(true);
      const batch = sinusoidBatch(3, 3, 5, 5);
      const g = await metaGrad(l, batch);
      const sets: [string, Float32Array[]][] = [['all params', randomDirs(6, g.length, 11)]];
      if (opts.perStepRates) sets.push(['rates only', rateDirs(l, 6, g.length, 13)]);
      // ε and tolerances as in maml.test.ts (float32 rounding against ReLU kinks)
      for (const [what, dirs] of sets)
        assertAllClose(
          dirs.map((d) => dot(g, d)),
          fdDirectional(l, batch, dirs, 3e-4),
          { rtol: 1e-2, atol: 5e-3, label: `g·v vs finite differences (${label}, ${what})` },
        );
      l.dispose();
    });

  it('matches finite differences for softmax cross-entropy (both options, 2 inner steps)', async () => {
    const net = { inputDim: 2, hidden: [8], outputDim: 3 };
    const over = { innerLr: 0.5, innerSteps: 2, multiStepLoss: true, perStepRates: true, ways: 3 };
    const l = atMetaStep(learner(net, 'ce', over), 10);
    const batch = blobBatch(5, 2, 3, 2, 3);
    const g = await metaGrad(l, batch);
    const dirs = [...randomDirs(4, g.length, 12), ...rateDirs(l, 4, g.length, 14)];
    assertAllClose(
      dirs.map((d) => dot(g, d)),
      fdDirectional(l, batch, dirs, 1e-3),
      { rtol: 1e-2, atol: 2e-3, label: 'g·v vs finite differences (cross-entropy)' },
    );
    l.dispose();
  });

  it("equals tfjs's tape and the per-task loop (1-40-40-1, meta-batch 10, 3 inner steps)", async () => {
    const net = { inputDim: 1, hidden: [40, 40], outputDim: 1 };
    const batch = sinusoidBatch(9, 10, 5, 10);
    const over = { innerSteps: 3, multiStepLoss: true, perStepRates: true };
    const grad = (layout: Layout) =>
      metaGrad(atMetaStep(learner(net, 'mse', over, layout), 20), batch);
    const a = await grad('batched');
    assertAllClose(a, await grad('tape'), { atol: 1e-4, rtol: 1e-4, label: 'batched vs tape' });
    assertAllClose(a, await grad('loop'), { atol: 1e-4, rtol: 1e-4, label: 'batched vs loop' });
    // the table [3, 6] is last and really gets a gradient
    const rates = a.subarray(a.length - 18);
    expect(Math.max(...rates.map(Math.abs))).toBeGreaterThan(1e-3);
  });
});

describe('MAML++ options off', () => {
  it('leave plain MAML exactly: same params, gradient and trained weights as a config without them', async () => {
    const batch = sinusoidBatch(4, 5, 5, 5);
    const over = { innerSteps: 2, innerLr: 0.05 };
    const plain = learner(REG, 'mse', over);
    const off = learner(REG, 'mse', { ...over, multiStepLoss: false, perStepRates: false });
    expect(off.params).toHaveLength(plain.params.length);
    expect(await metaGrad(off, batch)).toEqual(await metaGrad(plain, batch));
    for (let i = 0; i < 3; i++) {
      plain.step(batch).dispose();
      off.step(batch).dispose();
    }
    expect(await off.readParams()).toEqual(await plain.readParams());
    plain.dispose();
    off.dispose();
  });

  it('reduce to plain MAML when the options are on but neutral (rates all α, annealing over)', async () => {
    const batch = sinusoidBatch(4, 5, 5, 5);
    const over = { innerSteps: 3, innerLr: 0.05, metaSteps: 100 };
    const plain = await metaGrad(learner(REG, 'mse', over), batch);
    const config = { ...defaultConfig('maml'), ...over, multiStepLoss: true, perStepRates: true };
    const spec = { ...REG, stepRates: 3 };
    // rates left at α; 15 of 100 meta-steps done: only the final loss counts
    const l = atMetaStep(
      new MamlLearner(
        {
          config,
          spec,
          lossKind: 'mse',
          layout: 'batched',
          initial: initParamArrays(spec, new Rng(7), { innerLr: 0.05 }),
        },
        { firstOrder: false },
      ),
      15,
    );
    expect(l.lossWeights()).toEqual([0, 0, 1]);
    const g = await metaGrad(l, batch);
    assertAllClose(g.subarray(0, plain.length), plain, {
      atol: 1e-6,
      rtol: 1e-5,
      label: 'θ gradient: MAML++ neutral vs MAML',
    });
    l.dispose();
  });
});

describe('MAML++ training and models', () => {
  it('a meta-step moves the rate table and frees every tensor it allocates', async () => {
    const l = learner(REG, 'mse', { innerSteps: 2, multiStepLoss: true, perStepRates: true });
    const before = await l.readParams();
    const batch = sinusoidBatch(4, 5, 5, 5);
    l.step(batch).dispose();
    const n = tf.memory().numTensors;
    l.step(batch).dispose();
    expect(tf.memory().numTensors).toBe(n);
    const after = await l.readParams();
    const last = before.length - 1;
    expect((after[last] as Float32Array).some((v, j) => v !== before[last]![j])).toBe(true);
    l.dispose();
  });

  it('keep the [S, P] rate table after the weights: shapes, init at α, recovery from saved shapes', () => {
    const config = { ...defaultConfig('maml'), innerSteps: 5, perStepRates: true };
    const spec = specFor('maml', { kind: 'regression', inputDim: 1, classCount: () => 0 }, config);
    expect(spec).toEqual({ inputDim: 1, hidden: [40, 40], outputDim: 1, stepRates: 5 });
    const shapes = paramShapes(spec);
    expect(shapes).toHaveLength(7);
    expect(shapes[6]).toEqual([5, 6]);
    const arrays = initParamArrays(spec, new Rng(1), { innerLr: 0.02 });
    expect(arrays[6]!.every((v) => Math.abs(v - 0.02) < 1e-9)).toBe(true);
    const plain = initParamArrays({ inputDim: 1, hidden: [40, 40], outputDim: 1 }, new Rng(1));
    expect(arrays.slice(0, 6)).toEqual(plain);
    expect(specFromShapes(shapes, undefined, { stepRates: true })).toEqual(spec);
    // a learner refuses a table that does not match the inner steps
    expect(() =>
      createLearner('maml', {
        config: { ...config, innerSteps: 4 },
        spec,
        lossKind: 'mse',
        initial: arrays,
      }),
    ).toThrow(/per-step rates for 5 inner steps/);
  });

  it('adapt at evaluation with the learned rate of each step, the last one serving later steps', async () => {
    const spec: MlpSpec = { ...REG, stepRates: 2 };
    const batch = sinusoidBatch(6, 3, 5, 5);
    const arrays = initParamArrays(spec, new Rng(2), { innerLr: 0.01 });
    const model = { name: 'm', spec, arrays, adaptStyle: 'finetune' as const };
    // step 0's rates (row 0 of the [2, 6] table) all 0: step 1 equals step 0 whatever the lr
    arrays[6]!.fill(0, 0, 6);
    const frozen = tf.tidy(() => adaptationTrace(model, toTensors(batch), 'mse', 3, 0.5).metric);
    const f = (await frozen.array()) as number[][];
    frozen.dispose();
    expect(f[1]).toEqual(f[0]);
    // then steps 2 and 3 both use row 1 (0.01): a plain net at lr 0.01 after 2 steps
    const plain = { ...model, spec: REG, arrays: arrays.slice(0, 6) };
    const p = tf.tidy(() => adaptationTrace(plain, toTensors(batch), 'mse', 2, 0.01).metric);
    const q = (await p.array()) as number[][];
    p.dispose();
    assertAllClose(f[3]!, q[2]!, {
      atol: 1e-6,
      rtol: 1e-5,
      label: 'rates of the last step reused',
    });
  });

  it('are refused with the reason off second-order MAML on the MLP', () => {
    const conv = { ...defaultConfig('maml'), backbone: 'conv4' as const, multiStepLoss: true };
    expect(validateConfig(conv)).toContain(MAMLPP_CONV_MESSAGE);
    const fo = { ...defaultConfig('fomaml'), perStepRates: true };
    expect(validateConfig(fo)).toContain(MAMLPP_ALGORITHM_MESSAGE);
    const none = { ...defaultConfig('maml'), perStepRates: true, innerSteps: 0 };
    expect(validateConfig(none).join(' ')).toMatch(/perStepRates needs at least one inner step/);
    expect(validateConfig({ ...defaultConfig('maml'), multiStepLoss: true })).toEqual([]);
  });
});
