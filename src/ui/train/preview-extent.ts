/**
 * Where the data picture's points go: the extent of all panels (one scale
 * for every panel, so tasks compare at a glance), with a 5% margin. Pure,
 * unit-tested.
 */
import type { PreviewPanel } from '../../core/data/preview';

/** The extent of all panels' points with a 5% margin (a single value gets ±1). */
export function extent(panels: readonly PreviewPanel[]): {
  x: [number, number];
  y: [number, number];
} {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const p of panels)
    for (const q of p.points) {
      x0 = Math.min(x0, q.x);
      x1 = Math.max(x1, q.x);
      y0 = Math.min(y0, q.y);
      y1 = Math.max(y1, q.y);
    }
  const pad = (a: number, b: number): [number, number] => {
    if (!Number.isFinite(a)) return [0, 1];
    if (a === b) return [a - 1, b + 1];
    const m = (b - a) * 0.05;
    return [a - m, b + m];
  };
  return { x: pad(x0, x1), y: pad(y0, y1) };
}
