/**
 * The stopping policy on its own: the validation schedule, the divergence
 * message, the best weights for each direction of "better", and patience.
 */
import { describe, expect, it } from 'vitest';
import { StoppingPolicy, betterThan, type StoppingState } from '../../../src/core/train/stopping';

const state = (): StoppingState => ({
  best: { step: 0, value: NaN, arrays: [] },
  sinceImprovement: 0,
  history: { validation: [] },
});
const w = (v: number) => [new Float32Array([v])];

describe('StoppingPolicy', () => {
  it('validates every valEvery steps and at the last step', () => {
    const p = new StoppingPolicy('regression', { valEvery: 10, metaSteps: 25, patience: 0 });
    const steps = Array.from({ length: 26 }, (_, i) => i).filter((s) => p.isValidationStep(s));
    expect(steps).toEqual([0, 10, 20, 25]);
  });

  it('says the run diverged, at which step, and what to change', () => {
    const p = new StoppingPolicy('regression', { valEvery: 10, metaSteps: 25, patience: 0 });
    expect(() => p.checkDivergence({ step: 3, trainLoss: 1 })).not.toThrow();
    expect(() => p.checkDivergence(undefined)).not.toThrow();
    expect(() => p.checkDivergence({ step: 7, trainLoss: NaN })).toThrow(
      /became NaN at step 7: training diverged\. Lower the inner or meta learning rate/,
    );
  });

  it('keeps the lowest MSE and the highest accuracy', () => {
    expect(betterThan('regression', 1, 2)).toBe(true);
    expect(betterThan('classification', 1, 2)).toBe(false);
    expect(betterThan('regression', NaN, 2)).toBe(false);
    expect(betterThan('regression', 5, NaN)).toBe(true);
    const p = new StoppingPolicy('classification', { valEvery: 1, metaSteps: 9, patience: 2 });
    const s = state();
    expect(p.record(s, { step: 0, loss: 1, metric: 0.5 }, w(0))).toBe(true);
    expect(p.record(s, { step: 1, loss: 1, metric: 0.7 }, w(1))).toBe(true);
    expect(p.record(s, { step: 2, loss: 1, metric: 0.6 }, w(2))).toBe(false);
    expect(s.best.step).toBe(1);
    expect(s.best.arrays).toEqual(w(1));
    expect(p.shouldStop(s)).toBe(false);
    expect(p.record(s, { step: 3, loss: 1, metric: 0.7 }, w(3))).toBe(false); // a tie is no gain
    expect(p.shouldStop(s)).toBe(true);
    expect(s.history.validation.map((v) => v.step)).toEqual([0, 1, 2, 3]);
  });

  it('the first validation is the best even when not finite; patience 0 never stops', () => {
    const p = new StoppingPolicy('regression', { valEvery: 1, metaSteps: 9, patience: 0 });
    const s = state();
    expect(p.record(s, { step: 0, loss: NaN, metric: NaN }, w(0))).toBe(true);
    for (let i = 1; i < 5; i++) p.record(s, { step: i, loss: NaN, metric: NaN }, w(i));
    expect(s.sinceImprovement).toBe(4);
    expect(p.shouldStop(s)).toBe(false);
  });
});
