/**
 * Parameter importance on synthetic sweeps: the parameter the score depends
 * on gets nearly all of it, an irrelevant one about none; ranks and ε² match
 * hand-computed values.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng';
import type { SweepSpace } from '../../../src/core/spec/sweep-space';
import { epsilonSquared, paramImportance, ranks } from '../../../src/core/sweep/importance';

describe('importance', () => {
  it('ranks share ties', () => {
    expect(ranks([3, 1, 3, 2])).toEqual([3.5, 1, 3.5, 2]);
  });

  it('ε² is 1 for perfectly separated groups and 0 for identical groups', () => {
    expect(epsilonSquared([1, 1, 5, 5], ['a', 'a', 'b', 'b'])).toBeCloseTo(1, 12);
    expect(epsilonSquared([1, 5, 1, 5], ['a', 'a', 'b', 'b'])).toBe(0);
    // by hand: SS_total = 17.5, SS_between = 13.5, MS_within = 4 / 4 = 1 → 12.5 / 18.5
    expect(epsilonSquared([1, 2, 3, 4, 5, 6], ['a', 'a', 'a', 'b', 'b', 'b'])).toBeCloseTo(
      12.5 / 18.5,
      12,
    );
  });

  it('finds the parameter that matters and gives ~0 to one that does not', () => {
    const space: SweepSpace = {
      innerLr: { type: 'float', low: 1e-3, high: 1, log: true },
      metaLr: { type: 'float', low: 1e-4, high: 1e-2, log: true },
      algorithm: { type: 'categorical', choices: ['maml', 'fomaml'] },
    };
    const rng = new Rng(4);
    const trials = Array.from({ length: 40 }, () => {
      const innerLr = Math.exp(rng.uniform(Math.log(1e-3), 0));
      const metaLr = Math.exp(rng.uniform(Math.log(1e-4), Math.log(1e-2)));
      const algorithm = rng.next() < 0.5 ? 'maml' : 'fomaml';
      // only innerLr matters (optimum at 0.03), plus a little noise
      const loss = (Math.log10(innerLr) + 1.5) ** 2 + 0.05 * rng.normal();
      return { params: { innerLr, metaLr, algorithm }, loss };
    });
    const imp = paramImportance(space, [...trials, { params: {}, loss: null }]);
    expect(imp[0]?.key).toBe('innerLr');
    expect(imp[0]?.importance).toBeGreaterThan(0.5);
    const other = imp.filter((i) => i.key !== 'innerLr');
    for (const o of other) expect(o.importance).toBeLessThan(0.1);
    expect(imp.find((i) => i.key === 'algorithm')?.groups).toBe(2);
  });
});
