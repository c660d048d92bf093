/**
 * The recharts drawing of one live chart, loaded lazily (it pulls recharts,
 * which the entry chunk's size budget cannot carry). What recharts'
 * performance guide asks, and why it holds here:
 * - no animation and no dots on live series: a redraw is one <path> per series
 *   (only the short finished curve of one task's steps has dots);
 * - every prop that is an object or a function is hoisted to module scope or
 *   memoized, so recharts' selectors see the same references between renders;
 * - the rows come in downsampled (≤ MAX_POINTS, min/max buckets) and
 *   throttled (charts/useThrottled.ts) by the caller;
 * - the Tooltip is mounted only while the pointer is over the chart: idle
 *   charts do not carry its selectors through every redraw.
 * The SVG is hidden from assistive technology by the caller; the summary
 * sentence under the chart carries the numbers.
 */
import { memo, useCallback, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick } from './AxisTick';
import type { Bound, Series } from './series';

export interface LinePlotProps {
  data: readonly Record<string, number | null>[];
  series: readonly Series[];
  width: number;
  height: number;
  yDomain: [Bound, Bound];
  yFormat: (v: number) => string;
  yLabel: string;
}

const MARGIN = { top: 8, right: 16, bottom: 4, left: 4 };
const TICK = { fontSize: 11, fill: '#5b6475' };
const Tick = axisTick(11, '#5b6475');
const GRID_STROKE = '#e6e8ee';
const X_DOMAIN: [number, 'dataMax'] = [0, 'dataMax'];
const TOOLTIP_STYLE = { fontSize: 12 };
const DOT = { r: 2.5 };
const labelFormatter = (step: unknown) => `step ${String(step)}`;

function LinePlotImpl(p: LinePlotProps) {
  const [hover, setHover] = useState(false);
  const enter = useCallback(() => setHover(true), []);
  const leave = useCallback(() => setHover(false), []);
  const tooltipFormatter = useCallback(
    (v: unknown) => (typeof v === 'number' ? p.yFormat(v) : String(v)),
    [p],
  );
  const yLabel = useMemo(
    () => ({ value: p.yLabel, angle: -90, position: 'insideLeft' as const, ...TICK, dy: 60 }),
    [p.yLabel],
  );
  return (
    <div onMouseEnter={enter} onMouseLeave={leave}>
      <LineChart
        width={p.width}
        height={p.height}
        data={p.data as Record<string, number | null>[]}
        margin={MARGIN}
        accessibilityLayer={false}
      >
        <CartesianGrid vertical={false} stroke={GRID_STROKE} />
        <XAxis
          interval={0}
          dataKey="step"
          type="number"
          domain={X_DOMAIN}
          allowDecimals={false}
          tick={Tick}
          height={22}
        />
        <YAxis
          domain={p.yDomain}
          tickFormatter={p.yFormat}
          tick={Tick}
          width={62}
          label={yLabel}
          interval={0}
        />
        {hover && (
          <Tooltip
            isAnimationActive={false}
            formatter={tooltipFormatter}
            labelFormatter={labelFormatter}
            contentStyle={TOOLTIP_STYLE}
          />
        )}
        {p.series.map((s) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.name}
            type="linear"
            stroke={s.color}
            strokeWidth={s.width ?? 1.5}
            dot={s.dots ? DOT : false}
            activeDot={hover}
            isAnimationActive={false}
            connectNulls={false}
          />
        ))}
      </LineChart>
    </div>
  );
}

export default memo(LinePlotImpl);
