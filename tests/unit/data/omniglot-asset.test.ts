/**
 * The committed Omniglot asset: its bytes are pinned by SHA-256, and the
 * build script's decoding is checked on one real drawing (the first drawing
 * of the first background character, stored as a 685-byte .npz fixture cut
 * from the shared images_background.npz with NumPy). The reference numbers
 * come from NumPy, computed independently of the script: 917 ink pixels at
 * 105×105, and area averaging done as ×4 nearest upsampling (420×420) then
 * 15×15 mean pooling, which is exact area averaging because 420 = 28·15.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOmniglotAsset, encodeOmniglotAsset } from '../../../src/core/data/omniglot/asset';
import {
  OMNIGLOT_ASSET_SHA256,
  checkOmniglotAsset,
} from '../../../src/core/data/omniglot/checksum';
import { DataError } from '../../../src/core/data/types';
import { inkAt105, toAssetBytes } from '../../../scripts/omniglot/convert';
import { parseNpy, readNpz } from '../../../scripts/omniglot/npy';
import { dataError, dataErrorAsync } from './helpers';

const asset = new Uint8Array(readFileSync('public/omniglot/omniglot-28.bin'));
const fixture = readNpz(
  new Uint8Array(readFileSync('tests/fixtures/omniglot/first-drawing.npz')),
  'first-drawing.npz',
);
const NUMPY_28_SHA256 = '8f38c83d0236b26488d31048ca0a9fef00b26c1088cfb1002ecd77f6d3b0c68e';
const NUMPY_ROW_14 = [
  0, 0, 0, 0, 0, 0, 0, 0, 142, 221, 0, 0, 20, 165, 229, 120, 0, 0, 85, 255, 0, 0, 0, 0, 0, 0, 0, 0,
];
const decoded = decodeOmniglotAsset(asset);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('Omniglot asset', () => {
  it('has the committed SHA-256 and a size of a few MB', async () => {
    expect(sha(asset)).toBe(OMNIGLOT_ASSET_SHA256);
    await expect(checkOmniglotAsset(asset, 'public')).resolves.toBeUndefined();
    expect(asset.length).toBeGreaterThan(2e6);
    expect(asset.length).toBeLessThan(6e6);
  });

  it('refuses a truncated copy naming both digests', async () => {
    const e = await dataErrorAsync(() => checkOmniglotAsset(asset.subarray(0, 1000), 'x.bin'));
    expect(e.message).toContain('x.bin is damaged or out of date');
    expect(e.message).toContain(OMNIGLOT_ASSET_SHA256);
    expect(e.message).toContain('1000 bytes read');
  });

  it('holds 964 background and 659 evaluation characters of 20 drawings at 28×28', () => {
    const { meta, images } = decoded;
    expect(meta.sets).toEqual([
      { name: 'background', characters: 964, firstNumber: 1 },
      { name: 'evaluation', characters: 659, firstNumber: 965 },
    ]);
    expect([meta.height, meta.width, meta.drawings]).toEqual([28, 28, 20]);
    expect(images.background.length).toBe(964 * 20 * 784);
    expect(images.evaluation.length).toBe(659 * 20 * 784);
    expect(meta.license).toContain('MIT');
  });

  it('decodes the first drawing as NumPy does, at 105×105 and after resizing', () => {
    const images = fixture.images;
    expect(images?.descr).toBe('|b1');
    expect(images?.shape).toEqual([1, 1, 105, 105]);
    const ink = inkAt105(images!, 0, 0);
    expect(ink.reduce((a, b) => a + b, 0)).toBe(917);
    const small = toAssetBytes(ink);
    expect(Array.from(small.subarray(14 * 28, 15 * 28))).toEqual(NUMPY_ROW_14);
    expect(sha(small)).toBe(NUMPY_28_SHA256);
    // area averaging keeps the ink: 917 · (28/105)² = 65.21 ≈ 16626 / 255
    expect(small.reduce((a, b) => a + b, 0)).toBe(16626);
    // and the committed asset starts with exactly these bytes
    expect(Array.from(decoded.images.background.subarray(0, 784))).toEqual(Array.from(small));
  });

  it('round-trips the container and refuses what is not one', () => {
    const meta = { ...decoded.meta };
    meta.sets = [
      { name: 'background', characters: 1, firstNumber: 1 },
      { name: 'evaluation', characters: 1, firstNumber: 2 },
    ];
    const bg = Uint8Array.from({ length: 20 * 784 }, (_, i) => i % 251);
    const ev = Uint8Array.from({ length: 20 * 784 }, (_, i) => (i * 7) % 256);
    const back = decodeOmniglotAsset(encodeOmniglotAsset(meta, [bg, ev]));
    expect(back.images.background).toEqual(bg);
    expect(back.images.evaluation).toEqual(ev);
    expect(dataError(() => decodeOmniglotAsset(new Uint8Array([1, 2, 3]))).message).toContain(
      'not a zlib stream',
    );
    const short = dataError(() => decodeOmniglotAsset(encodeOmniglotAsset(meta, [bg])));
    expect(short).toBeInstanceOf(DataError);
    expect(short.message).toMatch(/holds \d+ bytes where its metadata promises \d+/);
  });

  it('parses .npy headers and refuses other files', () => {
    expect(() => parseNpy(new Uint8Array(20), 'a.npy')).toThrow('a.npy is not a .npy file');
    const header = "{'descr': '<i8', 'fortran_order': True, 'shape': (2,), }";
    const bytes = new Uint8Array(10 + header.length + 16);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
    bytes.set(new TextEncoder().encode(header), 10);
    expect(() => parseNpy(bytes, 'f.npy')).toThrow('Fortran-ordered');
    const labels = fixture.labels;
    expect(labels?.descr).toBe('<i8');
    expect(labels?.shape).toEqual([1, 1]);
  });
});
