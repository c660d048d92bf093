import { describe, expect, it } from 'vitest';
import {
  builtinSource,
  sampleSinusoidParams,
  sinusoidBatch,
  sinusoidCurve,
  sinusoidName,
  DataError,
  SINUSOID_RANGES,
} from '../../../src/core/data/index';
import { Rng } from '../../../src/core/rng';

/**
 * Recovers A and φ of y = A·sin(x − φ) = a·sin x + b·cos x by least squares
 * (a = A cos φ, b = −A sin φ), and the largest residual.
 */
function fitSinusoid(xs: number[], ys: number[]): { A: number; phi: number; maxResidual: number } {
  let ss = 0;
  let sc = 0;
  let cc = 0;
  let ys_ = 0;
  let yc = 0;
  xs.forEach((x, i) => {
    const s = Math.sin(x);
    const c = Math.cos(x);
    const y = ys[i] as number;
    ss += s * s;
    sc += s * c;
    cc += c * c;
    ys_ += y * s;
    yc += y * c;
  });
  const det = ss * cc - sc * sc;
  const a = (ys_ * cc - yc * sc) / det;
  const b = (yc * ss - ys_ * sc) / det;
  const maxResidual = Math.max(
    ...xs.map((x, i) => Math.abs(a * Math.sin(x) + b * Math.cos(x) - (ys[i] as number))),
  );
  return { A: Math.hypot(a, b), phi: Math.atan2(-b, a), maxResidual };
}

describe('sinusoid family', () => {
  const source = builtinSource('sinusoid');

  it('is the MAML regression family: 1 input, unstandardized, unlimited tasks', () => {
    expect(source.kind).toBe('regression');
    expect(source.inputDim).toBe(1);
    expect(source.targetScale).toBe(1);
    expect(source.classCount('train')).toBe(0);
    expect(source.splitSizes()).toEqual({ train: Infinity, val: Infinity, test: Infinity });
    expect(source.limits('test')).toEqual({
      maxShots: Infinity,
      maxWays: Infinity,
      maxQueries: Infinity,
    });
    expect(SINUSOID_RANGES).toEqual({ amplitude: [0.1, 5.0], phase: [0, Math.PI], x: [-5, 5] });
  });

  it('draws amplitude in [0.1, 5], phase in [0, π], x in [−5, 5], and y = A·sin(x − φ)', () => {
    const batch = source.sample('train', 300, { shots: 5, ways: 1, queries: 10 }, new Rng(3));
    expect(batch.tasks).toBe(300);
    expect(batch.support).toBe(5);
    expect(batch.query).toBe(10);
    expect(batch.outputDim).toBe(1);
    expect(batch.supportX.length).toBe(300 * 5);
    expect(batch.queryY.length).toBe(300 * 10);
    const amplitudes: number[] = [];
    for (let t = 0; t < batch.tasks; t++) {
      const xs = [
        ...batch.supportX.subarray(t * 5, t * 5 + 5),
        ...batch.queryX.subarray(t * 10, t * 10 + 10),
      ];
      const ys = [
        ...batch.supportY.subarray(t * 5, t * 5 + 5),
        ...batch.queryY.subarray(t * 10, t * 10 + 10),
      ];
      for (const x of xs) {
        expect(x).toBeGreaterThanOrEqual(-5);
        expect(x).toBeLessThanOrEqual(5);
      }
      const fit = fitSinusoid(xs, ys);
      expect(fit.maxResidual).toBeLessThan(1e-4);
      expect(fit.A).toBeGreaterThanOrEqual(0.1 - 1e-4);
      expect(fit.A).toBeLessThanOrEqual(5 + 1e-4);
      expect(fit.phi).toBeGreaterThanOrEqual(-1e-4);
      expect(fit.phi).toBeLessThanOrEqual(Math.PI + 1e-4);
      expect(batch.names[t]).toBe(sinusoidName({ amplitude: fit.A, phase: fit.phi }));
      amplitudes.push(fit.A);
    }
    // Uniform on [0.1, 5]: mean 2.55; both ends of the range are reached.
    const mean = amplitudes.reduce((a, b) => a + b, 0) / amplitudes.length;
    expect(mean).toBeGreaterThan(2.2);
    expect(mean).toBeLessThan(2.9);
    expect(Math.min(...amplitudes)).toBeLessThan(0.5);
    expect(Math.max(...amplitudes)).toBeGreaterThan(4.6);
  });

  it('sampleSinusoidParams stays in the paper ranges', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 2000; i++) {
      const p = sampleSinusoidParams(rng);
      expect(p.amplitude).toBeGreaterThanOrEqual(0.1);
      expect(p.amplitude).toBeLessThan(5);
      expect(p.phase).toBeGreaterThanOrEqual(0);
      expect(p.phase).toBeLessThan(Math.PI);
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const shape = { shots: 10, ways: 1, queries: 10 };
    const a = source.sample('train', 4, shape, new Rng(7));
    const b = builtinSource('sinusoid').sample('train', 4, shape, new Rng(7));
    const c = source.sample('train', 4, shape, new Rng(8));
    expect(b.supportX).toEqual(a.supportX);
    expect(b.queryY).toEqual(a.queryY);
    expect(b.names).toEqual(a.names);
    expect(c.supportX).not.toEqual(a.supportX);
  });

  it('gives the true curve and batches from given parameters and x values', () => {
    const p = { amplitude: 2, phase: Math.PI / 2 };
    const curve = sinusoidCurve(p, [0, Math.PI / 2, Math.PI]);
    expect(curve[0]).toBeCloseTo(-2, 6);
    expect(curve[1]).toBeCloseTo(0, 6);
    expect(curve[2]).toBeCloseTo(2, 6);

    const batch = sinusoidBatch([
      { params: p, supportX: [0, 1, 2], queryX: [-1, 4] },
      { params: { amplitude: 1, phase: 0 }, supportX: [0.5, 1.5, 2.5], queryX: [3, -3] },
    ]);
    expect(batch.tasks).toBe(2);
    expect(batch.support).toBe(3);
    expect(batch.query).toBe(2);
    expect(Array.from(batch.supportX)).toEqual(
      Array.from(Float32Array.from([0, 1, 2, 0.5, 1.5, 2.5])),
    );
    expect(batch.supportY[1]).toBeCloseTo(2 * Math.sin(1 - Math.PI / 2), 6);
    expect(batch.queryY[3]).toBeCloseTo(Math.sin(-3), 6);
    expect(batch.names).toEqual(['A=2.00 φ=1.57', 'A=1.00 φ=0.00']);
    expect(() =>
      sinusoidBatch([
        { params: p, supportX: [0, 1], queryX: [] },
        { params: p, supportX: [0], queryX: [] },
      ]),
    ).toThrow(DataError);
  });

  it('refuses shapes that are not whole numbers ≥ 1', () => {
    expect(() => source.sample('train', 2, { shots: 0, ways: 1, queries: 5 }, new Rng(1))).toThrow(
      'K (shots) must be a whole number ≥ 1 (got 0).',
    );
    expect(() =>
      source.sample('train', 1.5, { shots: 5, ways: 1, queries: 5 }, new Rng(1)),
    ).toThrow(DataError);
  });
});
