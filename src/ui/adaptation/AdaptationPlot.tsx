/**
 * The picture of Figure 2 of the MAML paper, live: on a 1-D regression task,
 * the true function (or the query points when it is unknown), the K support
 * points, the meta-learned model before adaptation and after the slider's
 * number of steps, and both baselines after the same steps.
 *
 * recharts draws it in the chart worker (charts/offthread), so a slider move
 * costs the page one markup assignment. The page keeps the click: the
 * drawing's margins and domains are the page's, so a click maps back to data
 * coordinates (to add a support point there) with the same scales. The
 * drawing is hidden from assistive technology; the sentence under it and
 * the "Add support point" form are the accessible route to the same thing.
 */
import { memo, useId, useMemo, useRef, type MouseEvent } from 'react';
import { ImageExport } from './ImageExport';
import type { AdaptResult } from '../../worker/adapt-types';
import { fmt } from '../format';
import { META_COLOR, SUPPORT_COLOR, TRUTH_COLOR, modelColor, modelLabel } from './models';
import { ChartDrawing } from '../charts/offthread/ChartDrawing';
import { axisSpec } from '../charts/offthread/axis';
import type { AdaptationDrawing, LineSeriesSpec, MarkerSpec } from '../charts/offthread/protocol';
import { linearScale, ticks, yRange } from '../charts/shape';
import { useWidth } from '../useWidth';

export interface AdaptationPlotProps {
  result: AdaptResult;
  step: number;
  summary: string;
  onAddPoint?: (x: number, y: number) => void;
}

const HEIGHT = 300;
const M = { top: 10, right: 14, bottom: 26, left: 44 };
const round3 = (v: number) => Math.round(v * 1000) / 1000;

interface Curve {
  key: string;
  model: string;
  step: number;
  label: string;
  color: string;
  dash?: string;
  width: number;
  values: Float32Array;
}

function curvesAt(r: AdaptResult, step: number): Curve[] {
  const out: Curve[] = [];
  const [main, ...baselines] = r.models;
  if (!main) return out;
  const before = main.predictions[0];
  if (before && step > 0)
    out.push({
      key: `${main.name}-0`,
      model: main.name,
      step: 0,
      label: `${modelLabel(main.name)}, before adaptation`,
      color: '#93b4f5',
      dash: '6 4',
      width: 1.8,
      values: before,
    });
  for (const b of baselines) {
    const v = b.predictions[step];
    if (v)
      out.push({
        key: `${b.name}-${step}`,
        model: b.name,
        step,
        label: `${modelLabel(b.name)}, ${step} step${step === 1 ? '' : 's'}`,
        color: modelColor(b.name),
        width: 1.8,
        values: v,
      });
  }
  const after = main.predictions[step];
  if (after)
    out.push({
      key: `${main.name}-${step}`,
      model: main.name,
      step,
      label: `${modelLabel(main.name)}, ${step} step${step === 1 ? '' : 's'}`,
      color: META_COLOR,
      width: 2.6,
      values: after,
    });
  return out;
}

/** The plot as plain data for the chart worker: curves over the grid, then the markers. */
function adaptationDrawing(
  r: AdaptResult,
  grid: Float32Array,
  curves: Curve[],
  w: number,
  y0: number,
  y1: number,
): AdaptationDrawing {
  const x0 = grid[0] as number;
  const x1 = grid[grid.length - 1] as number;
  const lines: { key: string; values: ArrayLike<number> }[] = [];
  const series: LineSeriesSpec[] = [];
  if (r.truth) {
    lines.push({ key: 'truth', values: r.truth });
    series.push({
      key: 'truth',
      color: TRUTH_COLOR,
      width: 2.2,
      dots: false,
      attrs: { 'data-testid': 'adapt-line', 'data-model': 'truth' },
    });
  }
  curves.forEach((c, i) => {
    const key = `c${i}`;
    lines.push({ key, values: c.values });
    series.push({
      key,
      color: c.color,
      width: c.width,
      dots: false,
      ...(c.dash ? { dash: c.dash } : {}),
      attrs: { 'data-testid': 'adapt-line', 'data-model': c.model, 'data-step': String(c.step) },
    });
  });
  const rows = Array.from(grid, (x, j) => {
    const row: Record<string, number | null> = { x };
    for (const l of lines) {
      const v = l.values[j] as number;
      row[l.key] = Number.isFinite(v) ? v : null;
    }
    return row;
  });
  const markers: MarkerSpec[] = [];
  if (!r.truth)
    markers.push({
      shape: 'circle',
      color: '#9ca3af',
      points: Array.from(r.query.x, (x, i) => ({ x, y: r.query.y[i] as number })),
      attrs: { 'data-testid': 'adapt-query' },
    });
  markers.push({
    shape: 'triangle',
    color: SUPPORT_COLOR,
    points: Array.from(r.support.x, (x, i) => ({ x, y: r.support.y[i] as number })),
    attrs: { 'data-testid': 'adapt-support' },
    pointAttrs: Array.from(r.support.x, (x, i) => ({
      'data-x': String(x),
      'data-y': String(r.support.y[i]),
    })),
  });
  return {
    kind: 'adaptation',
    width: w,
    height: HEIGHT,
    margins: M,
    x: axisSpec(x0, x1, fmt, '', ticks(x0, x1)),
    y: axisSpec(y0, y1, fmt, '', ticks(y0, y1)),
    rows,
    xKey: 'x',
    series,
    markers,
  };
}

function AdaptationPlotImpl(p: AdaptationPlotProps) {
  const id = useId();
  const [ref, width] = useWidth<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const r = p.result;
  const grid = r.grid;
  const curves = useMemo(() => curvesAt(r, p.step), [r, p.step]);
  // The y range stays put while the slider moves: it depends on the task, not the step.
  const [y0, y1] = useMemo(() => {
    const anchors = [r.support.y, r.truth ?? r.query.y];
    const all = r.models.flatMap((m) => [m.predictions[0], m.predictions.at(-1)]);
    return yRange(
      anchors,
      all.filter((v): v is Float32Array => v !== undefined),
    );
  }, [r]);
  const w = Math.max(width, 200);
  const drawing = useMemo(
    () => (grid && width > 0 ? adaptationDrawing(r, grid, curves, w, y0, y1) : null),
    [r, grid, curves, w, width, y0, y1],
  );
  if (!grid) return null;
  const x0 = grid[0] as number;
  const x1 = grid[grid.length - 1] as number;
  const sx = linearScale(x0, x1, M.left, w - M.right);
  const sy = linearScale(y0, y1, HEIGHT - M.bottom, M.top);
  const onClick = (e: MouseEvent<SVGSVGElement>) => {
    if (!p.onAddPoint) return;
    const box = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - box.left;
    const py = e.clientY - box.top;
    if (px < M.left || px > w - M.right || py < M.top || py > HEIGHT - M.bottom) return;
    p.onAddPoint(round3(sx.invert(px)), round3(sy.invert(py)));
  };
  return (
    <figure
      className="chart adapt-figure"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-s`}
      data-testid="adaptation-plot"
    >
      <figcaption id={`${id}-t`}>Adaptation to {r.taskLabel}</figcaption>
      <div className="chart-canvas" ref={ref} style={{ height: HEIGHT }} aria-hidden="true">
        {width > 0 && (
          <ChartDrawing
            drawing={drawing}
            svgRef={svgRef}
            overlay={
              <svg
                width={w}
                height={HEIGHT}
                className={
                  p.onAddPoint ? 'chart-overlay adapt-svg clickable' : 'chart-overlay adapt-svg'
                }
                onClick={onClick}
                data-testid="adaptation-svg"
              />
            }
          />
        )}
      </div>
      <ul className="legend" aria-hidden="true">
        {r.truth && (
          <li>
            <span className="swatch" style={{ background: TRUTH_COLOR }} /> true function
          </li>
        )}
        <li>
          <span className="swatch tri" style={{ color: SUPPORT_COLOR }}>
            ▲
          </span>{' '}
          {r.support.x.length} support points
        </li>
        {curves.map((c) => (
          <li key={c.key}>
            <span
              className={c.dash ? 'swatch dashed' : 'swatch'}
              style={{ background: c.dash ? undefined : c.color, borderColor: c.color }}
            />{' '}
            {c.label}
          </li>
        ))}
      </ul>
      <p className="chart-summary" id={`${id}-s`} data-testid="adaptation-plot-summary">
        {p.summary}
      </p>
      <ImageExport svg={svgRef} name={`adaptation-step-${p.step}`} what="the plot" />
    </figure>
  );
}

export const AdaptationPlot = memo(AdaptationPlotImpl);
