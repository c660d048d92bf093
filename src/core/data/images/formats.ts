/**
 * What an uploaded file is, from its first bytes (never its name), and how
 * large it claims to be, from its header (image-size reads only the header),
 * so a huge image is refused before any pixel is decoded. Decoders return
 * RGBA bytes; everything after decoding works on those.
 */
import { imageSize } from 'image-size';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'bmp';

/** Images larger than this (by their header) are refused before decoding. */
export const MAX_IMAGE_PIXELS = 50_000_000;

export interface DecodedImage {
  width: number;
  height: number;
  /** row-major RGBA, 4 bytes per pixel */
  rgba: Uint8Array | Uint8ClampedArray;
}

/** Turns encoded bytes of a known format into RGBA; throws on corrupt data. */
export interface ImageDecoder {
  /** formats this decoder can handle (the CLI's cannot do WebP) */
  readonly formats: readonly ImageFormat[];
  /** what to tell the person about a format it cannot handle */
  readonly unsupportedNote?: string;
  decode(bytes: Uint8Array, format: ImageFormat): Promise<DecodedImage>;
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

export function sniffImage(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return 'webp';
  if (startsWith(bytes, [0x42, 0x4d]) && bytes.length >= 26) return 'bmp';
  return null;
}

/** Width and height from the header, or null when the header cannot be read. */
export function headerSize(bytes: Uint8Array): { width: number; height: number } | null {
  try {
    const s = imageSize(bytes);
    return s.width > 0 && s.height > 0 ? { width: s.width, height: s.height } : null;
  } catch {
    return null;
  }
}
