/**
 * The clustered 95% interval: hand-computed CR1 answers, the reduction to
 * the papers' s/√n when every episode is its own task, and the case issue 12
 * is about — many episodes from two tasks must not look precise.
 */
import { describe, expect, it } from 'vitest';
import { clusteredSummary, tCritical95 } from '../../../src/core/train/clustered';
import { summarize } from '../../../src/core/train/stats';
import { Rng } from '../../../src/core/rng';

describe('clusteredSummary', () => {
  it('matches a hand-computed CR1 interval: [1,2,3,4] in two tasks', () => {
    // mean 2.5; task sums of deviations −2 and +2; V = 2/1 · 8 / 16 = 1; t(1) = 12.706.
    const s = clusteredSummary([1, 2, 3, 4], [['a'], ['a'], ['b'], ['b']]);
    expect(s.mean).toBe(2.5);
    expect(s.units).toBe(2);
    expect(s.ci95).toBeCloseTo(12.7062, 3);
  });

  it('is t(n−1)·s/√n when every episode is its own task', () => {
    const rng = new Rng(1);
    const v = Array.from({ length: 600 }, () => rng.uniform(0, 1));
    const s = clusteredSummary(
      v,
      v.map((_, i) => [`t${i}`]),
    );
    const naive = summarize(v);
    expect(s.units).toBe(600);
    expect(s.ci95).toBeCloseTo((naive.ci95 / 1.96) * tCritical95(599), 10);
    expect(tCritical95(599)).toBeCloseTo(1.964, 3);
  });

  it('gives a wide interval for 600 episodes drawn from only 2 tasks', () => {
    const rng = new Rng(2);
    const task = (i: number) => (i % 2 === 0 ? 'A' : 'B');
    const v = Array.from(
      { length: 600 },
      (_, i) => (task(i) === 'A' ? 0.3 : 0.7) + rng.normal() * 0.01,
    );
    const naive = summarize(v);
    const s = clusteredSummary(
      v,
      v.map((_, i) => [task(i)]),
    );
    expect(naive.ci95).toBeLessThan(0.02); // what "600 tasks" would claim
    expect(s.units).toBe(2);
    expect(s.ci95).toBeGreaterThan(1); // t(1) · 0.2: the task spread is barely known
  });

  it('never goes below the independent-episodes interval when shares cancel', () => {
    // Every episodic draw uses the same three classes: all shares are 0.
    const rng = new Rng(3);
    const v = Array.from({ length: 100 }, () => rng.uniform(0, 1));
    const s = clusteredSummary(
      v,
      v.map(() => ['c0', 'c1', 'c2']),
    );
    expect(s.units).toBe(3);
    expect(s.ci95).toBeCloseTo((summarize(v).ci95 / 1.96) * tCritical95(2), 10);
  });

  it('has no finite interval from one task, and no interval for no episodes', () => {
    expect(clusteredSummary([0.5, 0.6, 0.7], [['a'], ['a'], ['a']]).ci95).toBe(Infinity);
    expect(clusteredSummary([], []).n).toBe(0);
  });
});
