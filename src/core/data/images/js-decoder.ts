/**
 * The decoder for Node (the CLI, tests): pure JavaScript, PNG by fast-png,
 * JPEG by jpeg-js, BMP by ./bmp. WebP has no pure-JavaScript decoder among
 * the project's dependencies, so this decoder does not list it and the
 * stager refuses WebP files by name with `unsupportedNote`.
 */
import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import { decodeBmp } from './bmp';
import {
  MAX_IMAGE_PIXELS,
  type DecodedImage,
  type ImageDecoder,
  type ImageFormat,
} from './formats';

function pngToRgba(bytes: Uint8Array): DecodedImage {
  const png = decodePng(bytes);
  const { width, height } = png;
  let data = png.data;
  let channels = png.channels;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = png.palette[0]?.length ?? 3;
  }
  // 16-bit samples keep their high byte.
  const shift = data instanceof Uint16Array ? 8 : 0;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = (k: number) => (data[i * channels + k] as number) >> shift;
    const [r, g, b, a] =
      channels === 1
        ? [s(0), s(0), s(0), 255]
        : channels === 2
          ? [s(0), s(0), s(0), s(1)]
          : channels === 3
            ? [s(0), s(1), s(2), 255]
            : [s(0), s(1), s(2), s(3)];
    rgba.set([r, g, b, a], i * 4);
  }
  return { width, height, rgba };
}

export const jsImageDecoder: ImageDecoder = {
  formats: ['png', 'jpeg', 'bmp'],
  unsupportedNote:
    'WebP images cannot be decoded by the command line (no WebP decoder for Node here); convert them to PNG, or upload them in the app.',
  async decode(bytes: Uint8Array, format: ImageFormat): Promise<DecodedImage> {
    switch (format) {
      case 'png':
        return pngToRgba(bytes);
      case 'jpeg': {
        const j = decodeJpeg(bytes, {
          useTArray: true,
          formatAsRGBA: true,
          maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
        });
        return { width: j.width, height: j.height, rgba: j.data };
      }
      case 'bmp':
        return decodeBmp(bytes);
      case 'webp':
        throw new Error('WebP is not supported by this decoder');
    }
  },
};
