/**
 * The Omniglot source over the committed asset: split sizes and the fixed
 * meta-val hold-out, episode layout, rotations as classes (checked against
 * the stored pixels), disjoint splits, determinism, limits, and the async
 * built-in path the CLI and the worker use.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUILTIN_FAMILIES,
  builtinLoadsAsync,
  builtinSource,
  loadBuiltinSource,
  OMNIGLOT_ASSET_PATH,
  type OmniglotSource,
} from '../../../src/core/data/index';
import { nodeAssetLoader } from '../../../src/cli/assets';
import { Rng } from '../../../src/core/rng';
import { dataError, expectEpisodeLayout, row } from './helpers';

let source: OmniglotSource;
beforeAll(async () => {
  source = await loadBuiltinSource('omniglot', nodeAssetLoader());
});

/** The stored 28×28 drawing `d` of a character, as [0, 1] values. */
function stored(set: 'background' | 'evaluation', c: number, d: number): number[] {
  const b = source.data.images[set].subarray((c * 20 + d) * 784, (c * 20 + d + 1) * 784);
  return Array.from(b, (v) => v / 255);
}

/** Rotates a 28×28 image a quarter turn counter-clockwise. */
function rot90(img: number[]): number[] {
  const out = new Array<number>(784);
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < 28; x++) out[y * 28 + x] = img[x * 28 + 27 - y] as number;
  return out;
}

describe('Omniglot source', () => {
  it('is a 28×28×1 image classification source with the fixed protocol splits', () => {
    expect(BUILTIN_FAMILIES).toContain('omniglot');
    expect(builtinLoadsAsync('omniglot')).toBe(true);
    expect(source.kind).toBe('classification');
    expect(source.inputDim).toBe(784);
    expect(source.imageShape).toEqual({ height: 28, width: 28, channels: 1 });
    expect(source.splitSizes()).toEqual({ train: 868 * 4, val: 96 * 4, test: 659 * 4 });
    expect(source.classCount('val')).toBe(384);
    expect(source.limits('train')).toEqual({ maxShots: 19, maxWays: 3472, maxQueries: 1 });
  });

  it('gives class-major one-hot episodes of images in [0, 1]', () => {
    const batch = source.sample('train', 4, { ways: 5, shots: 2, queries: 3 }, new Rng(1));
    expectEpisodeLayout(batch, 5, 2, 3);
    expect(batch.inputDim).toBe(784);
    expect(batch.supportX.length).toBe(4 * 10 * 784);
    expect(batch.queryX.length).toBe(4 * 15 * 784);
    let [lo, hi, ink] = [Infinity, -Infinity, 0];
    for (const v of batch.supportX) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      ink += v;
    }
    expect(lo).toBe(0);
    expect(hi).toBe(1);
    // drawings are mostly paper: a few percent of ink
    const mean = ink / batch.supportX.length;
    expect(mean).toBeGreaterThan(0.02);
    expect(mean).toBeLessThan(0.2);
  });

  it('draws N distinct classes per episode and distinct drawings per class', () => {
    const batch = source.sample('val', 50, { ways: 20, shots: 1, queries: 1 }, new Rng(2));
    const cls = batch.supportClass as Int32Array;
    for (let b = 0; b < 50; b++) {
      expect(new Set(cls.subarray(b * 20, b * 20 + 20)).size).toBe(20);
      for (let c = 0; c < 20; c++) {
        expect(batch.queryClass?.[b * 20 + c]).toBe(cls[b * 20 + c]);
        expect(row(batch.supportX, b * 20 + c, 784)).not.toEqual(
          row(batch.queryX, b * 20 + c, 784),
        );
      }
    }
  });

  it('serves the rotations of a character as four classes, rotated 90° apart', () => {
    // 1-way episodes with K + Q = 20 return all 20 drawings of one class.
    const seen = new Set<number>();
    for (let s = 0; seen.size < 8 && s < 4000; s++) {
      const b = source.sample('test', 1, { ways: 1, shots: 19, queries: 1 }, new Rng(s));
      const cls = (b.supportClass as Int32Array)[0] as number;
      const [char, rotation] = [Math.floor(cls / 4), cls % 4];
      if (seen.has(rotation)) continue;
      seen.add(rotation);
      expect(b.names[0]).toBe(`#${String(965 + char).padStart(4, '0')} ${rotation * 90}°`);
      const drawings = [...Array(19).keys()].map((i) => row(b.supportX, i, 784));
      drawings.push(row(b.queryX, 0, 784));
      const expected = [...Array(20).keys()].map((d) => {
        let img = stored('evaluation', char, d);
        for (let r = 0; r < rotation; r++) img = rot90(img);
        return img.map((v) => Math.fround(v));
      });
      // the 20 drawings come in a random order: compare as sorted sets
      const key = (img: number[]) => img.join(',');
      expect(drawings.map(key).sort()).toEqual(expected.map(key).sort());
    }
    expect(seen.size).toBe(4);
  });

  it('keeps meta-train, meta-val and meta-test classes disjoint', () => {
    const chars = (split: 'train' | 'val' | 'test') => {
      const out = new Set<string>();
      const b = source.sample(split, 200, { ways: 20, shots: 1, queries: 1 }, new Rng(3));
      for (const n of b.names) for (const c of n.split(', ')) out.add(c.split(' ')[0] as string);
      return out;
    };
    const train = chars('train');
    const val = chars('val');
    const test = chars('test');
    const num = (s: Set<string>) => [...s].map((c) => Number(c.slice(1)));
    expect(Math.max(...num(train))).toBeLessThanOrEqual(868);
    expect(Math.min(...num(val))).toBeGreaterThanOrEqual(869);
    expect(Math.max(...num(val))).toBeLessThanOrEqual(964);
    expect(Math.min(...num(test))).toBeGreaterThanOrEqual(965);
    expect(val.size).toBe(96); // 200 episodes × 20 classes reach every val character
  });

  it('is deterministic given the Rng and differs across seeds', () => {
    const shape = { ways: 5, shots: 1, queries: 2 };
    const a = source.sample('train', 3, shape, new Rng(7));
    const b = source.sample('train', 3, shape, new Rng(7));
    const c = source.sample('train', 3, shape, new Rng(8));
    expect(b.supportX).toEqual(a.supportX);
    expect(b.queryClass).toEqual(a.queryClass);
    expect(c.supportClass).not.toEqual(a.supportClass);
  });

  it('refuses episodes that need more than 20 drawings per class', () => {
    const e = dataError(() =>
      source.sample('train', 1, { ways: 5, shots: 20, queries: 1 }, new Rng(1)),
    );
    expect(e.message).toContain('has 20 examples, but K = 20 shots need at least 21');
    // Q is capped at what is left: K = 15 leaves 5 queries per class
    const b = source.sample('train', 1, { ways: 2, shots: 15, queries: 15 }, new Rng(1));
    expect(b.query).toBe(2 * 5);
  });

  it('offers upright test classes on request', async () => {
    const upright = await loadBuiltinSource('omniglot', nodeAssetLoader(), { rotateTest: false });
    expect(upright.splitSizes()).toEqual({ train: 3472, val: 384, test: 659 });
    const b = upright.sample('test', 1, { ways: 3, shots: 1, queries: 1 }, new Rng(1));
    expect(b.names[0]).toMatch(/^#\d{4}, #\d{4}, #\d{4}$/);
  });

  it('is built by loadBuiltinSource only, with the loader reading the asset path', async () => {
    expect(() => builtinSource('omniglot')).toThrow('loadBuiltinSource');
    const asked: string[] = [];
    const bytes = new Uint8Array(readFileSync(`public/${OMNIGLOT_ASSET_PATH}`));
    await loadBuiltinSource('omniglot', async (path) => {
      asked.push(path);
      return bytes;
    });
    expect(asked).toEqual(['omniglot/omniglot-28.bin']);
    const damaged = bytes.slice();
    damaged[100] = (damaged[100] as number) ^ 1;
    await expect(loadBuiltinSource('omniglot', async () => damaged)).rejects.toThrow(
      'is damaged or out of date',
    );
    // the generated families still load through the same path
    expect((await loadBuiltinSource('blobs', nodeAssetLoader())).name).toBe('blobs');
  });
});
