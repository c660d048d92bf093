/**
 * Where the data picture's points go: the extent of all panels (one scale
 * for every panel, so tasks compare at a glance), with a 5% margin, and
 * each panel as a drawing for the chart worker, its points grouped by how
 * they look (one recharts Scatter per group, not per point). Pure,
 * unit-tested.
 */
import type { PreviewPanel } from '../../core/data/preview';
import type { PointSetSpec, ScatterDrawing } from '../charts/offthread/protocol';

/** Okabe–Ito colours: told apart with the common colour-vision deficiencies. */
export const PREVIEW_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];

/** Room around the points inside a panel, so a circle at the extent's edge is drawn whole. */
export const PANEL_MARGINS = { top: 6, right: 6, bottom: 6, left: 6 };

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

/** One panel on the shared extent: support points filled, query points open, coloured by class. */
export function panelDrawing(
  panel: PreviewPanel,
  box: { x: [number, number]; y: [number, number] },
  width: number,
  height: number,
): ScatterDrawing {
  const sets = new Map<string, PointSetSpec>();
  for (const q of panel.points) {
    const key = `${q.c}:${q.support}`;
    let set = sets.get(key);
    if (!set) {
      const colour = PREVIEW_COLOURS[q.c % PREVIEW_COLOURS.length] as string;
      set = {
        points: [],
        fill: q.support ? colour : 'none',
        stroke: colour,
        radius: 2.2,
        attrs: { 'data-class': String(q.c), 'data-support': String(q.support) },
      };
      sets.set(key, set);
    }
    set.points.push({ x: q.x, y: q.y });
  }
  return {
    kind: 'scatter',
    width,
    height,
    margins: PANEL_MARGINS,
    x: box.x,
    y: box.y,
    sets: [...sets.values()],
  };
}
