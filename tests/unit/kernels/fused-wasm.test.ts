/**
 * The fused WASM meta-step (kernels/wasm/fused-step.ts behind
 * FusedWasmMamlLearner) against tfjs's tape (layout 'tape', nested tf.grads)
 * and the hand-derived tfjs path (layout 'batched'): meta-gradients and losses
 * over a sample of what the app allows — depths 1–3, widths that are and are
 * not multiples of 4 (padding), K from 1 to 10, meta-batch 1–12 (25 in the meta-update tests), 0–5 inner
 * steps, MSE and cross-entropy, first and second order — then whole
 * meta-updates (Adam and its saved state) step for step, and the fallback
 * when WASM SIMD is missing.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MamlLearner } from '../../../src/core/algorithms/maml';
import { FusedWasmMamlLearner } from '../../../src/core/algorithms/fused-wasm-maml';
import { createLearner } from '../../../src/core/algorithms/index';
import { hasWasmSimd, kernelsOrReason } from '../../../src/core/kernels/wasm/load';
import { toTensors, type LossKind } from '../../../src/core/algorithms/batch';
import type { Layout } from '../../../src/core/algorithms/learner';
import { initParamArrays } from '../../../src/core/models/mlp';
import { type MlpSpec } from '../../../src/core/spec/model';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import type { EpisodeBatch } from '../../../src/core/data/types';
import { useCpu } from '../../helpers/tf-cpu';
import { assertAllClose } from '../../helpers/allclose';
import { blobBatch, sinusoidBatch } from '../../helpers/sinusoid-batch';

beforeAll(useCpu);

function configOf(over: Partial<TrainConfig>): TrainConfig {
  return { ...defaultConfig('maml'), ...over };
}

function tfjsLearner(
  spec: MlpSpec,
  kind: LossKind,
  over: Partial<TrainConfig>,
  layout: Layout,
  firstOrder: boolean,
) {
  const init = {
    config: configOf(over),
    spec,
    lossKind: kind,
    layout,
    initial: initParamArrays(spec, new Rng(7)),
  };
  return new MamlLearner(init, { firstOrder });
}

function fusedLearner(
  spec: MlpSpec,
  kind: LossKind,
  over: Partial<TrainConfig>,
  firstOrder: boolean,
) {
  const init = {
    config: configOf(over),
    spec,
    lossKind: kind,
    layout: 'batched' as const,
    initial: initParamArrays(spec, new Rng(7)),
  };
  return new FusedWasmMamlLearner(init, { firstOrder });
}

function tapeGradient(l: MamlLearner, batch: EpisodeBatch): { loss: number; grad: Float32Array } {
  return tf.tidy(() => {
    const { loss, grads } = l.metaGradient(toTensors(batch));
    const flat = tf.concat(grads.map((g) => tf.reshape(g, [-1])));
    return { loss: loss.dataSync()[0] as number, grad: flat.dataSync() as Float32Array };
  });
}

const flatten = (arrays: Float32Array[]) => {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) out.set(a, (o += a.length) - a.length);
  return out;
};

/** 1e-5 of the gradient's largest entry (or absolute 1e-5 when it is below 1), plus 1e-5 relative. */
function close(a: Float32Array, b: Float32Array, label: string) {
  const scale = Math.max(1, ...b.map(Math.abs));
  assertAllClose(a, b, { atol: 1e-5 * scale, rtol: 1e-5, label });
}

interface Case {
  spec: MlpSpec;
  kind: LossKind;
  B: number;
  K: number;
  innerSteps: number;
  innerLr: number;
}

/** A sample of the grid: every axis takes its extremes and a middle value somewhere. */
const CASES: Case[] = [
  {
    spec: { inputDim: 1, hidden: [40, 40], outputDim: 1 },
    kind: 'mse',
    B: 12,
    K: 10,
    innerSteps: 1,
    innerLr: 0.01,
  },
  {
    spec: { inputDim: 1, hidden: [40, 40], outputDim: 1 },
    kind: 'mse',
    B: 5,
    K: 5,
    innerSteps: 5,
    innerLr: 0.02,
  },
  {
    spec: { inputDim: 1, hidden: [1], outputDim: 1 },
    kind: 'mse',
    B: 1,
    K: 1,
    innerSteps: 1,
    innerLr: 0.1,
  },
  {
    spec: { inputDim: 1, hidden: [3, 5, 7], outputDim: 1 },
    kind: 'mse',
    B: 3,
    K: 10,
    innerSteps: 3,
    innerLr: 0.05,
  },
  {
    spec: { inputDim: 1, hidden: [64, 64], outputDim: 1 },
    kind: 'mse',
    B: 4,
    K: 10,
    innerSteps: 0,
    innerLr: 0.01,
  },
  {
    spec: { inputDim: 1, hidden: [256, 256], outputDim: 1 },
    kind: 'mse',
    B: 1,
    K: 5,
    innerSteps: 1,
    innerLr: 0.01,
  },
  {
    spec: { inputDim: 2, hidden: [8], outputDim: 3 },
    kind: 'ce',
    B: 6,
    K: 2,
    innerSteps: 2,
    innerLr: 0.5,
  },
  {
    spec: { inputDim: 2, hidden: [16, 16], outputDim: 5 },
    kind: 'ce',
    B: 4,
    K: 1,
    innerSteps: 5,
    innerLr: 0.4,
  },
  {
    spec: { inputDim: 2, hidden: [33, 20], outputDim: 2 },
    kind: 'ce',
    B: 3,
    K: 5,
    innerSteps: 1,
    innerLr: 0.5,
  },
];

function batchOf(c: Case, seed: number): EpisodeBatch {
  const ways = c.spec.outputDim;
  return c.kind === 'mse' ? sinusoidBatch(seed, c.B, c.K, 10) : blobBatch(seed, c.B, ways, c.K, 3);
}

describe('fused WASM meta-gradient equals the tape', () => {
  for (const c of CASES)
    for (const firstOrder of [false, true])
      it(`${c.kind} ${c.spec.inputDim}-${c.spec.hidden.join('-')}-${c.spec.outputDim}, B=${c.B}, K=${c.K}, ${c.innerSteps} inner steps, ${firstOrder ? 'first' : 'second'} order`, () => {
        const over = { innerSteps: c.innerSteps, innerLr: c.innerLr };
        const batch = batchOf(c, 3);
        // the tape is slow for wide nets with many steps: the hand-derived tfjs path (itself
        // tested equal to the tape in maml.test.ts) stands in for it on the 256-wide case
        const layout: Layout = c.spec.hidden[0] === 256 ? 'batched' : 'tape';
        const ref = tfjsLearner(c.spec, c.kind, over, layout, firstOrder);
        const mine = fusedLearner(c.spec, c.kind, over, firstOrder);
        const want = tapeGradient(ref, batch);
        const got = mine.fusedGradient(batch);
        close(flatten(got.grads), want.grad, 'fused vs tape');
        expect(Math.abs(got.loss - want.loss)).toBeLessThan(
          1e-5 * Math.max(1, Math.abs(want.loss)),
        );
        ref.dispose();
        mine.dispose();
      });
});

describe('fused WASM meta-updates', () => {
  for (const [optimizer, firstOrder] of [
    ['adam', false],
    ['adam', true],
    ['sgd-momentum', false],
  ] as const)
    it(`equal the tfjs learner's for 4 steps (${optimizer}, ${firstOrder ? 'first' : 'second'} order, weight decay), optimizer state included`, async () => {
      const spec = { inputDim: 1, hidden: [40, 40], outputDim: 1 };
      const over = { metaOptimizer: optimizer, weightDecay: 1e-3, metaLr: 0.01 };
      const ref = tfjsLearner(spec, 'mse', over, 'batched', firstOrder);
      const mine = fusedLearner(spec, 'mse', over, firstOrder);
      for (let s = 0; s < 4; s++) {
        const batch = sinusoidBatch(10 + s, 25, 10, 10);
        const [a, b] = [mine.step(batch), ref.step(batch)];
        const [la, lb] = [a.dataSync()[0] as number, b.dataSync()[0] as number];
        expect(Math.abs(la - lb)).toBeLessThan(1e-5 * Math.max(1, Math.abs(lb)));
        a.dispose();
        b.dispose();
      }
      close(flatten(await mine.readParams()), flatten(await ref.readParams()), 'params');
      const [sa, sb] = [await mine.optimizerState(), await ref.optimizerState()];
      expect(sa?.name).toBe(sb?.name);
      expect(sa?.arrays[0]).toEqual(sb?.arrays[0]);
      close(
        flatten(sa?.arrays.slice(1) ?? []),
        flatten(sb?.arrays.slice(1) ?? []),
        'optimizer slots',
      );
      const before = tf.memory().numTensors;
      mine.step(sinusoidBatch(30, 25, 10, 10)).dispose();
      expect(tf.memory().numTensors).toBe(before);
      ref.dispose();
      mine.dispose();
    });
});

describe('fallback to the tfjs learner', () => {
  const spec = { inputDim: 1, hidden: [8], outputDim: 1 };
  const make = (algorithm: 'maml' | 'reptile', over: Partial<TrainConfig> = {}) => {
    const reasons: string[] = [];
    const l = createLearner(algorithm, {
      config: configOf({ algorithm, ...over }),
      spec,
      lossKind: 'mse',
      initial: initParamArrays(spec, new Rng(1)),
      engine: 'wasm-fused',
      onFallback: (r) => reasons.push(r),
    });
    return { l, reasons };
  };

  afterEach(() => vi.restoreAllMocks());

  it('builds the fused learner where it applies, and says nothing', () => {
    const { l, reasons } = make('maml');
    expect(l).toBeInstanceOf(FusedWasmMamlLearner);
    expect(reasons).toEqual([]);
    l.dispose();
  });

  it('gives other methods and the MAML++ options the tfjs learner, with the reason', () => {
    const a = make('reptile');
    expect(a.l).not.toBeInstanceOf(FusedWasmMamlLearner);
    expect(a.reasons).toEqual(['the fused WASM step covers MAML and first-order MAML only']);
    const b = make('maml', { multiStepLoss: true, innerSteps: 2 });
    expect(b.l).toBeInstanceOf(MamlLearner);
    expect(b.l).not.toBeInstanceOf(FusedWasmMamlLearner);
    expect(b.reasons).toEqual(['the fused WASM step does not cover the MAML++ options']);
    a.l.dispose();
    b.l.dispose();
  });

  it('detects a platform without WebAssembly SIMD and says so', () => {
    expect(hasWasmSimd()).toBe(true);
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    expect(hasWasmSimd()).toBe(false);
    expect(kernelsOrReason()).toBe('this browser has no WebAssembly SIMD');
  });
});
