/**
 * Meta-SGD's meta-gradient (weights and learned rates): the hand-derived
 * reverse pass against finite differences of the meta-objective, against
 * tfjs's tape and the per-task loop; and evaluation adapting with the
 * learned rates rather than the configured one.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MetaSgdLearner } from '../../../src/core/algorithms/meta-sgd';
import { toTensors, type LossKind } from '../../../src/core/algorithms/batch';
import type { Layout } from '../../../src/core/algorithms/learner';
import { initParamArrays } from '../../../src/core/models/model';
import { paramShapes, specFromShapes, type MlpSpec } from '../../../src/core/spec/model';
import { defaultConfig, validateConfig, type TrainConfig } from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import type { EpisodeBatch } from '../../../src/core/data/types';
import { adaptationTrace } from '../../../src/core/train/adaptation-trace';
import { useCpu } from '../../helpers/tf-cpu';
import { assertAllClose } from '../../helpers/allclose';
import { blobBatch, sinusoidBatch } from '../../helpers/sinusoid-batch';

beforeAll(useCpu);

/** A learner whose rates are spread around innerLr (so each rate's gradient is its own). */
function learner(
  net: Omit<MlpSpec, 'learnedLr'>,
  lossKind: LossKind,
  over: Partial<TrainConfig>,
  layout: Layout = 'batched',
) {
  const config = { ...defaultConfig('metasgd'), ...over };
  const spec: MlpSpec = { ...net, learnedLr: true };
  const initial = initParamArrays(spec, new Rng(7), { innerLr: config.innerLr });
  const rng = new Rng(3);
  const P = initial.length / 2;
  for (const r of initial.slice(P))
    for (let i = 0; i < r.length; i++) r[i] = (r[i] as number) * rng.uniform(0.5, 1.5);
  return new MetaSgdLearner({ config, spec, lossKind, layout, initial });
}

async function metaGrad(l: MetaSgdLearner, batch: EpisodeBatch): Promise<Float32Array> {
  const flat = tf.tidy(() =>
    tf.concat(l.metaGradient(toTensors(batch)).grads.map((g) => tf.reshape(g, [-1]))),
  );
  const out = (await flat.data()) as Float32Array;
  flat.dispose();
  return out;
}

function fdDirectional(
  l: MetaSgdLearner,
  batch: EpisodeBatch,
  dirs: Float32Array[],
  eps: number,
): number[] {
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
      return l.metaObjective(all, t).dataSync()[0] as number;
    };
    return dirs.map((d) => (at(d, eps) - at(d, -eps)) / (2 * eps));
  });
}

function randomDirs(n: number, size: number, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => rng.normal()));
}

/** Directions that move only the rates (the weights' part is zero). */
function rateDirs(n: number, weights: number, size: number, seed: number): Float32Array[] {
  return randomDirs(n, size, seed).map((d) => {
    d.fill(0, 0, weights);
    return d;
  });
}

const dot = (a: Float32Array, b: Float32Array) =>
  a.reduce((s, v, i) => s + v * (b[i] as number), 0);

function weightCount(l: MetaSgdLearner): number {
  return l.params.slice(0, l.params.length / 2).reduce((s, p) => s + p.size, 0);
}

describe('Meta-SGD meta-gradient', () => {
  it('matches finite differences on a regression net (MSE, 2 inner steps), weights and rates', async () => {
    const l = learner({ inputDim: 1, hidden: [6, 5], outputDim: 1 }, 'mse', {
      innerLr: 0.05,
      innerSteps: 2,
    });
    const batch = sinusoidBatch(3, 3, 5, 5);
    const g = await metaGrad(l, batch);
    // ε and tolerances as in maml.test.ts (float32 rounding against ReLU kinks)
    for (const [label, dirs] of [
      ['all params', randomDirs(6, g.length, 11)],
      ['rates only', rateDirs(6, weightCount(l), g.length, 13)],
    ] as const) {
      const fd = fdDirectional(l, batch, dirs, 3e-4);
      assertAllClose(
        dirs.map((d) => dot(g, d)),
        fd,
        { rtol: 1e-2, atol: 5e-3, label: `g·v vs finite differences (${label})` },
      );
    }
    l.dispose();
  });

  it('matches finite differences for softmax cross-entropy (classification)', async () => {
    const l = learner({ inputDim: 2, hidden: [8], outputDim: 3 }, 'ce', {
      innerLr: 0.5,
      innerSteps: 1,
    });
    const batch = blobBatch(5, 2, 3, 2, 3);
    const g = await metaGrad(l, batch);
    const dirs = [...randomDirs(4, g.length, 12), ...rateDirs(4, weightCount(l), g.length, 14)];
    const fd = fdDirectional(l, batch, dirs, 1e-3);
    assertAllClose(
      dirs.map((d) => dot(g, d)),
      fd,
      { rtol: 1e-2, atol: 2e-3, label: 'g·v vs finite differences' },
    );
    l.dispose();
  });

  it("equals tfjs's tape and the per-task loop (1-40-40-1, meta-batch 10, 2 inner steps)", async () => {
    const net = { inputDim: 1, hidden: [40, 40], outputDim: 1 };
    const batch = sinusoidBatch(9, 10, 5, 10);
    const over = { innerSteps: 2 };
    const a = await metaGrad(learner(net, 'mse', over, 'batched'), batch);
    const b = await metaGrad(learner(net, 'mse', over, 'tape'), batch);
    const c = await metaGrad(learner(net, 'mse', over, 'loop'), batch);
    assertAllClose(a, b, { atol: 1e-4, rtol: 1e-4, label: 'batched vs tape' });
    assertAllClose(a, c, { atol: 1e-4, rtol: 1e-4, label: 'batched vs loop' });
    // the rates really get a gradient
    const rates = a.subarray(a.length / 2);
    expect(Math.max(...rates.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('a meta-step moves the rates and frees every tensor it allocates', async () => {
    const l = learner({ inputDim: 1, hidden: [8], outputDim: 1 }, 'mse', {});
    const before = await l.readParams();
    const batch = sinusoidBatch(4, 5, 5, 5);
    l.step(batch).dispose();
    const n = tf.memory().numTensors;
    l.step(batch).dispose();
    expect(tf.memory().numTensors).toBe(n);
    const after = await l.readParams();
    const P = before.length / 2;
    const moved = after
      .slice(P)
      .some((r, i) => r.some((v, j) => v !== (before[P + i] as Float32Array)[j]));
    expect(moved).toBe(true);
    l.dispose();
  });
});

describe('Meta-SGD models', () => {
  it('keep their rates after the weights: shapes, init and recovery from saved shapes', () => {
    const spec: MlpSpec = { inputDim: 1, hidden: [40, 40], outputDim: 1, learnedLr: true };
    const shapes = paramShapes(spec);
    expect(shapes).toHaveLength(12);
    expect(shapes.slice(6)).toEqual(shapes.slice(0, 6));
    const arrays = initParamArrays(spec, new Rng(1), { innerLr: 0.02 });
    expect(arrays.slice(6).every((r) => r.every((v) => Math.abs(v - 0.02) < 1e-9))).toBe(true);
    // same weights as the plain net from the same seed
    const plain = initParamArrays({ inputDim: 1, hidden: [40, 40], outputDim: 1 }, new Rng(1));
    expect(arrays.slice(0, 6)).toEqual(plain);
    expect(specFromShapes(shapes, undefined, { learnedLr: true })).toEqual(spec);
  });

  it('adapt at evaluation with their learned rates, not the configured one', async () => {
    const spec: MlpSpec = { inputDim: 1, hidden: [8], outputDim: 1, learnedLr: true };
    const arrays = initParamArrays(spec, new Rng(2), { innerLr: 0 });
    const batch = sinusoidBatch(6, 3, 5, 5);
    const model = { name: 'm', spec, arrays, adaptStyle: 'finetune' as const };
    // rates all 0: the configured lr of 0.1 must not move the weights
    const frozen = tf.tidy(() => adaptationTrace(model, toTensors(batch), 'mse', 2, 0.1).metric);
    const f = await frozen.array();
    frozen.dispose();
    expect(f[2]).toEqual(f[0]);
    // rates 0.01 everywhere: the same numbers as a plain net at lr 0.01
    const withRates = { ...model, arrays: initParamArrays(spec, new Rng(2), { innerLr: 0.01 }) };
    const plain = {
      ...model,
      spec: { inputDim: 1, hidden: [8], outputDim: 1 },
      arrays: withRates.arrays.slice(0, 4),
    };
    const [x, y] = tf.tidy(() => [
      adaptationTrace(withRates, toTensors(batch), 'mse', 2, 0.5).metric,
      adaptationTrace(plain, toTensors(batch), 'mse', 2, 0.01).metric,
    ]);
    assertAllClose((await x!.data()) as Float32Array, (await y!.data()) as Float32Array, {
      atol: 1e-5,
      rtol: 1e-5,
      label: 'learned rates 0.01 vs lr 0.01',
    });
    x!.dispose();
    y!.dispose();
  });

  it('are refused on the conv net with the reason', () => {
    const c = { ...defaultConfig('metasgd'), backbone: 'conv4' as const };
    expect(validateConfig(c).join(' ')).toMatch(/Meta-SGD is available for the MLP only/);
  });
});
