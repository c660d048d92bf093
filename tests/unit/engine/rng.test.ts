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

// Reference outputs of the generator as it is: every saved run, share link and
// CLI result depends on this exact stream, so a change to the seeding, the
// sfc32 step or any derived draw must fail here, not silently change old runs.
// (Computed once from src/core/rng.ts; update only with a session format bump.)
describe('Rng reference stream (must not drift)', () => {
  it('seeds to the same state and draws the same uint32s', () => {
    const r = new Rng(42);
    expect(r.state()).toEqual([525187462, 1481333944, 1177879824, 3317318729]);
    expect(Array.from({ length: 6 }, () => r.nextUint32())).toEqual([
      1028872839, 2516511472, 400437680, 853279530, 1920286840, 3588795744,
    ]);
    expect(new Rng(0).state()).toEqual([99621017, 2830175463, 1368817051, 1275600331]);
    // seeds are floored and taken as uint32
    expect(new Rng(1.9).state()).toEqual([2459862799, 1621824973, 3310820794, 2041432051]);
    expect(new Rng(-1).state()).toEqual([3832797739, 97081743, 2665032317, 1778835776]);
  });

  it('forks, shuffles, samples and draws normals the same way', () => {
    const f = new Rng(2024);
    expect(f.fork().state()).toEqual([3286594848, 3220569696, 980913338, 4094494329]);
    expect(f.state()).toEqual([2997705074, 2062176523, 2726331036, 3480218509]);
    const n = new Rng(7);
    expect(Array.from({ length: 3 }, () => n.normal())).toEqual([
      -1.161315926047374, 0.3256872397238575, -1.3446636338826077,
    ]);
    const s = new Rng(3);
    expect(s.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([7, 1, 0, 3, 8, 6, 2, 9, 5, 4]);
    expect(s.sampleWithoutReplacement(100, 5)).toEqual([64, 74, 76, 43, 96]);
    expect(s.int(1000)).toBe(863);
    expect(s.uniform(-5, 5)).toBe(4.1889150138013065);
  });
});
