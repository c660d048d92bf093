/**
 * Generated image fixtures for the upload tests: PNGs by fast-png, JPEGs by
 * jpeg-js, 24-bit BMPs written here by the file layout (14-byte file header,
 * 40-byte info header, bottom-up BGR rows padded to 4 bytes), zips by
 * fflate. A "glyph" is a dark stroke pattern on white paper that differs by
 * seed, so classes are distinguishable.
 */
import { zipSync } from 'fflate';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';

/** RGBA of a w×h white image with a dark bar whose position depends on `seed`. */
export function glyph(w: number, h: number, seed: number): Uint8Array {
  const rgba = new Uint8Array(w * h * 4).fill(255);
  const col = Math.floor((((seed * 7) % 10) / 10) * w);
  for (let y = 0; y < h; y++) {
    for (let x = col; x < Math.min(w, col + Math.max(1, Math.floor(w / 5))); x++) {
      rgba.set([0, 0, 0, 255], (y * w + x) * 4);
    }
  }
  return rgba;
}

export function png(w: number, h: number, seed = 0): Uint8Array {
  return encodePng({ width: w, height: h, data: glyph(w, h, seed), channels: 4, depth: 8 });
}

export function jpeg(w: number, h: number, seed = 0): Uint8Array {
  return new Uint8Array(encodeJpeg({ width: w, height: h, data: glyph(w, h, seed) }, 95).data);
}

export function bmp24(w: number, h: number, rgba: Uint8Array): Uint8Array {
  const stride = Math.ceil((w * 3) / 4) * 4;
  const out = new Uint8Array(54 + stride * h);
  const v = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  v.setUint32(2, out.length, true);
  v.setUint32(10, 54, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, w, true);
  v.setInt32(22, h, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, 24, true);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 4;
      const d = 54 + (h - 1 - y) * stride + x * 3;
      out.set([rgba[s + 2] as number, rgba[s + 1] as number, rgba[s] as number], d);
    }
  }
  return out;
}

/** A PNG whose header claims w×h but carries no real pixel data. */
export function pngHeaderOnly(w: number, h: number): Uint8Array {
  const real = png(4, 4);
  const out = real.slice();
  const v = new DataView(out.buffer);
  v.setUint32(16, w);
  v.setUint32(20, h);
  return out;
}

/** "letters/<class>/<i>.png" for each class, `per` images each. */
export function letterFiles(classes: string[], per: number, size = 40): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  classes.forEach((c, ci) => {
    for (let i = 0; i < per; i++) files[`letters/${c}/${i}.png`] = png(size, size, ci);
  });
  return files;
}

export function zip(files: Record<string, Uint8Array>): Uint8Array {
  return zipSync(files, { level: 6 });
}
