/**
 * Staging uploaded image classes from generated zips: the happy path
 * (summary, split, source, ink convention), the formats the Node decoder
 * reads, and one test per bad input — each names the file or class and
 * stages the rest unchanged, or refuses the upload as a whole.
 */
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/core/data/types';
import {
  stageImageClasses,
  stageImageZip,
  type StageOptions,
} from '../../../src/core/data/images/stage';
import { jsImageDecoder } from '../../../src/core/data/images/js-decoder';
import type { ImageDecoder } from '../../../src/core/data/images/formats';
import { Rng } from '../../../src/core/rng';
import { dataErrorAsync } from '../data/helpers';
import { bmp24, glyph, jpeg, letterFiles, png, pngHeaderOnly, zip } from './fixtures';

const opts: StageOptions = { size: 28, channels: 1, decoder: jsImageDecoder };
const five = ['a', 'b', 'c', 'd', 'e'];

describe('staging image classes', () => {
  it('stages an ImageFolder zip: summary, class split and an episodic image source', async () => {
    const steps: number[] = [];
    const { summary, source } = await stageImageZip(zip(letterFiles(five, 4)), 'letters.zip', {
      ...opts,
      onProgress: (done) => steps.push(done),
    });
    expect(summary.classes.map((c) => c.name).sort()).toEqual(five);
    expect(summary.images).toBe(20);
    expect(summary.splitSizes).toEqual({ train: 3, val: 1, test: 1 });
    expect(summary.formats).toEqual({ png: 20 });
    expect(summary.sizes).toEqual({ minWidth: 40, maxWidth: 40, minHeight: 40, maxHeight: 40 });
    expect(summary.problems).toEqual([]);
    expect(summary.inverted).toBe(true); // dark strokes on white → ink = 1
    expect(summary.thumbSize).toBe(24);
    expect(summary.classes[0]?.thumbnail.length).toBe(24 * 24);
    expect(steps.at(-1)).toBe(20);
    expect(source.imageShape).toEqual({ height: 28, width: 28, channels: 1 });
    expect(source.inputDim).toBe(784);
    expect(source.splitSizes()).toEqual(summary.splitSizes);
    const b = source.sample('train', 2, { ways: 3, shots: 1, queries: 2 }, new Rng(1));
    expect(b.supportX.length).toBe(2 * 3 * 784);
    // paper is 0 and the bar is 1 after inversion; area averaging makes a few grey edges
    const values = new Set(Array.from(b.supportX, (v) => Math.round(v * 10) / 10));
    expect(values.has(0)).toBe(true);
    expect(values.has(1)).toBe(true);
    const mean = b.supportX.reduce((a, v) => a + v, 0) / b.supportX.length;
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(0.4);
  });

  it('splits classes by seed, independent of the file order', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const files = letterFiles(names, 2, 8);
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    const split = async (f: Record<string, Uint8Array>, seed: number) =>
      (await stageImageZip(zip(f), 'x.zip', { ...opts, seed })).summary.classes.map(
        (c) => `${c.name}:${c.split}`,
      );
    const a = await split(files, 3);
    expect((await split(reversed, 3)).sort()).toEqual([...a].sort());
    expect((await split(files, 4)).sort()).not.toEqual([...a].sort());
    expect(a.filter((s) => s.endsWith(':val')).length).toBe(3);
  });

  it('reads PNG, JPEG and BMP, in RGB up to 84×84, without inverting colour', async () => {
    const rgba = glyph(30, 20, 1);
    const files = {
      'a/1.png': png(30, 20, 1),
      'a/2.bmp': bmp24(30, 20, rgba),
      'b/1.jpg': jpeg(30, 20, 2),
      'b/2.png': png(30, 20, 2),
      'c/1.bmp': bmp24(30, 20, glyph(30, 20, 3)),
      'c/2.jpg': jpeg(30, 20, 3),
    };
    const { summary, source } = await stageImageZip(zip(files), 'mixed.zip', {
      ...opts,
      size: 84,
      channels: 3,
    });
    expect(summary.formats).toEqual({ png: 2, bmp: 2, jpeg: 2 });
    expect(summary.inverted).toBe(false);
    expect(source.inputDim).toBe(84 * 84 * 3);
    // the BMP and the PNG of class a hold the same pixels
    const b = source.sample('train', 1, { ways: 1, shots: 1, queries: 1 }, new Rng(0));
    expect(b.supportX.length).toBe(84 * 84 * 3);
    const one = await stageImageClasses(
      [
        { path: 'a/1.png', bytes: files['a/1.png'] },
        { path: 'b/1.bmp', bytes: files['a/2.bmp'] },
        { path: 'c/1.png', bytes: files['a/1.png'] },
      ],
      'same',
      { ...opts, minPerClass: 1 },
    );
    const thumbs = one.summary.classes.map((c) => Array.from(c.thumbnail).join(','));
    expect(new Set(thumbs).size).toBe(1);
  });

  it('skips a non-image file, naming and counting it', async () => {
    const files = {
      ...letterFiles(five, 3),
      'letters/a/notes.txt': new TextEncoder().encode('hi'),
    };
    const { summary } = await stageImageZip(zip(files), 'letters.zip', opts);
    expect(summary.skippedNonImages).toBe(1);
    expect(summary.problems).toEqual([
      expect.objectContaining({ kind: 'not-image', file: 'letters/a/notes.txt' }),
    ]);
    expect(summary.problems[0]?.message).toContain(
      'letters/a/notes.txt is not a PNG, JPEG, WebP or BMP',
    );
    expect(summary.images).toBe(15);
  });

  it('names a corrupt image and keeps the others', async () => {
    const bad = png(10, 10).slice(0, 60);
    const files = { ...letterFiles(five, 3), 'letters/b/broken.png': bad };
    const { summary } = await stageImageZip(zip(files), 'letters.zip', opts);
    expect(summary.problems).toHaveLength(1);
    expect(summary.problems[0]).toMatchObject({ kind: 'corrupt', file: 'letters/b/broken.png' });
    expect(summary.problems[0]?.message).toContain('cannot be decoded');
    expect(summary.classes.find((c) => c.name === 'b')?.images).toBe(3);
  });

  it('leaves out a class with fewer than K + Q images, saying what it needs', async () => {
    const files = { ...letterFiles(five, 5), ...letterFiles(['small'], 2) };
    const { summary, source } = await stageImageZip(zip(files), 'letters.zip', {
      ...opts,
      minPerClass: 5,
    });
    expect(summary.problems).toEqual([
      expect.objectContaining({ kind: 'small-class', file: 'small' }),
    ]);
    expect(summary.problems[0]?.message).toBe(
      'class "small" has 2 images, but episodes need K + Q = 5 per class (K shots to adapt on, Q queries); add 3 more or lower K and Q. It was left out.',
    );
    expect(summary.classes.map((c) => c.name)).not.toContain('small');
    expect(source.splitSizes().train + source.splitSizes().val + source.splitSizes().test).toBe(5);
  });

  it('refuses a huge image by its header, before decoding it', async () => {
    const decoded: number[] = [];
    const spy: ImageDecoder = {
      formats: jsImageDecoder.formats,
      decode: (bytes, format) => {
        decoded.push(bytes.length);
        return jsImageDecoder.decode(bytes, format);
      },
    };
    const huge = pngHeaderOnly(20000, 10000);
    const files = { ...letterFiles(five, 3), 'letters/c/huge.png': huge };
    const { summary } = await stageImageZip(zip(files), 'letters.zip', { ...opts, decoder: spy });
    expect(summary.problems[0]).toMatchObject({ kind: 'too-large', file: 'letters/c/huge.png' });
    expect(summary.problems[0]?.message).toContain(
      'is 20000×10000 (200.0 megapixels), more than the limit of 50 megapixels',
    );
    expect(decoded).toHaveLength(15);
    expect(decoded).not.toContain(huge.length);
  });

  it('refuses a zip bomb by its declared size, unpacking nothing', async () => {
    const bomb = zip({ 'a/1.png': new Uint8Array(8 * 2 ** 20) });
    expect(bomb.length).toBeLessThan(50_000);
    const decoded: number[] = [];
    const spy: ImageDecoder = {
      formats: ['png'],
      decode: async () => (decoded.push(1), { width: 1, height: 1, rgba: new Uint8Array(4) }),
    };
    const e = await dataErrorAsync(() =>
      stageImageZip(bomb, 'bomb.zip', { ...opts, decoder: spy, maxZipBytes: 2 ** 20 }),
    );
    expect(e.message).toContain('bomb.zip would unpack to 8 MiB, more than the limit of 1 MiB');
    expect(e.message).toContain('nothing was unpacked');
    expect(decoded).toEqual([]);
  });

  it('refuses by the declared size with the default limit (a central directory claiming 4 GiB)', async () => {
    const small = zip(letterFiles(five, 3));
    const v = new DataView(small.buffer, small.byteOffset);
    let patched = 0;
    for (let i = 0; i + 46 < small.length; i++) {
      if (v.getUint32(i, true) === 0x02014b50) {
        v.setUint32(i + 24, 0xfffffff0, true); // uncompressed size of this entry
        patched++;
      }
    }
    expect(patched).toBe(15);
    const e = await dataErrorAsync(() => stageImageZip(small, 'claims.zip', opts));
    expect(e.message).toMatch(
      /claims\.zip would unpack to \d+ MiB, more than the limit of 1024 MiB/,
    );
  });

  it('refuses an empty zip, an empty folder and a zip of only system files', async () => {
    const empty = await dataErrorAsync(() => stageImageZip(zip({}), 'empty.zip', opts));
    expect(empty.message).toContain('empty.zip is empty: no files found');
    const folder = await dataErrorAsync(() => stageImageClasses([], 'letters/', opts));
    expect(folder.message).toContain('letters/ is empty');
    const mac = zip({ '__MACOSX/a/._1.png': png(4, 4), '.DS_Store': new Uint8Array(8) });
    expect((await dataErrorAsync(() => stageImageZip(mac, 'mac.zip', opts))).message).toContain(
      'is empty',
    );
    const junk = await dataErrorAsync(() =>
      stageImageZip(new Uint8Array([1, 2, 3, 4]), 'junk.zip', opts),
    );
    expect(junk.message).toContain('junk.zip is not a readable zip file');
  });

  it('refuses uploads with fewer than 3 usable classes or only loose files', async () => {
    const two = await dataErrorAsync(() =>
      stageImageZip(zip(letterFiles(['a', 'b'], 3)), 'two.zip', opts),
    );
    expect(two.message).toContain('two.zip has 2 usable classes');
    const loose = await dataErrorAsync(() =>
      stageImageZip(zip({ '1.png': png(8, 8) }), 'loose.zip', opts),
    );
    expect(loose.message).toContain('1.png is not inside a class folder');
    expect(loose).toBeInstanceOf(DataError);
  });

  it('refuses WebP in Node naming the file, and an image size outside 28..84', async () => {
    const webp = new Uint8Array(40);
    webp.set(new TextEncoder().encode('RIFF'), 0);
    webp.set(new TextEncoder().encode('WEBPVP8 '), 8);
    const files = { ...letterFiles(five, 3), 'letters/d/photo.webp': webp };
    const { summary } = await stageImageZip(zip(files), 'letters.zip', opts);
    expect(summary.problems[0]).toMatchObject({
      kind: 'unsupported',
      file: 'letters/d/photo.webp',
    });
    expect(summary.problems[0]?.message).toContain(
      'letters/d/photo.webp: WebP images cannot be decoded by the command line',
    );
    const size = await dataErrorAsync(() =>
      stageImageZip(zip(files), 'letters.zip', { ...opts, size: 100 }),
    );
    expect(size.message).toContain('from 28 to 84 (got 100)');
  });
});
