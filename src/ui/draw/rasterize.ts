/**
 * A drawing (pen strokes in canvas coordinates) turned into the model's input
 * the way the Omniglot asset was made (scripts/build-omniglot.ts): a binary
 * ink image averaged by area down to size × size, so each pixel is the share
 * of its square covered by ink, 0 = paper, 1 = fully inked (the asset's
 * polarity, and that of grayscale image sets after their inversion).
 *
 * Two choices make a drawing look like an Omniglot character to the network:
 * - scale and place: the drawing's bounding box is scaled, keeping its aspect
 *   ratio, to BOX_SIZE of the 28 pixels and centred, because Omniglot
 *   characters span about 15 of 28 pixels around the middle (measured on the
 *   background set: mean bounding box x 6.1–20.3, y 5.1–21.0), whereas a
 *   person fills whatever canvas they are given;
 * - pen width: STROKE_WIDTH pixels of the output (the asset's strokes are
 *   about 1.5 pixels wide: 62 units of ink per image), whatever the scale.
 *
 * Coverage is measured on a SUPERSAMPLE × SUPERSAMPLE grid of sample points
 * per output pixel (at the sub-squares' centres): a sample is inked when it
 * lies within half the pen width of a stroke segment (round caps and joins).
 *
 * Pure and DOM-free, so Node tests can check known strokes against known
 * pixels. Output rows are image rows, flattened y · size + x (HWC, C = 1).
 */

export interface Point {
  x: number;
  y: number;
}

/** One pen-down … pen-up path; a single point is a dot. */
export type Stroke = readonly Point[];

/** Of the 28 pixels of the frame, the span of the drawing's longer side. */
export const BOX_SIZE = 16;
/** Pen width in output pixels (of 28). */
export const STROKE_WIDTH = 1.5;
export const SUPERSAMPLE = 8;

export interface RasterOptions {
  /** output side in pixels (the image shape of the data; 28 for Omniglot) */
  size?: number;
  /** fit the bounding box to this many pixels of a 28-pixel frame (scaled with size) */
  box?: number;
  /** pen width in pixels of a 28-pixel frame (scaled with size) */
  width?: number;
}

/** Where the strokes land in output pixel coordinates: bounding box fitted and centred. */
export function fitStrokes(strokes: readonly Stroke[], size: number, box: number): Point[][] {
  const points = strokes.flat();
  if (points.length === 0) return [];
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    x1 = Math.max(x1, p.x);
    y0 = Math.min(y0, p.y);
    y1 = Math.max(y1, p.y);
  }
  const span = Math.max(x1 - x0, y1 - y0);
  // A lone dot has no extent: it is placed at the centre at pen size.
  const scale = span > 0 ? box / span : 0;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return strokes.map((s) =>
    s.map((p) => ({ x: size / 2 + (p.x - cx) * scale, y: size / 2 + (p.y - cy) * scale })),
  );
}

/** Squared distance from (px, py) to the segment a–b. */
function segmentDistance2(px: number, py: number, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / len2)) : 0;
  const ex = px - (a.x + t * dx);
  const ey = py - (a.y + t * dy);
  return ex * ex + ey * ey;
}

/** The strokes as a size × size image of ink coverage in [0, 1] (see the file comment). */
export function rasterize(strokes: readonly Stroke[], opts: RasterOptions = {}): Float32Array {
  const size = opts.size ?? 28;
  const box = ((opts.box ?? BOX_SIZE) * size) / 28;
  const r = ((opts.width ?? STROKE_WIDTH) * size) / 28 / 2;
  const S = SUPERSAMPLE;
  const fine = size * S;
  const inked = new Uint8Array(fine * fine);
  for (const stroke of fitStrokes(strokes, size, box)) {
    if (stroke.length === 0) continue;
    const segments = stroke.length === 1 ? [[stroke[0], stroke[0]]] : [];
    for (let i = 1; i < stroke.length; i++) segments.push([stroke[i - 1], stroke[i]]);
    for (const [a, b] of segments as [Point, Point][]) {
      // only the sample points within the segment's box grown by the pen radius
      const lo = (v: number) => Math.max(0, Math.floor((v - r) * S - 0.5));
      const hi = (v: number) => Math.min(fine - 1, Math.ceil((v + r) * S - 0.5));
      for (let j = lo(Math.min(a.y, b.y)); j <= hi(Math.max(a.y, b.y)); j++) {
        const py = (j + 0.5) / S;
        for (let i = lo(Math.min(a.x, b.x)); i <= hi(Math.max(a.x, b.x)); i++) {
          if (segmentDistance2((i + 0.5) / S, py, a, b) <= r * r) inked[j * fine + i] = 1;
        }
      }
    }
  }
  const out = new Float32Array(size * size);
  for (let j = 0; j < fine; j++) {
    const row = Math.floor(j / S) * size;
    for (let i = 0; i < fine; i++) {
      const p = row + Math.floor(i / S);
      if (inked[j * fine + i]) out[p] = (out[p] as number) + 1;
    }
  }
  for (let p = 0; p < out.length; p++) out[p] = (out[p] as number) / (S * S);
  return out;
}
