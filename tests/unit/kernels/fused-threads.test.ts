/**
 * The fused WASM meta-step shared by two threads (kernels/wasm/threads.ts,
 * a worker_threads helper here) against the same engine on one thread:
 * meta-gradients and losses for odd and even meta-batches (B = 1, 3, 8; one
 * task is never shared), MSE and cross-entropy, first and second
 * order, then whole meta-updates; the fallbacks to one thread (no
 * SharedArrayBuffer, no blocking, no worker, a helper that fails to start);
 * and that dispose terminates the helper.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FusedWasmMamlLearner } from '../../../src/core/algorithms/fused-wasm-maml';
import { createLearner } from '../../../src/core/algorithms/index';
import type { LossKind } from '../../../src/core/algorithms/batch';
import { useNodeHelperThreads } from '../../../src/core/kernels/wasm/node-threads';
import { setHelperSpawner, threadsUnavailable } from '../../../src/core/kernels/wasm/threads';
import { initParamArrays } from '../../../src/core/models/mlp';
import type { MlpSpec } from '../../../src/core/spec/model';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import type { EpisodeBatch } from '../../../src/core/data/types';
import { useCpu } from '../../helpers/tf-cpu';
import { assertAllClose } from '../../helpers/allclose';
import { blobBatch, sinusoidBatch } from '../../helpers/sinusoid-batch';

beforeAll(async () => {
  await useCpu();
  useNodeHelperThreads();
});
afterAll(() => setHelperSpawner(null));

const SPECS: Record<LossKind, MlpSpec> = {
  mse: { inputDim: 1, hidden: [40, 40], outputDim: 1 },
  ce: { inputDim: 2, hidden: [33, 20], outputDim: 5 },
};
const OVER: Record<LossKind, Partial<TrainConfig>> = {
  mse: { innerSteps: 2, innerLr: 0.01, metaLr: 0.01 },
  ce: { innerSteps: 2, innerLr: 0.4, metaLr: 0.01 },
};

function learner(kind: LossKind, firstOrder: boolean, threads: 1 | 2, reasons: string[] = []) {
  const spec = SPECS[kind];
  return new FusedWasmMamlLearner(
    {
      config: { ...defaultConfig('maml'), ...OVER[kind] },
      spec,
      lossKind: kind,
      layout: 'batched',
      initial: initParamArrays(spec, new Rng(7)),
    },
    { firstOrder, threads, onThreadsFallback: (r) => reasons.push(r) },
  );
}

const batchOf = (kind: LossKind, seed: number, B: number): EpisodeBatch =>
  kind === 'mse' ? sinusoidBatch(seed, B, 10, 10) : blobBatch(seed, B, 5, 3, 3);

const flatten = (arrays: Float32Array[]) => Float32Array.from(arrays.flatMap((a) => [...a]));

/** 1e-6 of the largest entry (sums in another order round differently), plus 1e-6 relative. */
function close(a: Float32Array, b: Float32Array, label: string) {
  const scale = Math.max(1, ...b.map(Math.abs));
  assertAllClose(a, b, { atol: 1e-6 * scale, rtol: 1e-6, label });
}

const closeLoss = (a: number, b: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b)));

describe('two threads give the one-thread meta-gradient', () => {
  for (const kind of ['mse', 'ce'] as const)
    for (const firstOrder of [false, true])
      it(`${kind}, ${firstOrder ? 'first' : 'second'} order, B = 1, 3, 8`, async () => {
        const reasons: string[] = [];
        const one = learner(kind, firstOrder, 1);
        const two = learner(kind, firstOrder, 2, reasons);
        expect(await two.threadsReady()).toBeNull();
        const check = (B: number, seed: number) => {
          const batch = batchOf(kind, seed, B);
          const want = one.fusedGradient(batch);
          const got = two.fusedGradient(batch);
          close(flatten(got.grads), flatten(want.grads), `B=${B}`);
          closeLoss(got.loss, want.loss);
        };
        check(1, 1);
        // one task is never shared
        expect(two.stepCounts.split).toBe(0);
        for (const B of [3, 8, 3]) check(B, 20 + B);
        // The helper takes part whenever it wakes before this thread has taken every task:
        // on a busy machine it may miss a step, never many in a row.
        const helped = () => two.splitStep?.taskShare().helper ?? 0;
        for (let i = 0; (two.stepCounts.split < 3 || helped() === 0) && i < 200; i++)
          check(8, 100 + i);
        expect(two.stepCounts.split).toBeGreaterThanOrEqual(3);
        expect(helped()).toBeGreaterThan(0);
        expect(reasons).toEqual([]);
        one.dispose();
        two.dispose();
      });

  for (const [kind, firstOrder, B] of [
    ['mse', false, 8],
    ['ce', true, 3],
  ] as const)
    it(`meta-updates (Adam) stay equal for 4 steps: ${kind}, ${firstOrder ? 'first' : 'second'} order, B = ${B}`, async () => {
      const one = learner(kind, firstOrder, 1);
      const two = learner(kind, firstOrder, 2);
      expect(await two.threadsReady()).toBeNull();
      for (let s = 0; s < 4; s++) {
        const batch = batchOf(kind, 40 + s, B);
        const [a, b] = [two.step(batch), one.step(batch)];
        closeLoss(a.dataSync()[0] as number, b.dataSync()[0] as number);
        a.dispose();
        b.dispose();
      }
      expect(two.stepCounts.all).toBe(4);
      close(flatten(await two.readParams()), flatten(await one.readParams()), 'params');
      one.dispose();
      two.dispose();
    });
});

describe('one thread where two cannot run', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    useNodeHelperThreads();
  });

  /** Threaded and plain learners step for step; the threaded one says why it runs alone. */
  async function runsAlone(expected: string | RegExp) {
    const reasons: string[] = [];
    const one = learner('mse', false, 1);
    const two = learner('mse', false, 2, reasons);
    expect(await two.threadsReady()).toMatch(expected);
    const batch = batchOf('mse', 5, 6);
    close(
      flatten(two.fusedGradient(batch).grads),
      flatten(one.fusedGradient(batch).grads),
      'alone',
    );
    expect(two.stepCounts).toEqual({ split: 0, all: 1 });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(expected);
    one.dispose();
    two.dispose();
  }

  it('without cross-origin isolation (no SharedArrayBuffer)', async () => {
    vi.stubGlobal('crossOriginIsolated', false);
    await runsAlone('the page is not cross-origin isolated, so there is no SharedArrayBuffer');
  });

  it('on a thread that may not block', async () => {
    vi.spyOn(Atomics, 'wait').mockImplementation(() => {
      throw new TypeError('Atomics.wait cannot be called in this context');
    });
    expect(threadsUnavailable()).toMatch(/may not block/);
    vi.restoreAllMocks();
    vi.spyOn(Atomics, 'wait').mockImplementationOnce(() => {
      throw new TypeError('Atomics.wait cannot be called in this context');
    });
    await runsAlone('this thread may not block (Atomics.wait), so it cannot wait for a helper');
  });

  it('without a way to start a worker', async () => {
    setHelperSpawner(null);
    await runsAlone('there is no way to start a worker here');
  });

  it('when the helper fails to start', async () => {
    setHelperSpawner(() => ({
      post: () => {},
      listen: (_reply, onError) => setTimeout(() => onError('the helper worker failed: 404'), 5),
      terminate: () => {},
    }));
    await runsAlone('the helper worker failed: 404');
  });

  it('createLearner passes threads and onFallback through', async () => {
    setHelperSpawner(null);
    const reasons: string[] = [];
    const spec = SPECS.mse;
    const l = createLearner('maml', {
      config: { ...defaultConfig('maml'), ...OVER.mse },
      spec,
      lossKind: 'mse',
      initial: initParamArrays(spec, new Rng(1)),
      engine: 'wasm-fused',
      threads: 2,
      onFallback: (r) => reasons.push(r),
    });
    expect(l).toBeInstanceOf(FusedWasmMamlLearner);
    expect(reasons).toEqual(['there is no way to start a worker here']);
    l.dispose();
  });
});

describe('dispose', () => {
  afterEach(() => vi.restoreAllMocks());

  it('terminates the helper thread (it exits)', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const two = learner('mse', true, 2);
    expect(await two.threadsReady()).toBeNull();
    for (let i = 0; two.stepCounts.split < 1 && i < 200; i++)
      two.fusedGradient(batchOf('mse', i, 8));
    expect(two.stepCounts.split).toBe(1);
    two.dispose();
    expect(terminate).toHaveBeenCalledTimes(1);
    // terminate() resolves with the exit code once the thread is gone
    await expect(terminate.mock.results[0]?.value).resolves.toBe(1);
    expect(two.splitStep?.threaded).toBe(false);
  });
});
