/**
 * One small picture of an image episode, drawn from the worker's display
 * bytes (grayscale or RGB, see worker/adapt-images.ts) on a canvas scaled
 * up without smoothing. It is an image to assistive technology, named by
 * its alt text; the bytes are drawn once per picture, not per render.
 */
import { memo, useEffect, useRef } from 'react';

interface Props {
  /** all pictures of the set, HWC bytes, one after the other */
  pixels: Uint8ClampedArray;
  index: number;
  height: number;
  width: number;
  channels: number;
  alt: string;
  /** drawn size in CSS pixels */
  size?: number;
}

export const ImageThumb = memo(function ImageThumb(p: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { pixels, index, height, width, channels } = p;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return; // no canvas (tests without a DOM canvas): the alt text remains
    const n = height * width;
    const rgba = new Uint8ClampedArray(4 * n);
    const at = index * n * channels;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < 3; c++)
        rgba[4 * i + c] = pixels[at + i * channels + (channels === 1 ? 0 : c)] as number;
      rgba[4 * i + 3] = 255;
    }
    ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
  }, [pixels, index, height, width, channels]);
  const size = p.size ?? 42;
  return (
    <canvas
      ref={ref}
      className="image-thumb"
      width={width}
      height={height}
      style={{ width: size, height: (size * height) / width }}
      role="img"
      aria-label={p.alt}
    />
  );
});
