import { describe, expect, it } from 'vitest';
import { builtinSource } from '../../../src/core/data/index';
import { Rng } from '../../../src/core/rng';
import { row } from './helpers';

/** Least squares y ≈ X·w + b via the normal equations (Gaussian elimination). */
function leastSquares(
  xs: number[][],
  ys: number[],
): { w: number[]; b: number; residualStd: number } {
  const d = (xs[0] as number[]).length + 1;
  const a = Array.from({ length: d }, () => new Array<number>(d + 1).fill(0));
  xs.forEach((x, i) => {
    const v = [...x, 1];
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++)
        (a[r] as number[])[c] =
          ((a[r] as number[])[c] as number) + (v[r] as number) * (v[c] as number);
      (a[r] as number[])[d] =
        ((a[r] as number[])[d] as number) + (v[r] as number) * (ys[i] as number);
    }
  });
  for (let p = 0; p < d; p++) {
    const pivot = a[p] as number[];
    for (let r = p + 1; r < d; r++) {
      const rowR = a[r] as number[];
      const f = (rowR[p] as number) / (pivot[p] as number);
      for (let c = p; c <= d; c++) rowR[c] = (rowR[c] as number) - f * (pivot[c] as number);
    }
  }
  const sol = new Array<number>(d).fill(0);
  for (let r = d - 1; r >= 0; r--) {
    const rowR = a[r] as number[];
    let s = rowR[d] as number;
    for (let c = r + 1; c < d; c++) s -= (rowR[c] as number) * (sol[c] as number);
    sol[r] = s / (rowR[r] as number);
  }
  const w = sol.slice(0, d - 1);
  const b = sol[d - 1] as number;
  const res = xs.map(
    (x, i) => (ys[i] as number) - x.reduce((s, v, j) => s + v * (w[j] as number), b),
  );
  return { w, b, residualStd: Math.sqrt(res.reduce((s, r) => s + r * r, 0) / res.length) };
}

describe('linear family', () => {
  it('has 10 inputs in [−1, 1] and y = w·x + b + N(0, 0.1²)', () => {
    const source = builtinSource('linear');
    expect(source.inputDim).toBe(10);
    expect(source.kind).toBe('regression');
    const batch = source.sample('train', 20, { shots: 100, ways: 1, queries: 100 }, new Rng(5));
    expect(batch.supportX.length).toBe(20 * 100 * 10);
    expect(batch.queryY.length).toBe(20 * 100);
    for (const v of batch.supportX) {
      expect(v).toBeGreaterThanOrEqual(-1);
      expect(v).toBeLessThanOrEqual(1);
    }
    const norms: number[] = [];
    for (let t = 0; t < batch.tasks; t++) {
      const xs: number[][] = [];
      const ys: number[] = [];
      for (let i = 0; i < 100; i++) {
        xs.push(row(batch.supportX, t * 100 + i, 10));
        ys.push(batch.supportY[t * 100 + i] as number);
        xs.push(row(batch.queryX, t * 100 + i, 10));
        ys.push(batch.queryY[t * 100 + i] as number);
      }
      const fit = leastSquares(xs, ys);
      // The noise is N(0, 0.1²): the fitted residual std is close to 0.1.
      expect(fit.residualStd).toBeGreaterThan(0.07);
      expect(fit.residualStd).toBeLessThan(0.12);
      norms.push(fit.w.reduce((s, v) => s + v * v, 0));
    }
    // w ~ N(0, I_10): E|w|² = 10.
    const meanNorm2 = norms.reduce((a, b) => a + b, 0) / norms.length;
    expect(meanNorm2).toBeGreaterThan(5);
    expect(meanNorm2).toBeLessThan(16);
  });

  it('is deterministic for a seed', () => {
    const shape = { shots: 5, ways: 1, queries: 5 };
    const a = builtinSource('linear').sample('val', 3, shape, new Rng(2));
    const b = builtinSource('linear').sample('val', 3, shape, new Rng(2));
    expect(b.supportX).toEqual(a.supportX);
    expect(b.queryY).toEqual(a.queryY);
  });

  it('honours inputDim and noiseStd options', () => {
    const source = builtinSource('linear', { inputDim: 3, noiseStd: 0 });
    const batch = source.sample('train', 2, { shots: 4, ways: 1, queries: 30 }, new Rng(9));
    expect(batch.inputDim).toBe(3);
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 30; i++) {
      xs.push(row(batch.queryX, i, 3));
      ys.push(batch.queryY[i] as number);
    }
    expect(leastSquares(xs, ys).residualStd).toBeLessThan(1e-5);
  });
});
