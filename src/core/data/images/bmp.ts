/**
 * A BMP reader for the common uncompressed kinds: BITMAPINFOHEADER or later
 * with 24 or 32 bits per pixel (BI_RGB, or BI_BITFIELDS with the usual
 * masks read as BGRA), and 1, 4 or 8 bits per pixel with a palette. Rows
 * are stored bottom-up unless the height is negative and padded to 4 bytes.
 * Anything else (RLE compression, 16-bit) throws with the reason, which the
 * stager reports as a corrupt or unsupported image naming the file.
 */
import type { DecodedImage } from './formats';

export function decodeBmp(bytes: Uint8Array): DecodedImage {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 54) throw new Error('the BMP header is cut short');
  const dataAt = v.getUint32(10, true);
  const headerSize = v.getUint32(14, true);
  if (headerSize < 40) throw new Error(`BMP core headers (${headerSize} bytes) are not supported`);
  const width = v.getInt32(18, true);
  const rawHeight = v.getInt32(22, true);
  const bpp = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) throw new Error(`the BMP claims ${width}×${rawHeight} pixels`);
  if (compression !== 0 && !(compression === 3 && (bpp === 32 || bpp === 24))) {
    throw new Error(`compressed BMPs (method ${compression}) are not supported`);
  }
  if (![1, 4, 8, 24, 32].includes(bpp)) throw new Error(`${bpp}-bit BMPs are not supported`);
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataAt + stride * height > bytes.length) throw new Error('the BMP pixel data is cut short');
  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const colours = v.getUint32(46, true) || 1 << bpp;
    palette = bytes.subarray(14 + headerSize, 14 + headerSize + colours * 4);
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = dataAt + (rawHeight > 0 ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (palette) {
        const bit = x * bpp;
        const byte = bytes[row + (bit >> 3)] as number;
        const index = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        rgba[o] = palette[index * 4 + 2] ?? 0;
        rgba[o + 1] = palette[index * 4 + 1] ?? 0;
        rgba[o + 2] = palette[index * 4] ?? 0;
        rgba[o + 3] = 255;
      } else {
        const p = row + x * (bpp / 8);
        rgba[o] = bytes[p + 2] as number;
        rgba[o + 1] = bytes[p + 1] as number;
        rgba[o + 2] = bytes[p] as number;
        // 32-bit BMPs mostly leave the fourth byte at 0: treat them as opaque.
        rgba[o + 3] = 255;
      }
    }
  }
  return { width, height, rgba };
}
