/**
 * The Trainer's 'wasm-fused-2t' engine: it runs the fused step with a helper
 * thread and reports that engine; where the helper cannot start (at once, or
 * after the run began) the run goes on with the fused step on one thread, the
 * reason is told, and `engine` says 'wasm-fused' so the session records it.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FusedWasmMamlLearner } from '../../../src/core/algorithms/fused-wasm-maml';
import { builtinSource } from '../../../src/core/data/builtin';
import { useNodeHelperThreads } from '../../../src/core/kernels/wasm/node-threads';
import { setHelperSpawner } from '../../../src/core/kernels/wasm/threads';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { Trainer } from '../../../src/core/train/trainer';
import { useCpu } from '../../helpers/tf-cpu';

beforeAll(async () => {
  await useCpu();
  useNodeHelperThreads();
});
afterEach(() => useNodeHelperThreads());

const config: TrainConfig = {
  ...defaultConfig('maml'),
  metaSteps: 6,
  metaBatch: 4,
  hidden: [16],
  valEvery: 3,
  valTasks: 4,
  seed: 3,
};

function trainer(reasons: string[]) {
  return new Trainer(builtinSource('sinusoid'), config, {
    engine: 'wasm-fused-2t',
    onEngineFallback: (r) => reasons.push(`engine: ${r}`),
    onThreadsFallback: (r) => reasons.push(`threads: ${r}`),
  });
}

describe("Trainer with engine 'wasm-fused-2t'", () => {
  it('trains on two threads and says so', async () => {
    const reasons: string[] = [];
    const t = trainer(reasons);
    const learner = t.learner as FusedWasmMamlLearner;
    expect(learner).toBeInstanceOf(FusedWasmMamlLearner);
    expect(await learner.threadsReady()).toBeNull();
    const result = await t.run();
    expect(result.stepsDone).toBe(6);
    expect(learner.stepCounts.split).toBeGreaterThan(0);
    expect(t.engine).toBe('wasm-fused-2t');
    expect(reasons).toEqual([]);
    t.dispose();
  });

  it('runs on one thread, told why, when no worker can start', () => {
    setHelperSpawner(null);
    const reasons: string[] = [];
    const t = trainer(reasons);
    expect(t.engine).toBe('wasm-fused');
    expect(reasons).toEqual(['threads: there is no way to start a worker here']);
    t.dispose();
  });

  it('becomes wasm-fused when the helper fails after the run began', async () => {
    setHelperSpawner(() => ({
      post: () => {},
      listen: (_reply, onError) => setTimeout(() => onError('the helper worker failed: 404'), 5),
      terminate: () => {},
    }));
    const reasons: string[] = [];
    const t = trainer(reasons);
    expect(t.engine).toBe('wasm-fused-2t');
    await (t.learner as FusedWasmMamlLearner).threadsReady();
    expect(t.engine).toBe('wasm-fused');
    expect(reasons).toEqual(['threads: the helper worker failed: 404']);
    const result = await t.run();
    expect(result.stepsDone).toBe(6);
    t.dispose();
  });
});
