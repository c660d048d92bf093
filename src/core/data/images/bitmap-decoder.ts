/**
 * The decoder for the browser worker: the browser's own codecs through
 * createImageBitmap (PNG, JPEG, WebP, BMP), drawn on an OffscreenCanvas to
 * read RGBA back. Large images are decoded at a reduced size
 * (resizeWidth/Height, keeping the aspect ratio, at most `maxSide` per side)
 * so a big photo costs a small canvas; the stager resizes again to the
 * backbone's input by area averaging.
 */
import type { DecodedImage, ImageDecoder, ImageFormat } from './formats';

const MIME: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  bmp: 'image/bmp',
};

export function bitmapImageDecoder(maxSide = 512): ImageDecoder {
  return {
    formats: ['png', 'jpeg', 'webp', 'bmp'],
    async decode(bytes: Uint8Array, format: ImageFormat): Promise<DecodedImage> {
      const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: MIME[format] });
      const probe = await createImageBitmap(blob);
      const [w0, h0] = [probe.width, probe.height];
      const scale = Math.min(1, maxSide / Math.max(w0, h0));
      let bitmap = probe;
      if (scale < 1) {
        probe.close();
        bitmap = await createImageBitmap(blob, {
          resizeWidth: Math.max(1, Math.round(w0 * scale)),
          resizeHeight: Math.max(1, Math.round(h0 * scale)),
          resizeQuality: 'high',
        });
      }
      const { width, height } = bitmap;
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2D canvas in this browser');
      ctx.drawImage(bitmap, 0, 0);
      bitmap.close();
      return { width, height, rgba: ctx.getImageData(0, 0, width, height).data };
    },
  };
}
