/**
 * The drawing → 28×28 conversion of the draw-to-adapt panel: known strokes
 * give known pixels (coverage of a 1.5-pixel pen, fitted to 16 of 28 pixels
 * and centred), rows are image rows (y down), and where or how large the
 * person draws does not change the image.
 */
import { describe, expect, it } from 'vitest';
import { BOX_SIZE, STROKE_WIDTH, fitStrokes, rasterize } from '../../../src/ui/draw/rasterize';

const px = (img: Float32Array, x: number, y: number, size = 28) => img[y * size + x] as number;
const sum = (img: Float32Array) => img.reduce((a, v) => a + v, 0);

describe('rasterize', () => {
  it('draws a horizontal line as two rows of 0.75 coverage at the centre, 16 pixels long', () => {
    // canvas units: a 300-pixel canvas, a line across its middle
    const img = rasterize([
      [
        { x: 60, y: 150 },
        { x: 240, y: 150 },
      ],
    ]);
    expect(img).toHaveLength(28 * 28);
    // fitted: x from 6 to 22 on y = 14; the pen covers y 13.25–14.75
    for (let x = 7; x <= 20; x++) {
      expect(px(img, x, 13)).toBe(0.75);
      expect(px(img, x, 14)).toBe(0.75);
      expect(px(img, x, 12)).toBe(0);
      expect(px(img, x, 15)).toBe(0);
    }
    // round caps reach 0.75 beyond the ends, no further
    expect(px(img, 5, 14)).toBeGreaterThan(0);
    expect(px(img, 4, 14)).toBe(0);
    expect(px(img, 22, 14)).toBeGreaterThan(0);
    expect(px(img, 23, 14)).toBe(0);
    // ink = length × width + the two half-disc caps (π r²), to the sampling's precision
    const r = STROKE_WIDTH / 2;
    expect(sum(img)).toBeCloseTo(BOX_SIZE * STROKE_WIDTH + Math.PI * r * r, 0);
    expect(Math.max(...img)).toBeLessThanOrEqual(1);
  });

  it('keeps the orientation: an L has its corner bottom-left and the top-right empty', () => {
    const img = rasterize([
      [
        { x: 0, y: 0 },
        { x: 0, y: 10 },
        { x: 10, y: 10 },
      ],
    ]);
    // mapped to x 6..22, y 6..22: the upright at x = 6, the foot at y = 22
    expect(px(img, 5, 12)).toBe(0.75);
    expect(px(img, 6, 12)).toBe(0.75);
    expect(px(img, 15, 21)).toBe(0.75);
    expect(px(img, 15, 22)).toBe(0.75);
    expect(px(img, 20, 8)).toBe(0);
    expect(px(img, 12, 12)).toBe(0);
    // where the two strokes overlap: all but the square's top-right 2 × 2 of 8 × 8 samples
    expect(px(img, 6, 21)).toBe(1 - 4 / 64);
  });

  it('gives the same image wherever and however large the symbol is drawn', () => {
    const shape = (dx: number, dy: number, k: number) => [
      [
        { x: dx, y: dy },
        { x: dx + 3 * k, y: dy + 4 * k },
        { x: dx + 5 * k, y: dy + k },
      ],
      [{ x: dx + k, y: dy + 4 * k }],
    ];
    const a = rasterize(shape(10, 20, 7));
    const b = rasterize(shape(180, 3, 31));
    expect(Array.from(a)).toEqual(Array.from(b));
    // the second stroke, a dot, is there
    expect(sum(a)).toBeGreaterThan(sum(rasterize([shape(10, 20, 7)[0]!])));
  });

  it('puts a lone dot at the centre as a pen-sized disc; nothing drawn is blank', () => {
    const dot = rasterize([[{ x: 3, y: 99 }]]);
    expect(sum(dot)).toBeCloseTo(Math.PI * (STROKE_WIDTH / 2) ** 2, 1);
    expect(px(dot, 13, 13)).toBeGreaterThan(0);
    expect(px(dot, 14, 14)).toBeGreaterThan(0);
    expect(px(dot, 10, 10)).toBe(0);
    expect(sum(rasterize([]))).toBe(0);
    expect(fitStrokes([], 28, 16)).toEqual([]);
  });

  it('scales to other image sizes', () => {
    const img = rasterize(
      [
        [
          { x: 0, y: 5 },
          { x: 10, y: 5 },
        ],
      ],
      { size: 56 },
    );
    expect(img).toHaveLength(56 * 56);
    // twice the length and twice the width: four times the ink of the 28-pixel line
    const small = rasterize([
      [
        { x: 0, y: 5 },
        { x: 10, y: 5 },
      ],
    ]);
    expect(sum(img) / sum(small)).toBeCloseTo(4, 1);
  });
});
