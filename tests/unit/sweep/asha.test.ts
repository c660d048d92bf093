/**
 * ASHA on scripted validation curves: the rungs, who is pruned where, the
 * direction of the metric, and a diverging curve ending as `diverged`.
 */
import { describe, expect, it } from 'vitest';
import { rungSteps, SuccessiveHalving, type AshaDecision } from '../../../src/core/sweep/asha';

/** Feeds one trial's curve (validation every `every` steps) until it is stopped. */
function play(
  asha: SuccessiveHalving,
  trial: number,
  curve: (step: number) => number,
  every: number,
  maxSteps: number,
): { decision: AshaDecision; step: number } {
  for (let step = every; step <= maxSteps; step += every) {
    const d = asha.report(trial, step, curve(step));
    if (d !== 'continue') return { decision: d, step };
  }
  return { decision: 'continue', step: maxSteps };
}

describe('rungs', () => {
  it('are grace · 3^k below the last step', () => {
    expect(rungSteps({ gracePeriod: 10, reductionFactor: 3, maxSteps: 300 })).toEqual([
      10, 30, 90, 270,
    ]);
    expect(rungSteps({ gracePeriod: 10, reductionFactor: 3, maxSteps: 270 })).toEqual([10, 30, 90]);
    expect(() => rungSteps({ gracePeriod: 0, reductionFactor: 3, maxSteps: 9 })).toThrow(/grace/);
  });
});

describe('successive halving on scripted curves', () => {
  const opts = {
    gracePeriod: 10,
    reductionFactor: 3,
    maxSteps: 100,
    direction: 'minimize',
  } as const;

  it('keeps the best third at each rung and prunes the rest where they fall behind', () => {
    const asha = new SuccessiveHalving(opts);
    // Curves whose level is set by `q`: lower q is better at every step.
    const curve = (q: number) => (step: number) => q + 10 / step;
    const order = [5, 4, 6, 1, 3, 2, 9, 0.5, 8];
    const results = order.map((q, t) => play(asha, t, curve(q), 10, 100));
    // Trial 0 is the first at every rung, so it runs to the end.
    expect(results[0]).toEqual({ decision: 'continue', step: 100 });
    // Trial 1 (q=4) beats 5 at the first two rungs: it continues.
    expect(results[1]?.decision).toBe('continue');
    // Trial 2 (q=6) is behind both at rung 10: pruned at once.
    expect(results[2]).toEqual({ decision: 'prune', step: 10 });
    // q=1 is best everywhere.
    expect(results[3]?.decision).toBe('continue');
    // q=9 after six trials: not within the best two at rung 10.
    expect(results[6]).toEqual({ decision: 'prune', step: 10 });
    // q=0.5 is the new best: runs to the end.
    expect(results[7]).toEqual({ decision: 'continue', step: 100 });
    expect(asha.recordedAt(0)).toHaveLength(order.length);
  });

  it('a trial that is good at rung 10 but worse later is pruned at the later rung', () => {
    const asha = new SuccessiveHalving(opts);
    play(asha, 0, () => 1, 10, 100);
    play(asha, 1, () => 2, 10, 100);
    play(asha, 2, () => 3, 10, 100);
    // better than everything at 10, then worse than trial 0 from 30 on
    const late = play(asha, 3, (s) => (s < 30 ? 0.5 : 1.5), 10, 100);
    expect(late).toEqual({ decision: 'prune', step: 30 });
  });

  it('reports missed rungs when validation is sparser than the rungs', () => {
    const asha = new SuccessiveHalving(opts);
    play(asha, 0, () => 1, 10, 100);
    // validates every 50 steps: at step 50 it passes rungs 10 and 30 at once and is compared at both
    const r = play(asha, 1, () => 2, 50, 100);
    expect(r).toEqual({ decision: 'prune', step: 50 });
    expect(asha.recordedAt(1)).toEqual([1]);
  });

  it('maximizes accuracy when told to', () => {
    const asha = new SuccessiveHalving({ ...opts, direction: 'maximize' });
    expect(play(asha, 0, () => 0.6, 10, 100).decision).toBe('continue');
    expect(play(asha, 1, () => 0.8, 10, 100).decision).toBe('continue');
    expect(play(asha, 2, () => 0.4, 10, 100)).toEqual({ decision: 'prune', step: 10 });
  });

  it('a diverging curve ends as diverged and records nothing', () => {
    const asha = new SuccessiveHalving(opts);
    play(asha, 0, () => 1, 10, 100);
    const r = play(asha, 1, (s) => (s >= 20 ? NaN : 0.5), 10, 100);
    expect(r).toEqual({ decision: 'diverged', step: 20 });
    expect(asha.recordedAt(1)).toEqual([1]);
    expect(play(asha, 2, () => Infinity, 10, 100)).toEqual({ decision: 'diverged', step: 10 });
  });
});
