/**
 * The pure parts of the fused WebGPU meta-step (the GPU parts run in
 * Chromium: tests/e2e/fused.e2e.ts): the buffer layout (params in the order
 * of paramShapes, per-task regions that never overlap), the episode packing,
 * the generated WGSL (a constant number of kernels and a text that does not
 * grow with inner steps), when the fused learner refuses a run, and its
 * saved optimizer state and params before any GPU step, against the tfjs
 * learner's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { layoutOf, packData, bufferBytes } from '../../../src/core/kernels/webgpu/layout';
import { reduceKernel, taskKernel, type KernelKey } from '../../../src/core/kernels/webgpu/wgsl';
import { fusedLimitReason } from '../../../src/core/kernels/webgpu/meta-step';
import {
  FusedWebgpuLearner,
  fusedUnsupportedReason,
} from '../../../src/core/algorithms/fused-webgpu';
import { MamlLearner } from '../../../src/core/algorithms/maml';
import type { GpuDevice } from '../../../src/core/kernels/webgpu/gpu';
import { paramShapes, type MlpSpec } from '../../../src/core/spec/model';
import { initParamArrays } from '../../../src/core/models/mlp';
import { defaultConfig, type MetaOptimizerName } from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import { sinusoidBatch } from '../../helpers/sinusoid-batch';
import { useCpu } from '../../helpers/tf-cpu';

beforeAll(useCpu);

const key = (over: Partial<KernelKey> = {}): KernelKey => ({
  dims: [1, 40, 40, 1],
  nS: 10,
  nQ: 10,
  steps: 1,
  kind: 'mse',
  firstOrder: false,
  ...over,
});

describe('layout', () => {
  it('places W_l and b_l in the order and sizes of paramShapes', () => {
    const spec: MlpSpec = { inputDim: 3, hidden: [7, 5], outputDim: 2 };
    const l = layoutOf({ dims: [3, 7, 5, 2], nS: 4, nQ: 6, steps: 2 });
    const sizes = paramShapes(spec).map((s) => s.reduce((a, b) => a * b, 1));
    const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
    expect(l.wOff.flatMap((w, i) => [w, l.bOff[i]])).toEqual(starts);
    expect(l.P).toBe(sizes.reduce((a, b) => a + b, 0));
  });

  it('gives every region of a task its own floats, inside the task block', () => {
    const shape = { dims: [2, 9, 4, 3], nS: 6, nQ: 5, steps: 3 };
    const l = layoutOf(shape);
    const n = (rows: number, layer: number) => rows * (l.dims[layer] as number);
    const regions: [number, number][] = [];
    for (let s = 0; s < shape.steps; s++) {
      const base = s * l.support.size;
      for (let k = 1; k < l.layers; k++) regions.push([base + l.support.act[k]!, n(6, k)]);
      regions.push([base + l.support.out, n(6, l.layers)]);
      for (let k = 0; k < l.layers; k++) regions.push([base + l.support.dz[k]!, n(6, k + 1)]);
    }
    for (let k = 1; k < l.layers; k++) regions.push([l.query.act[k]!, n(5, k)]);
    regions.push([l.query.out, n(5, l.layers)]);
    for (let k = 0; k < l.layers; k++) regions.push([l.query.dz[k]!, n(5, k + 1)]);
    for (let k = 1; k < l.layers; k++) regions.push([l.ra[k]!, n(6, k)]);
    regions.push([l.rd[0], 6 * 9], [l.rd[1], 6 * 9], [l.V, l.P], [l.HV, l.P]);
    regions.push([l.rowLoss, 5], [l.loss, 1]);
    const used = new Int32Array(l.scratchSize);
    for (const [start, size] of regions) for (let i = start; i < start + size; i++) used[i]!++;
    expect(Math.max(...used)).toBe(1);
    expect(used.every((u) => u === 1)).toBe(true);
  });

  it('packs each task as sx, sy, qx, qy', () => {
    const b = sinusoidBatch(1, 3, 4, 5);
    const l = layoutOf({ dims: [1, 8, 1], nS: 4, nQ: 5, steps: 1 });
    const out = new Float32Array(l.dataSize * 3);
    packData(l, b, out);
    const t = 2;
    const at = (o: number, n: number) =>
      Array.from(out.subarray(t * l.dataSize + o, t * l.dataSize + o + n));
    expect(at(l.sx, 4)).toEqual(Array.from(b.supportX.subarray(8, 12)));
    expect(at(l.sy, 4)).toEqual(Array.from(b.supportY.subarray(8, 12)));
    expect(at(l.qx, 5)).toEqual(Array.from(b.queryX.subarray(10, 15)));
    expect(at(l.qy, 5)).toEqual(Array.from(b.queryY.subarray(10, 15)));
  });

  it('refuses shapes whose buffers exceed the device limits', () => {
    const limits = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 };
    expect(fusedLimitReason({ limits }, key(), 25)).toBeNull();
    const big = key({ dims: [1, 4096, 4096, 1], steps: 5 });
    expect(bufferBytes(layoutOf(big), 5, 25).params).toBeGreaterThan(128 * 2 ** 20);
    expect(fusedLimitReason({ limits }, big, 25)).toMatch(
      /MB buffer, over this GPU's 128 MB limit/,
    );
  });
});

describe('WGSL', () => {
  it('loops over inner steps instead of unrolling them: the text does not grow with S', () => {
    const l1 = layoutOf(key({ steps: 1 }));
    const l5 = layoutOf(key({ steps: 5 }));
    const a = taskKernel(l1, key({ steps: 1 }));
    const b = taskKernel(l5, key({ steps: 5 }));
    expect(Math.abs(a.length - b.length)).toBeLessThan(200);
    expect(a.match(/storageBarrier\(\)/g)?.length).toBe(b.match(/storageBarrier\(\)/g)?.length);
  });

  it('has the Hessian-vector sweep in second order only, and no unfilled value', () => {
    const so = taskKernel(layoutOf(key()), key());
    const fo = taskKernel(layoutOf(key()), key({ firstOrder: true }));
    expect(so).toContain('u.alpha * scr[S0 +');
    expect(fo).not.toContain('u.alpha * scr[S0 +');
    for (const code of [so, fo, reduceKernel(layoutOf(key()))]) {
      expect(code).not.toMatch(/undefined|NaN|\[object/);
      expect(code.split('{').length).toBe(code.split('}').length);
      expect(code.split('(').length).toBe(code.split(')').length);
    }
  });

  it('bakes the cross-entropy softmax in only for cross-entropy', () => {
    const ce = key({ kind: 'ce', dims: [2, 16, 5] });
    expect(taskKernel(layoutOf(ce), ce)).toContain('exp(');
    expect(taskKernel(layoutOf(key()), key())).not.toContain('exp(');
  });
});

const fakeDevice = {
  limits: { maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28 },
} as unknown as GpuDevice;

function init(optimizer: MetaOptimizerName) {
  const spec: MlpSpec = { inputDim: 1, hidden: [6, 5], outputDim: 1 };
  return {
    config: { ...defaultConfig('maml'), metaOptimizer: optimizer },
    spec,
    lossKind: 'mse' as const,
    layout: 'batched' as const,
    initial: initParamArrays(spec, new Rng(3)),
  };
}

describe('the fused learner without a GPU step', () => {
  it('says which runs it does not cover', () => {
    const i = init('adam');
    expect(fusedUnsupportedReason('reptile', i)).toMatch(/MAML and first-order MAML only/);
    expect(
      fusedUnsupportedReason('maml', { ...i, config: { ...i.config, perStepRates: true } }),
    ).toMatch(/MAML\+\+/);
    expect(
      fusedUnsupportedReason('fomaml', {
        ...i,
        spec: {
          kind: 'conv4',
          imageShape: { height: 28, width: 28, channels: 1 },
          filters: 32,
          outputDim: 5,
        },
      }),
    ).toMatch(/MLP only/);
    expect(fusedUnsupportedReason('maml', i)).toMatch(/needs the webgpu backend/);
  });

  for (const opt of ['adam', 'adagrad', 'sgd-momentum'] as const)
    it(`saves the optimizer state in FlatOptimizer's layout (${opt}) and restores it`, async () => {
      const fused = new FusedWebgpuLearner(init(opt), { firstOrder: false }, fakeDevice);
      const ref = new MamlLearner(init(opt), { firstOrder: false });
      try {
        const want = await ref.optimizerState();
        const got = await fused.optimizerState();
        expect(got.name).toBe(want!.name);
        expect(got.shapes).toEqual(want!.shapes);
        expect(got.arrays.map((a) => Array.from(a))).toEqual(
          want!.arrays.map((a) => Array.from(a)),
        );
        const saved = {
          ...got,
          arrays: got.arrays.map((a, i) => (i === 0 ? Float32Array.of(7) : a.map((_, j) => j + i))),
        };
        fused.setOptimizerState(saved);
        const back = await fused.optimizerState();
        expect(back.arrays.map((a) => Array.from(a))).toEqual(
          saved.arrays.map((a) => Array.from(a)),
        );
        expect(() => fused.setOptimizerState({ ...saved, name: 'Other' })).toThrow(
          /does not match/,
        );
      } finally {
        fused.dispose();
        ref.dispose();
      }
    });

  it('reads and sets params through its flat θ and the tf.Variables', async () => {
    const fused = new FusedWebgpuLearner(init('adam'), { firstOrder: false }, fakeDevice);
    try {
      const first = await fused.readParams();
      expect(first.map((a) => Array.from(a))).toEqual(
        init('adam').initial.map((a) => Array.from(a)),
      );
      const next = first.map((a) => a.map((v) => v + 1));
      fused.setParams(next);
      expect((await fused.readParams()).map((a) => Array.from(a))).toEqual(
        next.map((a) => Array.from(a)),
      );
      expect(Array.from((await fused.params[1]!.data()) as Float32Array)).toEqual(
        Array.from(next[1]!),
      );
    } finally {
      fused.dispose();
    }
  });
});
