/**
 * The recharts drawing of the adaptation plot, loaded lazily with recharts:
 * the true function (or the query points), the model curves the caller
 * picked for the slider's step, and the support points as triangles.
 *
 * A click maps back to data coordinates through recharts' own inverse
 * scales (read by a child inside the chart), so a new support point lands
 * where the pointer was. The axes' domains are fixed by the caller and
 * overflow is clipped: one blown-up model leaves the plot instead of
 * flattening it. Every prop object and shape renderer is hoisted or
 * memoized; no series animates.
 */
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  type MouseEvent,
  type RefObject,
} from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Line,
  Scatter,
  XAxis,
  YAxis,
  usePlotArea,
  useXAxisInverseScale,
  useYAxisInverseScale,
} from 'recharts';
import { axisTick } from '../charts/AxisTick';
import type { AdaptResult } from '../../worker/adapt-types';
import { fmt } from '../format';
import { SUPPORT_COLOR, TRUTH_COLOR } from './models';

export interface PlotCurve {
  key: string;
  model: string;
  step: number;
  label: string;
  color: string;
  dash?: string;
  width: number;
  values: Float32Array;
}

export interface AdaptationCanvasProps {
  result: AdaptResult;
  curves: readonly PlotCurve[];
  width: number;
  height: number;
  yDomain: [number, number];
  onAddPoint?: (x: number, y: number) => void;
  /** the axes' names with their units */
  xLabel: string;
  yLabel: string;
}

interface Inverse {
  x: (px: number) => number;
  y: (py: number) => number;
  area: { x: number; y: number; width: number; height: number };
}

const MARGIN = { top: 10, right: 14, bottom: 16, left: 4 };
const TICK = { fontSize: 11, fill: '#5b6475' };
const Tick = axisTick(11, '#5b6475');
const WHITE = { background: '#ffffff' };
const tickFormat = (v: number) => fmt(v);
const round3 = (v: number) => Math.round(v * 1000) / 1000;

interface Point {
  x: number;
  y: number;
}

function SupportShape(p: { cx?: number; cy?: number; payload?: Point }) {
  if (p.cx === undefined || p.cy === undefined || !p.payload) return <g />;
  return (
    <path
      d={`M${p.cx.toFixed(1)},${(p.cy - 6).toFixed(1)}l5.5,9.5h-11z`}
      fill={SUPPORT_COLOR}
      stroke="#ffffff"
      strokeWidth={1}
      data-testid="adapt-support"
      data-x={p.payload.x}
      data-y={p.payload.y}
    />
  );
}

function QueryShape(p: { cx?: number; cy?: number }) {
  if (p.cx === undefined || p.cy === undefined) return <g />;
  return <circle cx={p.cx} cy={p.cy} r={2} fill="#9ca3af" data-testid="adapt-query" />;
}

/** Hands recharts' inverse scales and plot area to the click handler outside the chart. */
function ScaleProbe({ targetRef }: { targetRef: RefObject<Inverse | null> }) {
  const ix = useXAxisInverseScale();
  const iy = useYAxisInverseScale();
  const area = usePlotArea();
  useEffect(() => {
    targetRef.current =
      ix && iy && area ? { x: (p) => Number(ix(p)), y: (p) => Number(iy(p)), area } : null;
  }, [ix, iy, area, targetRef]);
  return null;
}

function points(xs: Float32Array, ys: Float32Array): Point[] {
  return Array.from(xs, (x, i) => ({ x, y: ys[i] as number }));
}

function AdaptationCanvasImpl(p: AdaptationCanvasProps) {
  const r = p.result;
  const grid = r.grid;
  const inverse = useRef<Inverse | null>(null);
  const rows = useMemo(() => {
    if (!grid) return [];
    return Array.from(grid, (x, i) => {
      const row: Record<string, number | null> = { x };
      const put = (key: string, v: number | undefined) => {
        row[key] = v !== undefined && Number.isFinite(v) ? v : null;
      };
      if (r.truth) put('truth', r.truth[i]);
      for (const c of p.curves) put(c.key, c.values[i]);
      return row;
    });
  }, [grid, r.truth, p.curves]);
  const support = useMemo(() => points(r.support.x, r.support.y), [r.support]);
  const query = useMemo(() => (r.truth ? [] : points(r.query.x, r.query.y)), [r]);
  const xDomain = useMemo<[number, number]>(
    () => (grid ? [grid[0] as number, grid[grid.length - 1] as number] : [0, 1]),
    [grid],
  );
  const xLabel = useMemo(
    () => ({ value: p.xLabel, position: 'insideBottom' as const, offset: -6, ...TICK }),
    [p.xLabel],
  );
  const yLabel = useMemo(
    () => ({ value: p.yLabel, angle: -90, position: 'insideLeft' as const, ...TICK }),
    [p.yLabel],
  );
  const { onAddPoint } = p;
  const onClick = useCallback(
    (e: MouseEvent<HTMLDivElement>) => {
      const inv = inverse.current;
      if (!onAddPoint || !inv) return;
      const box = e.currentTarget.getBoundingClientRect();
      const px = e.clientX - box.left;
      const py = e.clientY - box.top;
      const a = inv.area;
      if (px < a.x || px > a.x + a.width || py < a.y || py > a.y + a.height) return;
      onAddPoint(round3(inv.x(px)), round3(inv.y(py)));
    },
    [onAddPoint],
  );
  return (
    <div
      className={p.onAddPoint ? 'adapt-svg clickable' : 'adapt-svg'}
      onClick={onClick}
      data-testid="adaptation-svg"
    >
      <ComposedChart
        width={p.width}
        height={p.height}
        data={rows}
        margin={MARGIN}
        accessibilityLayer={false}
        style={WHITE}
      >
        <CartesianGrid vertical={false} stroke="#e6e8ee" />
        <XAxis
          interval={0}
          dataKey="x"
          type="number"
          domain={xDomain}
          allowDataOverflow
          tickFormatter={tickFormat}
          tick={Tick}
          label={xLabel}
        />
        <YAxis
          interval={0}
          type="number"
          domain={p.yDomain}
          allowDataOverflow
          tickFormatter={tickFormat}
          tick={Tick}
          width={56}
          label={yLabel}
        />
        {r.truth && (
          <Line
            dataKey="truth"
            stroke={TRUTH_COLOR}
            strokeWidth={2.2}
            dot={false}
            activeDot={false}
            isAnimationActive={false}
            data-testid="adapt-line"
            data-model="truth"
          />
        )}
        {!r.truth && (
          <Scatter data={query} dataKey="y" shape={QueryShape} isAnimationActive={false} />
        )}
        {p.curves.map((c) => (
          <Line
            key={c.key}
            dataKey={c.key}
            stroke={c.color}
            strokeWidth={c.width}
            strokeDasharray={c.dash}
            dot={false}
            activeDot={false}
            isAnimationActive={false}
            data-testid="adapt-line"
            data-model={c.model}
            data-step={c.step}
          />
        ))}
        <Scatter data={support} dataKey="y" shape={SupportShape} isAnimationActive={false} />
        <ScaleProbe targetRef={inverse} />
      </ComposedChart>
    </div>
  );
}

export default memo(AdaptationCanvasImpl);
