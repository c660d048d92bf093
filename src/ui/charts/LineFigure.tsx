/**
 * One chart: a titled figure with a recharts LineChart and, under it, the
 * sentence with its key numbers, which is also the figure's accessible
 * description (the SVG itself is hidden from assistive technology).
 *
 * Kept cheap because the main thread must never block for 50 ms, even when a
 * software GPU starves it of CPU: no animation; the width comes from one
 * ResizeObserver rather than recharts measuring on every render; ticks are
 * plain <text> at a fixed interval, so recharts never measures label text in
 * the DOM (a forced layout per tick). The component is memoized, so a store
 * update that does not change its props costs nothing, and the chart is
 * mounted at page load, empty, rather than when the first point arrives.
 * Callers pass data
 * already downsampled (≤ ~500 points).
 */
import { memo, useId, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { fmt } from '../format';
import { useWidth } from '../useWidth';

export interface Series {
  key: string;
  name: string;
  color: string;
  width?: number;
  dots?: boolean;
}

export interface LineFigureProps {
  title: string;
  summary: string;
  data: readonly { step: number }[];
  series: Series[];
  empty: string;
  testId: string;
  yDomain?: [number | 'auto' | 'dataMin', number | 'auto' | 'dataMax'];
  yFormat?: (v: number) => string;
  height?: number;
}

const TICK_STYLE = { fontSize: 11, fill: '#5b6475' };

interface TickProps {
  x?: number | string;
  y?: number | string;
  textAnchor?: string;
  verticalAnchor?: string;
  payload?: { value?: unknown };
}

function tick(format: (v: number) => string, axis: 'x' | 'y') {
  return function AxisTick(p: TickProps) {
    const v = Number(p.payload?.value);
    return (
      <text
        x={p.x}
        y={p.y}
        dy={axis === 'x' ? '0.9em' : '0.32em'}
        textAnchor={axis === 'x' ? 'middle' : 'end'}
        {...TICK_STYLE}
      >
        {format(v)}
      </text>
    );
  };
}

const xTick = tick((v) => String(Math.round(v)), 'x');

function LineFigureImpl(p: LineFigureProps) {
  const id = useId();
  const [ref, width] = useWidth<HTMLDivElement>();
  const yFormat = p.yFormat ?? fmt;
  const yTick = useMemo(() => tick(yFormat, 'y'), [yFormat]);
  const height = p.height ?? 190;
  return (
    <figure
      className="chart"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-s`}
      data-testid={p.testId}
    >
      <figcaption id={`${id}-t`}>{p.title}</figcaption>
      <div className="chart-canvas" aria-hidden="true" style={{ height }} ref={ref}>
        {p.data.length === 0 && <p className="chart-empty">{p.empty}</p>}
        {/* Mounted even while empty: mounting a recharts chart is the costly part, and it
            should happen at page load, not in the middle of a run. */}
        {width > 0 ? (
          <LineChart
            width={width}
            height={height}
            data={p.data as { step: number }[]}
            margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          >
            <CartesianGrid stroke="#e6e8ee" vertical={false} />
            <XAxis
              dataKey="step"
              type="number"
              domain={[0, 'dataMax']}
              allowDecimals={false}
              interval={0}
              tick={xTick}
              stroke="#c6cbd6"
            />
            <YAxis
              width={52}
              domain={p.yDomain ?? ['auto', 'auto']}
              interval={0}
              tick={yTick}
              stroke="#c6cbd6"
            />
            <Tooltip
              isAnimationActive={false}
              formatter={(v) => (typeof v === 'number' ? yFormat(v) : String(v))}
              labelFormatter={(l) => `step ${String(l)}`}
            />
            {p.series.map((s) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stroke={s.color}
                strokeWidth={s.width ?? 1.5}
                dot={s.dots ? { r: 3 } : false}
                activeDot={{ r: 3 }}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        ) : null}
      </div>
      <p className="chart-summary" id={`${id}-s`} data-testid={`${p.testId}-summary`}>
        {p.summary}
      </p>
    </figure>
  );
}

export const LineFigure = memo(LineFigureImpl);
