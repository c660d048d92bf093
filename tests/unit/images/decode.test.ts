/**
 * Decoding and resampling with known answers: BMPs written by the fixture
 * (24-bit and a 1-bit palette image) come back pixel for pixel, PNG and
 * JPEG decode to the glyph they were made from (JPEG within its loss), area
 * averaging equals mean pooling on integer factors and conserves the total,
 * header sizes are read without decoding, and the asset fetcher reports
 * progress to the final byte.
 */
import { describe, expect, it } from 'vitest';
import { decodeBmp } from '../../../src/core/data/images/bmp';
import { headerSize, sniffImage } from '../../../src/core/data/images/formats';
import { jsImageDecoder } from '../../../src/core/data/images/js-decoder';
import { resizeArea } from '../../../src/core/data/images/resize';
import { fetchWithProgress } from '../../../src/core/data/omniglot/fetch-asset';
import { bmp24, glyph, jpeg, png, pngHeaderOnly } from './fixtures';

describe('image decoding', () => {
  it('reads 24-bit BMPs pixel for pixel, odd widths padded', async () => {
    const rgba = Uint8Array.from({ length: 5 * 3 * 4 }, (_, i) =>
      i % 4 === 3 ? 255 : (i * 37) % 256,
    );
    const bytes = bmp24(5, 3, rgba);
    expect(sniffImage(bytes)).toBe('bmp');
    expect(headerSize(bytes)).toEqual({ width: 5, height: 3 });
    const img = await jsImageDecoder.decode(bytes, 'bmp');
    expect([img.width, img.height]).toEqual([5, 3]);
    expect(Array.from(img.rgba)).toEqual(Array.from(rgba));
  });

  it('reads 1-bit palette BMPs and refuses compressed ones', () => {
    // 3×2, palette [black, white], rows bottom-up: bottom row 101, top row 010
    const out = new Uint8Array(62 + 8);
    const v = new DataView(out.buffer);
    out.set([0x42, 0x4d]);
    v.setUint32(10, 62, true);
    v.setUint32(14, 40, true);
    v.setInt32(18, 3, true);
    v.setInt32(22, 2, true);
    v.setUint16(26, 1, true);
    v.setUint16(28, 1, true);
    v.setUint32(46, 2, true);
    out.set([0, 0, 0, 0, 255, 255, 255, 0], 54);
    out[62] = 0b10100000;
    out[66] = 0b01000000;
    const img = decodeBmp(out);
    const red = Array.from({ length: 6 }, (_, i) => img.rgba[i * 4]);
    expect(red).toEqual([0, 255, 0, 255, 0, 255]);
    v.setUint32(30, 1, true); // BI_RLE8
    expect(() => decodeBmp(out)).toThrow('compressed BMPs (method 1) are not supported');
  });

  it('decodes PNG exactly and JPEG within its loss', async () => {
    const want = glyph(16, 12, 3);
    const p = await jsImageDecoder.decode(png(16, 12, 3), 'png');
    expect(Array.from(p.rgba)).toEqual(Array.from(want));
    const j = await jsImageDecoder.decode(jpeg(16, 12, 3), 'jpeg');
    let worst = 0;
    for (let i = 0; i < want.length; i++)
      worst = Math.max(worst, Math.abs((j.rgba[i] as number) - (want[i] as number)));
    expect(worst).toBeLessThan(60);
    expect(headerSize(pngHeaderOnly(70000, 900))).toEqual({ width: 70000, height: 900 });
    expect(sniffImage(new TextEncoder().encode('hello, world'))).toBeNull();
  });

  it('area-averages: mean pooling on integer factors, total conserved otherwise', () => {
    const src = Float32Array.from({ length: 4 * 6 * 2 }, (_, i) => (i * 7) % 11);
    const out = resizeArea(src, 4, 6, 2, 2, 3);
    // output (0, 0), channel 1: mean of rows 0–1, columns 0–1
    const at = (y: number, x: number, c: number) => src[(y * 6 + x) * 2 + c] as number;
    expect(out[1]).toBeCloseTo((at(0, 0, 1) + at(0, 1, 1) + at(1, 0, 1) + at(1, 1, 1)) / 4, 5);
    const big = Float32Array.from({ length: 105 * 105 }, (_, i) => (i % 13 === 0 ? 1 : 0));
    const small = resizeArea(big, 105, 105, 1, 28, 28);
    const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
    expect(sum(small)).toBeCloseTo(sum(big) * (28 / 105) ** 2, 3);
    expect(() => resizeArea(big, 100, 105, 1, 28, 28)).toThrow('is not 100×105×1');
  });
});

describe('asset download', () => {
  it('reports progress to the final byte and names the URL on failure', async () => {
    const body = new Uint8Array(3000).map((_, i) => i % 256);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 3; i++) c.enqueue(body.subarray(i * 1000, (i + 1) * 1000));
        c.close();
      },
    });
    const fake = (async () =>
      new Response(stream, { headers: { 'content-length': '3000' } })) as typeof fetch;
    const seen: [number, number | null][] = [];
    const got = await fetchWithProgress(
      'https://x/omniglot.bin',
      (l, t) => seen.push([l, t]),
      fake,
    );
    expect(got).toEqual(body);
    expect(seen).toEqual([
      [0, 3000],
      [1000, 3000],
      [2000, 3000],
      [3000, 3000],
    ]);
    const missing = (async () =>
      new Response('no', { status: 404, statusText: 'Not Found' })) as typeof fetch;
    await expect(fetchWithProgress('https://x/a.bin', () => {}, missing)).rejects.toThrow(
      'Could not download https://x/a.bin: HTTP 404 Not Found.',
    );
  });
});
