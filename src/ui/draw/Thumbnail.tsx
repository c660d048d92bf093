/**
 * A model input image (ink coverage in [0, 1], rows y · size + x) shown as
 * it looks: ink dark on light paper, each pixel a visible square.
 */
import { useEffect, useRef } from 'react';

interface Props {
  image: Float32Array;
  size: number;
  label: string;
  /** on-screen side in CSS pixels */
  scale?: number;
}

export function Thumbnail({ image, size, label, scale = 56 }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const data = ctx.createImageData(size, size);
    for (let p = 0; p < size * size; p++) {
      const v = Math.round(255 * (1 - Math.min(1, Math.max(0, image[p] ?? 0))));
      data.data.set([v, v, v, 255], p * 4);
    }
    ctx.putImageData(data, 0, 0);
  }, [image, size]);
  return (
    <canvas
      ref={ref}
      className="draw-thumb"
      width={size}
      height={size}
      style={{ width: scale, height: scale }}
      role="img"
      aria-label={label}
    />
  );
}
