import { describe, expect, it } from 'vitest';
import { intervalsOverlap, median, summarize } from '../../../src/core/train/stats';

describe('summary statistics', () => {
  it('gives mean ± 1.96·s/√n (sample std) and the median', () => {
    // values 1..5: mean 3, sample variance 2.5, s = 1.5811, ci = 1.96·1.58114/2.23607 = 1.385929
    const s = summarize([5, 1, 4, 2, 3]);
    expect(s.mean).toBe(3);
    expect(s.ci95).toBeCloseTo(1.385929, 5);
    expect(s.median).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('lets a diverged task move the mean but not the median', () => {
    const s = summarize([1, 1, 1, 1, Infinity]);
    expect(s.mean).toBe(Infinity);
    expect(s.median).toBe(1);
  });

  it('detects overlapping intervals', () => {
    expect(intervalsOverlap({ mean: 1, ci95: 0.1 }, { mean: 1.15, ci95: 0.1 })).toBe(true);
    expect(intervalsOverlap({ mean: 1, ci95: 0.1 }, { mean: 1.25, ci95: 0.1 })).toBe(false);
  });
});
