/**
 * From decoded RGBA to the stored form of an image set: resized by area
 * averaging to size × size (the aspect ratio is not kept: images are
 * stretched to the square, as mini-ImageNet's preprocessing does), either
 * grayscale (ITU-R BT.601 luma) or RGB, transparent pixels composited over
 * white, as bytes 0..255 in HWC order. Whether grayscale sets are inverted
 * (dark ink on light paper → ink = 1) is decided later for the whole set.
 */
import type { DecodedImage } from './formats';
import { resizeArea } from './resize';

export function toStoredBytes(img: DecodedImage, size: number, channels: 1 | 3): Uint8Array {
  const { width, height, rgba } = img;
  const src = new Float32Array(width * height * channels);
  for (let i = 0; i < width * height; i++) {
    const a = (rgba[i * 4 + 3] as number) / 255;
    const over = (c: number) => ((rgba[i * 4 + c] as number) * a + 255 * (1 - a)) / 255;
    if (channels === 1) {
      src[i] = 0.299 * over(0) + 0.587 * over(1) + 0.114 * over(2);
    } else {
      src[i * 3] = over(0);
      src[i * 3 + 1] = over(1);
      src[i * 3 + 2] = over(2);
    }
  }
  const small = resizeArea(src, height, width, channels, size, size);
  const out = new Uint8Array(small.length);
  for (let i = 0; i < small.length; i++) {
    out[i] = Math.round(Math.min(1, Math.max(0, small[i] as number)) * 255);
  }
  return out;
}

/** A small copy for the summary's thumbnail grid, as the image looks (not inverted). */
export function thumbnail(stored: Uint8Array, size: number, channels: 1 | 3, to = 24): Uint8Array {
  if (size <= to) return stored.slice();
  const small = resizeArea(Float32Array.from(stored), size, size, channels, to, to);
  return Uint8Array.from(small, (v) => Math.round(v));
}
