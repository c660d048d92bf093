/**
 * One live chart: a titled figure with a recharts line chart and, under it,
 * the sentence with its key numbers, which is also the figure's accessible
 * description (the drawing itself is hidden from assistive technology).
 *
 * recharts draws in the chart worker (charts/offthread): a redraw there
 * costs the page one markup assignment, where recharts on the main thread
 * made 50–400 ms tasks. The page keeps what must answer at once: the
 * hover mark (nearest point's values) in an overlay with the same scales,
 * since the drawing's margins and domains are fixed by the page.
 */
import { memo, useId, useMemo, useState, type MouseEvent } from 'react';
import { fmt } from '../format';
import { useWidth } from '../useWidth';
import { ChartDrawing } from './offthread/ChartDrawing';
import { axisSpec } from './offthread/axis';
import type { LineDrawing } from './offthread/protocol';
import { linearScale, ticks, type Scale } from './shape';
import { STEP_AXIS } from './units';

export interface Series {
  key: string;
  name: string;
  color: string;
  width?: number;
  dots?: boolean;
}

type Bound = number | 'auto';

export interface LineFigureProps {
  title: string;
  /** the y axis's unit in words, shown in the caption (charts/units.ts) */
  unit: string;
  /** its short form, written along the y axis */
  axis: string;
  /** the x axis's name (default: meta-step) */
  xAxis?: string;
  /** a sentence under the summary (units, normalization) */
  note?: string;
  summary: string;
  /** sorted by step; series values are read as row[series.key] */
  data: readonly { step: number }[];
  series: Series[];
  empty: string;
  testId: string;
  yDomain?: [Bound, Bound];
  yFormat?: (v: number) => string;
  height?: number;
  /** wait this long after a change before drawing (ChartDrawing's delayMs) */
  delayMs?: number;
}

const M = { top: 8, right: 16, bottom: 34, left: 62 };
const AUTO: [Bound, Bound] = ['auto', 'auto'];
const TEXT = { fontSize: 11, fill: '#5b6475' };

function valueOf(row: { step: number }, key: string): number {
  const v = (row as unknown as Record<string, unknown>)[key];
  return typeof v === 'number' ? v : NaN;
}

/** The y range: fixed bounds where given, else the finite data range padded by 5%. */
export function yExtent(
  data: readonly { step: number }[],
  keys: readonly string[],
  domain: [Bound, Bound],
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of data)
    for (const k of keys) {
      const v = valueOf(row, k);
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  const pad = 0.05 * (hi - lo || Math.abs(hi) || 1);
  const y0 = domain[0] === 'auto' ? lo - pad : domain[0];
  const y1 = domain[1] === 'auto' ? hi + pad : domain[1];
  return y1 > y0 ? [y0, y1] : [y0, y0 + 1];
}

/** Index of the row whose step is nearest to `step` (rows sorted by step). */
export function nearestIndex(data: readonly { step: number }[], step: number): number {
  let lo = 0;
  let hi = data.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((data[mid] as { step: number }).step < step) lo = mid;
    else hi = mid;
  }
  const a = data[lo]?.step ?? 0;
  const b = data[hi]?.step ?? 0;
  return Math.abs(step - a) <= Math.abs(b - step) ? lo : hi;
}

interface Drawing {
  sx: Scale;
  sy: Scale;
  chart: LineDrawing;
}

function draw(
  data: readonly { step: number }[],
  series: Series[],
  domain: [Bound, Bound],
  w: number,
  h: number,
  yFormat: (v: number) => string,
  xName: string,
  yName: string,
): Drawing {
  const last = data[data.length - 1]?.step ?? 0;
  const xMax = Math.max(last, 1);
  const sx = linearScale(0, xMax, M.left, w - M.right);
  const [y0, y1] = yExtent(
    data,
    series.map((s) => s.key),
    domain,
  );
  const sy = linearScale(y0, y1, h - M.bottom, M.top);
  const xTicks = ticks(0, xMax, Math.max(2, Math.floor((w - M.left - M.right) / 80))).filter((t) =>
    Number.isInteger(t),
  );
  const keys = series.map((s) => s.key);
  const rows = data.map((r) => {
    const row: Record<string, number | null> = { step: r.step };
    for (const k of keys) {
      const v = valueOf(r, k);
      row[k] = Number.isFinite(v) ? v : null;
    }
    return row;
  });
  const chart: LineDrawing = {
    kind: 'line',
    width: w,
    height: h,
    margins: M,
    x: axisSpec(0, xMax, String, xName, xTicks),
    y: axisSpec(y0, y1, yFormat, yName),
    rows,
    xKey: 'step',
    series: series.map((s) => ({
      key: s.key,
      color: s.color,
      width: s.width ?? 1.5,
      dots: s.dots ?? false,
      attrs: { 'data-series': s.key },
    })),
  };
  return { sx, sy, chart };
}

function LineFigureImpl(p: LineFigureProps) {
  const id = useId();
  const [ref, width] = useWidth<HTMLDivElement>();
  const [hover, setHover] = useState<number | null>(null);
  const yFormat = p.yFormat ?? fmt;
  const height = p.height ?? 190;
  const domain = p.yDomain ?? AUTO;
  const xName = p.xAxis ?? STEP_AXIS;
  const drawing = useMemo(
    () =>
      width > 0 && p.data.length > 0
        ? draw(p.data, p.series, domain, width, height, yFormat, xName, p.axis)
        : null,
    [p.data, p.series, domain, width, height, yFormat, xName, p.axis],
  );
  const hovered = hover !== null && hover < p.data.length ? p.data[hover] : undefined;
  const onMove = (e: MouseEvent<SVGSVGElement>) => {
    if (!drawing) return;
    const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
    setHover(nearestIndex(p.data, drawing.sx.invert(x)));
  };
  return (
    <figure
      className="chart"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-s`}
      data-testid={p.testId}
    >
      <figcaption id={`${id}-t`}>
        {p.title} <span className="chart-unit">({p.unit})</span>
      </figcaption>
      <div className="chart-canvas" aria-hidden="true" style={{ height }} ref={ref}>
        {p.data.length === 0 && <p className="chart-empty">{p.empty}</p>}
        {drawing && (
          <ChartDrawing
            drawing={drawing.chart}
            {...(p.delayMs ? { delayMs: p.delayMs } : {})}
            overlay={
              <svg
                className="chart-overlay"
                width={width}
                height={height}
                onMouseMove={onMove}
                onMouseLeave={() => setHover(null)}
              >
                {hovered && (
                  <HoverMark
                    row={hovered}
                    series={p.series}
                    drawing={drawing}
                    width={width}
                    height={height}
                    yFormat={yFormat}
                  />
                )}
              </svg>
            }
          />
        )}
      </div>
      {p.series.length > 1 && (
        <ul className="legend" aria-hidden="true">
          {p.series.map((s) => (
            <li key={s.key}>
              <span className="swatch" style={{ background: s.color }} /> {s.name}
            </li>
          ))}
        </ul>
      )}
      <p className="chart-summary" id={`${id}-s`} data-testid={`${p.testId}-summary`}>
        {p.summary}
      </p>
      {p.note && (
        <p className="chart-note muted" data-testid={`${p.testId}-note`}>
          {p.note}
        </p>
      )}
    </figure>
  );
}

function HoverMark(props: {
  row: { step: number };
  series: Series[];
  drawing: Drawing;
  width: number;
  height: number;
  yFormat: (v: number) => string;
}) {
  const { row, series, drawing, width, height, yFormat } = props;
  const x = drawing.sx(row.step);
  const lines = [
    `step ${row.step}`,
    ...series.map((s) => `${s.name}: ${yFormat(valueOf(row, s.key))}`),
  ];
  const boxW = 8 + 6.2 * Math.max(...lines.map((l) => l.length));
  const boxX = x + boxW + 12 > width ? x - boxW - 6 : x + 6;
  return (
    <g pointerEvents="none">
      <line x1={x} x2={x} y1={M.top} y2={height - M.bottom} stroke="#9aa3b5" />
      <rect
        x={boxX}
        y={M.top}
        width={boxW}
        height={6 + 14 * lines.length}
        fill="#ffffff"
        stroke="#c6cbd6"
        rx={4}
      />
      {lines.map((l, i) => (
        <text key={i} x={boxX + 4} y={M.top + 15 + 14 * i} {...TEXT} fill="#1f2937">
          {l}
        </text>
      ))}
    </g>
  );
}

export const LineFigure = memo(LineFigureImpl);
