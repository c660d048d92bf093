import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng';

describe('Rng', () => {
  it('is reproducible from its seed and resumable from its state', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    const saved = a.state();
    const next = a.next();
    expect(new Rng(saved).next()).toBe(next);
    expect(new Rng(43).next()).not.toBe(xs[0]);
  });

  it('draws uniforms in range with a plausible mean', () => {
    const r = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const u = r.uniform(-5, 5);
      expect(u).toBeGreaterThanOrEqual(-5);
      expect(u).toBeLessThan(5);
      sum += u;
    }
    expect(Math.abs(sum / 10000)).toBeLessThan(0.1);
  });
});

describe('Rng state', () => {
  it('is four uint32s at every point of the stream (sessions store it)', () => {
    const r = new Rng(7);
    for (let i = 0; i < 1000; i++) {
      r.next();
      for (const v of r.state()) {
        expect(Number.isInteger(v) && v >= 0 && v <= 0xffffffff).toBe(true);
      }
    }
  });
});
