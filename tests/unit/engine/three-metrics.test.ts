/**
 * The three metrics on hand-computed curves, and the support-label
 * corruption behind robustness.
 */
import { describe, expect, it } from 'vitest';
import {
  adaptationSpeed,
  corruptSupport,
  generalization,
  halvedShots,
  robustness,
} from '../../../src/core/train/three-metrics';
import { Rng } from '../../../src/core/rng';
import { blobBatch, sinusoidBatch } from '../../helpers/sinusoid-batch';

// MSE falling from 3 to 1 over 10 steps: 3, 2, 1.5, 1.2, 1.1, 1.05, 1, 1, 1, 1, 1
const MSE = [3, 2, 1.5, 1.2, 1.1, 1.05, 1, 1, 1, 1, 1];

describe('adaptationSpeed', () => {
  it('counts the steps to 90% of the 10-step improvement and averages the curve', () => {
    const r = adaptationSpeed(MSE, 'mse');
    expect(r.improvement).toBe(2);
    // 90% of 2 is 1.8: reached when the MSE is ≤ 1.2, at step 3
    expect(r.stepsTo90).toBe(3);
    // trapezoids: (3+2)/2 + (2+1.5)/2 + (1.5+1.2)/2 + (1.2+1.1)/2 + (1.1+1.05)/2
    //           + (1.05+1)/2 + 4 × 1 = 2.5+1.75+1.35+1.15+1.075+1.025+4 = 12.85
    expect(r.auc).toBeCloseTo(1.285, 12);
  });

  it('reads accuracy the other way round', () => {
    const acc = [0.2, 0.5, 0.6, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7];
    const r = adaptationSpeed(acc, 'accuracy');
    expect(r.improvement).toBeCloseTo(0.5, 12);
    // 90% of 0.5 = 0.45 → accuracy ≥ 0.65 first at step 3
    expect(r.stepsTo90).toBe(3);
    expect(adaptationSpeed([1, 0.5, 0], 'accuracy', 2)).toEqual({
      improvement: -1,
      stepsTo90: null,
      auc: 0.5,
    });
  });

  it('is null where there is nothing to measure: diverged steps or a flat curve', () => {
    expect(adaptationSpeed([3, NaN, 1], 'mse', 2).stepsTo90).toBeNull();
    expect(adaptationSpeed([3, NaN, 1], 'mse', 2).auc).toBeNull();
    expect(adaptationSpeed([2, 2, 2], 'mse', 2)).toEqual({
      improvement: 0,
      stepsTo90: null,
      auc: 2,
    });
    // a short curve uses the steps it has
    expect(adaptationSpeed([4, 2, 1], 'mse').stepsTo90).toBe(2);
  });
});

describe('generalization', () => {
  it('compares the final values and speeds, gap positive when test tasks are worse', () => {
    const train = [2, 0.5, 0.4];
    const test = [2, 1, 0.7];
    const g = generalization(train, test, 'mse', 2);
    expect(g.train.final).toBe(0.4);
    expect(g.test.final).toBe(0.7);
    expect(g.gap).toBeCloseTo(0.3, 12);
    expect(g.train.speed.stepsTo90).toBe(1); // 1.5 of 1.6 ≥ 1.44
    expect(g.test.speed.stepsTo90).toBe(2); // 1.0 of 1.3 < 1.17
    const ga = generalization([0.5, 0.9], [0.5, 0.8], 'accuracy', 1);
    expect(ga.gap).toBeCloseTo(0.1, 12);
  });
});

describe('robustness', () => {
  it('reports how much worse the changed setting is at the given step', () => {
    expect(robustness([3, 1], [3, 1.5], 'mse', 1)).toEqual({ clean: 1, changed: 1.5, change: 0.5 });
    const a = robustness([0.2, 0.9], [0.2, 0.6], 'accuracy', 1);
    expect(a.change).toBeCloseTo(0.3, 12);
    expect(robustness([3, 1], [3, NaN], 'mse', 1).change).toBeNull();
    expect([1, 2, 5, 10].map(halvedShots)).toEqual([1, 1, 2, 5]);
  });
});

describe('corruptSupport', () => {
  it('adds noise of the set fraction of the support targets’ sd, leaving queries alone', () => {
    const b = sinusoidBatch(1, 200, 10, 5);
    const c = corruptSupport(b, 'regression', 0.5, new Rng(3));
    expect(c.queryY).toBe(b.queryY);
    const y = Array.from(b.supportY);
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    const sd = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / (y.length - 1));
    const d = Array.from(c.supportY, (v, i) => v - (y[i] as number));
    const dsd = Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
    // 2,000 draws: the sample sd is within ~5% of 0.5·sd
    expect(Math.abs(dsd / (0.5 * sd) - 1)).toBeLessThan(0.05);
    expect(Array.from(b.supportY)).toEqual(y); // the input is not modified
  });

  it('flips the set fraction of one-hot labels, always to another class', () => {
    const b = blobBatch(2, 50, 4, 5, 3);
    const c = corruptSupport(b, 'classification', 0.3, new Rng(4));
    const C = b.outputDim;
    let flipped = 0;
    const rows = b.supportY.length / C;
    for (let r = 0; r < rows; r++) {
      const before = Array.from(b.supportY.subarray(r * C, (r + 1) * C));
      const after = Array.from(c.supportY.subarray(r * C, (r + 1) * C));
      expect(after.reduce((s, v) => s + v, 0)).toBe(1);
      if (before.indexOf(1) !== after.indexOf(1)) flipped++;
    }
    expect(Math.abs(flipped / rows - 0.3)).toBeLessThan(0.06);
    expect(corruptSupport(b, 'classification', 0, new Rng(4)).supportY).toEqual(b.supportY);
  });
});
