import { describe, expect, it } from 'vitest';
import { builtinSource } from '../../../src/core/data/index';
import { Rng } from '../../../src/core/rng';
import { expectEpisodeLayout, row } from './helpers';

describe('blobs family', () => {
  const source = builtinSource('blobs');

  it('has 60 / 20 / 20 classes in 2-D and only N limits episodes', () => {
    expect(source.kind).toBe('classification');
    expect(source.inputDim).toBe(2);
    expect(source.splitSizes()).toEqual({ train: 60, val: 20, test: 20 });
    expect(source.classCount('train')).toBe(60);
    expect(source.classCount('test')).toBe(20);
    expect(source.limits('val')).toEqual({ maxShots: Infinity, maxWays: 20, maxQueries: Infinity });
    const centres = source.centres('train');
    expect(centres.length).toBe(120);
    for (const c of centres) expect(Math.abs(c)).toBeLessThanOrEqual(5);
  });

  it('gives one-hot, class-major episodes with class indices into the split', () => {
    const batch = source.sample('train', 50, { shots: 3, ways: 5, queries: 4 }, new Rng(1));
    expectEpisodeLayout(batch, 5, 3, 4);
    for (const c of batch.supportClass as Int32Array) {
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThan(60);
    }
  });

  it('relabels the chosen classes in a random order per episode', () => {
    const batch = source.sample('train', 300, { shots: 1, ways: 5, queries: 1 }, new Rng(2));
    const cls = batch.supportClass as Int32Array;
    let sorted = 0;
    const labelOfSmallest = [0, 0, 0, 0, 0];
    for (let b = 0; b < batch.tasks; b++) {
      const c = Array.from(cls.subarray(b * 5, b * 5 + 5));
      if (c.every((v, i) => i === 0 || (c[i - 1] as number) < v)) sorted++;
      const smallest = c.indexOf(Math.min(...c));
      labelOfSmallest[smallest] = (labelOfSmallest[smallest] as number) + 1;
    }
    // sorted order happens 1 time in 120; each label gets the smallest class ~60 times
    expect(sorted).toBeLessThan(15);
    for (const n of labelOfSmallest) {
      expect(n).toBeGreaterThan(30);
      expect(n).toBeLessThan(95);
    }
  });

  it('keeps the classes of the splits disjoint', () => {
    const names = (split: 'train' | 'val' | 'test') => {
      const s = new Set<string>();
      const batch = source.sample(split, 200, { shots: 1, ways: 5, queries: 1 }, new Rng(4));
      for (const n of batch.names) for (const c of n.split(', ')) s.add(c);
      return s;
    };
    const train = names('train');
    const val = names('val');
    const test = names('test');
    expect(train.size).toBe(60);
    expect(val.size).toBe(20);
    expect(test.size).toBe(20);
    for (const c of val) expect(train.has(c)).toBe(false);
    for (const c of test) {
      expect(train.has(c)).toBe(false);
      expect(val.has(c)).toBe(false);
    }
  });

  it('is deterministic: same centres for a seed, same episodes for an rng seed', () => {
    expect(builtinSource('blobs', { seed: 3 }).centres('val')).toEqual(
      builtinSource('blobs', { seed: 3 }).centres('val'),
    );
    expect(builtinSource('blobs', { seed: 3 }).centres('val')).not.toEqual(
      builtinSource('blobs', { seed: 4 }).centres('val'),
    );
    const shape = { shots: 2, ways: 5, queries: 3 };
    const a = source.sample('test', 3, shape, new Rng(5));
    const b = builtinSource('blobs').sample('test', 3, shape, new Rng(5));
    expect(b.supportX).toEqual(a.supportX);
    expect(b.queryClass).toEqual(a.queryClass);
  });

  it('refuses more ways than the split has classes', () => {
    expect(() => source.sample('val', 1, { shots: 1, ways: 21, queries: 1 }, new Rng(1))).toThrow(
      'meta-val has 20 classes, but 21-way episodes need 21; lower N (ways) to at most 20.',
    );
  });

  it('lets a 1-shot nearest-prototype classifier on raw inputs reach > 90% (5-way, 600 episodes)', () => {
    for (const split of ['train', 'val', 'test'] as const) {
      const batch = source.sample(split, 600, { shots: 1, ways: 5, queries: 15 }, new Rng(6));
      let correct = 0;
      for (let b = 0; b < batch.tasks; b++) {
        const protos = Array.from({ length: 5 }, (_, c) => row(batch.supportX, b * 5 + c, 2));
        for (let q = 0; q < batch.query; q++) {
          const x = row(batch.queryX, b * batch.query + q, 2);
          const dist = protos.map(
            (p) =>
              ((p[0] as number) - (x[0] as number)) ** 2 +
              ((p[1] as number) - (x[1] as number)) ** 2,
          );
          const guess = dist.indexOf(Math.min(...dist));
          if (guess === Math.floor(q / 15)) correct++;
        }
      }
      const accuracy = correct / (batch.tasks * batch.query);
      expect(accuracy).toBeGreaterThan(0.9);
    }
  });
});
