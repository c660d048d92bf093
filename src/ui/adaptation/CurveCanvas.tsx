/**
 * The recharts drawing of the adaptation curve, loaded lazily with recharts:
 * per model its 95% band (a range Area, mean ± ci95) under its mean line,
 * earlier runs dashed, and a ⚠ over each step where tasks diverged (its SVG
 * title says what that means; the legend and table caption say it too).
 *
 * The rows are built once per curve (useMemo), every prop object and shape
 * renderer is hoisted, nothing animates, and the Tooltip is mounted only
 * while the pointer is over the chart — the earlier plain-SVG version was
 * written because mounting six recharts series measured 50–120 ms here; the
 * browser test asserts the figure again.
 */
import { memo, useCallback, useMemo, useState } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick } from '../charts/AxisTick';
import type { EvaluationCurve } from '../../worker/adapt-types';
import { bandKey, curveRows, pastKey, type OverlayLine } from '../charts/shape';
import { DIVERGED_DEFINITION } from '../charts/units';
import { modelColor, modelLabel } from './models';

export interface CurveCanvasProps {
  curve: EvaluationCurve;
  overlays: readonly OverlayLine[];
  width: number;
  height: number;
  yDomain: [number, number];
  yFormat: (v: number) => string;
  yLabel: string;
}

const MARGIN = { top: 16, right: 16, bottom: 16, left: 4 };
const TICK = { fontSize: 11, fill: '#5b6475' };
const Tick = axisTick(11, '#5b6475');
const WHITE = { background: '#ffffff' };
const X_LABEL = {
  value: 'adaptation steps',
  position: 'insideBottom' as const,
  offset: -6,
  ...TICK,
};
const TOOLTIP_STYLE = { fontSize: 12 };
const labelFormatter = (step: unknown) => `after ${String(step)} steps`;

function MeanDot(p: { cx?: number; cy?: number; stroke?: string; value?: unknown }) {
  if (p.cx === undefined || p.cy === undefined || p.value === null) return <g />;
  return <circle cx={p.cx} cy={p.cy} r={2.5} fill={p.stroke} />;
}

function DivergedMark(p: { cx?: number; payload?: { n: number; model: string } }) {
  if (p.cx === undefined || !p.payload) return <g />;
  return (
    <text
      x={p.cx}
      y={MARGIN.top + 2}
      textAnchor="middle"
      fontSize={12}
      data-testid="curve-diverged"
    >
      ⚠
      <title>{`${p.payload.n} ${modelLabel(p.payload.model)} tasks diverged. ${DIVERGED_DEFINITION}`}</title>
    </text>
  );
}

function CurveCanvasImpl(p: CurveCanvasProps) {
  const { curve, overlays } = p;
  const [hover, setHover] = useState(false);
  const enter = useCallback(() => setHover(true), []);
  const leave = useCallback(() => setHover(false), []);
  const rows = useMemo(() => curveRows(curve, overlays), [curve, overlays]);
  const diverged = useMemo(
    () =>
      curve.order.flatMap((model) =>
        curve.steps.flatMap((step, i) => {
          const n = curve.models[model]?.diverged[i] ?? 0;
          return n > 0 ? [{ step, y: p.yDomain[1], n, model }] : [];
        }),
      ),
    [curve, p.yDomain],
  );
  const S = rows.length - 1;
  const xTicks = useMemo(
    () => (S <= 20 ? Array.from({ length: S + 1 }, (_, s) => s) : undefined),
    [S],
  );
  const xDomain = useMemo<[number, number]>(() => [0, Math.max(S, 1)], [S]);
  const yLabel = useMemo(
    () => ({ value: p.yLabel, angle: -90, position: 'insideLeft' as const, ...TICK, dy: 50 }),
    [p.yLabel],
  );
  const tooltipFormatter = useCallback(
    (v: unknown) =>
      Array.isArray(v)
        ? `${p.yFormat(Number(v[0]))} – ${p.yFormat(Number(v[1]))}`
        : typeof v === 'number'
          ? p.yFormat(v)
          : String(v),
    [p],
  );
  return (
    <div onMouseEnter={enter} onMouseLeave={leave}>
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
          dataKey="step"
          type="number"
          domain={xDomain}
          ticks={xTicks}
          allowDecimals={false}
          tick={Tick}
          label={X_LABEL}
        />
        <YAxis
          interval={0}
          type="number"
          domain={p.yDomain}
          allowDataOverflow
          tickFormatter={p.yFormat}
          tick={Tick}
          width={62}
          label={yLabel}
        />
        {hover && (
          <Tooltip
            isAnimationActive={false}
            formatter={tooltipFormatter}
            labelFormatter={labelFormatter}
            contentStyle={TOOLTIP_STYLE}
          />
        )}
        {overlays.map((o) => (
          <Line
            key={pastKey(o.id)}
            dataKey={pastKey(o.id)}
            name={o.label}
            stroke={o.color}
            strokeWidth={2}
            strokeDasharray="6 4"
            dot={false}
            activeDot={false}
            isAnimationActive={false}
            data-testid="curve-overlay"
            data-run={o.id}
          />
        ))}
        {curve.order.map((name) => (
          <Area
            key={bandKey(name)}
            dataKey={bandKey(name)}
            name={`${modelLabel(name)} 95% CI`}
            fill={modelColor(name)}
            fillOpacity={0.15}
            stroke="none"
            activeDot={false}
            isAnimationActive={false}
            data-testid="curve-band"
            data-model={name}
          />
        ))}
        {curve.order.map((name) => (
          <Line
            key={name}
            dataKey={name}
            name={modelLabel(name)}
            stroke={modelColor(name)}
            strokeWidth={2}
            dot={MeanDot}
            activeDot={hover}
            isAnimationActive={false}
            data-testid="curve-line"
            data-model={name}
          />
        ))}
        {diverged.length > 0 && (
          <Scatter
            data={diverged}
            dataKey="y"
            shape={DivergedMark}
            isAnimationActive={false}
            tooltipType="none"
          />
        )}
      </ComposedChart>
    </div>
  );
}

export default memo(CurveCanvasImpl);
