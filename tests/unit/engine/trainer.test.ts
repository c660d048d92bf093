/**
 * The training loop: seed determinism, no tensor leaks across steps, the
 * best-on-validation weights and early stopping.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Trainer, stepsInFlight } from '../../../src/core/train/trainer';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { builtinSource } from '../../../src/core/data/builtin';
import type { TaskSource } from '../../../src/core/data/types';
import { useCpu } from '../../helpers/tf-cpu';

beforeAll(useCpu);

const small = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  ...defaultConfig('maml'),
  metaSteps: 20,
  metaBatch: 4,
  hidden: [16, 16],
  valEvery: 10,
  valTasks: 8,
  evalInnerSteps: 2,
  ...over,
});

async function run(source: TaskSource, config: TrainConfig) {
  const t = new Trainer(source, config);
  try {
    return await t.run();
  } finally {
    t.dispose();
  }
}

describe('Trainer', () => {
  it('gives bit-identical curves and weights for the same seed, different ones for another seed', async () => {
    const a = await run(builtinSource('sinusoid'), small());
    const b = await run(builtinSource('sinusoid'), small());
    const c = await run(builtinSource('sinusoid'), small({ seed: 2 }));
    expect(b.history).toEqual(a.history);
    expect(b.last.arrays).toEqual(a.last.arrays);
    expect(c.history.train).not.toEqual(a.history.train);
  });

  it('leaks no tensors: the live count after step 10 equals the count after step 1000', async () => {
    const counts = new Map<number, number>();
    const config = small({
      metaSteps: 1000,
      metaBatch: 2,
      hidden: [8],
      valEvery: 250,
      valTasks: 4,
      patience: 0,
    });
    const t = new Trainer(builtinSource('sinusoid'), config, {
      control: {
        checkpoint: async () => {
          counts.set(t.step, tf.memory().numTensors);
        },
        stopRequested: () => false,
      },
      throttleMs: 0,
    });
    await t.run();
    t.dispose();
    expect(counts.get(999)).toBe(counts.get(10));
  });

  it('validates at step 0 and keeps the best weights with the step they come from', async () => {
    const res = await run(builtinSource('sinusoid'), small({ metaSteps: 30 }));
    expect(res.history.validation.map((v) => v.step)).toEqual([0, 10, 20, 30]);
    const best = res.history.validation.reduce((m, v) => (v.metric < m.metric ? v : m));
    expect(res.bestStep).toBe(best.step);
  });

  it('stops early after `patience` validations without improvement', async () => {
    // A meta learning rate this large wrecks the initialization, so validation never beats step 0.
    const res = await run(
      builtinSource('sinusoid'),
      small({ metaSteps: 200, metaLr: 5, patience: 2 }),
    );
    expect(res.reason).toBe('early-stopped');
    expect(res.bestStep).toBe(0);
    expect(res.stepsDone).toBe(20);
  });

  it('validates the last weights when a stop ends the run between validations, if asked', async () => {
    const stopAt = (validateOnStop: boolean) => {
      const t: Trainer = new Trainer(builtinSource('sinusoid'), small({ metaSteps: 30 }), {
        validateOnStop,
        control: { checkpoint: async () => {}, stopRequested: (): boolean => t.step >= 13 },
      });
      return t.run().finally(() => t.dispose());
    };
    const asked = await stopAt(true);
    expect(asked.reason).toBe('stopped');
    expect(asked.history.validation.map((v) => v.step)).toEqual([0, 10, 13]);
    const best = asked.history.validation.reduce((m, v) => (v.metric < m.metric ? v : m));
    expect(asked.bestStep).toBe(best.step);
    const plain = await stopAt(false);
    expect(plain.history.validation.map((v) => v.step)).toEqual([0, 10]);
  });
});

describe('Trainer resume', () => {
  it('continues the same run from a snapshot: same weights as an uninterrupted run', async () => {
    const config = small({ metaSteps: 20, valEvery: 5 });
    const whole = await run(builtinSource('sinusoid'), config);

    let snap: Awaited<ReturnType<Trainer['snapshot']>> | null = null;
    // A long throttle leaves the losses of steps 11 and 12 unread at the snapshot.
    const first = new Trainer(builtinSource('sinusoid'), config, {
      throttleMs: 60_000,
      control: {
        checkpoint: async () => {
          if (first.step === 12 && !snap) snap = await first.snapshot();
        },
        stopRequested: () => snap !== null,
      },
    });
    const stopped = await first.run();
    first.dispose();
    expect(stopped.reason).toBe('stopped');
    expect(snap!.step).toBe(12);

    const second = new Trainer(builtinSource('sinusoid'), config, { resume: snap! });
    await second.restoreOptimizer();
    const resumed = await second.run();
    second.dispose();
    expect(resumed.stepsDone).toBe(20);
    expect(resumed.last.arrays).toEqual(whole.last.arrays);
    expect(resumed.bestStep).toBe(whole.bestStep);
    // The snapshot's curve reaches its step, and the resumed curve is the uninterrupted one.
    expect(snap!.history.train.map((p) => p.step)).toEqual(range(1, 12));
    expect(resumed.history.train).toEqual(whole.history.train);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('steps in flight', () => {
  it('keeps a slow backend within one step of a click and a fast one busy', () => {
    expect(stepsInFlight(0)).toBe(1); // before the first step: nothing known
    expect(stepsInFlight(0.5)).toBe(1); // SwiftShader WebGPU: Pause lands on the next step
    expect(stepsInFlight(80)).toBe(20); // WASM: a quarter of a second
    expect(stepsInFlight(5000)).toBe(50); // a real GPU: bounded memory for queued losses
  });
});
