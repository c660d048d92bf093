/**
 * Evaluation: known answers for the metric and the divergence count, and the
 * same episodes for every model.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { evaluateModels, type EvalModel } from '../../../src/core/train/evaluate';
import { builtinSource } from '../../../src/core/data/builtin';
import { APP_VERSION } from '../../../src/core/spec/version';
import { useCpu } from '../../helpers/tf-cpu';

beforeAll(useCpu);

const opts = {
  episodes: 30,
  maxSteps: 3,
  shape: { shots: 5, ways: 1, queries: 20 },
  innerLr: 0.01,
  seed: 3,
  chunk: 7,
};

/** y = 0: a linear model with zero weights; its MSE on a sinusoid task is E[y²] = A²/2 on average. */
const zeroModel: EvalModel = {
  name: 'zero',
  spec: { inputDim: 1, hidden: [], outputDim: 1 },
  arrays: [new Float32Array([0]), new Float32Array([0])],
  adaptStyle: 'finetune',
};

describe('evaluateModels', () => {
  it('scores the zero predictor at about E[A²]/2 before adaptation (A ~ U[0.1, 5])', async () => {
    const res = await evaluateModels(builtinSource('sinusoid'), [zeroModel], {
      ...opts,
      episodes: 600,
      maxSteps: 0,
    });
    // E[A²] = (5³ − 0.1³) / (3 · 4.9) = 8.503; half of it is 4.252.
    const m = res.models.zero!;
    expect(Math.abs((m.mean[0] as number) - 4.252)).toBeLessThan(2 * (m.ci95[0] as number) + 0.1);
    expect(res.steps).toEqual([0]);
  });

  it('counts tasks whose loss blows up instead of hiding them in the mean', async () => {
    const res = await evaluateModels(builtinSource('sinusoid'), [zeroModel], {
      ...opts,
      innerLr: 5,
    });
    const m = res.models.zero!;
    expect(m.diverged[0]).toBe(0);
    expect(m.diverged[3]).toBeGreaterThan(0);
    expect(m.median[3]).toBeLessThanOrEqual(m.mean[3] as number);
  });

  it('evaluates every model on the same episodes, chunk size irrelevant', async () => {
    const twin = { ...zeroModel, name: 'twin' };
    const a = await evaluateModels(builtinSource('sinusoid'), [zeroModel, twin], opts);
    expect(a.models.twin).toEqual(a.models.zero);
    const b = await evaluateModels(builtinSource('sinusoid'), [zeroModel], { ...opts, chunk: 30 });
    for (let s = 0; s <= 3; s++)
      expect(b.models.zero!.mean[s]).toBeCloseTo(a.models.zero!.mean[s] as number, 5);
  });
});

describe('app version', () => {
  it('matches package.json (sessions record it)', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(APP_VERSION).toBe(pkg.version);
  });
});
