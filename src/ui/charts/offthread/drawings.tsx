/**
 * Each drawing as recharts elements, in the chart worker. What recharts'
 * performance guide asks holds here by construction: no animation, no dots
 * on long series, every object prop built once per drawing, rows already
 * downsampled by the page, our own ticks (no nice-tick search), no
 * Tooltip (hover is the page's overlay, which costs no redraw here).
 * Margins and axis sizes are fixed, so the plot area is known to the page
 * without measuring (it maps clicks and hovers with the same domains).
 */
import type { ReactElement, ReactNode } from 'react';
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  LabelList,
  Line,
  LineChart,
  Scatter,
  ScatterChart,
  XAxis,
  YAxis,
} from 'recharts';
import type {
  AdaptationDrawing,
  AxisSpec,
  BarsDrawing,
  CurveDrawing,
  DataAttrs,
  Drawing,
  LineDrawing,
  LineSeriesSpec,
  MarkerSpec,
  ParallelDrawing,
  PointSetSpec,
  ScatterDrawing,
} from './protocol';

const TEXT = { fontSize: 11, fill: '#5b6475' };
/**
 * Every numeric axis: the page's domain kept even where data leave it (the
 * page maps pointers with it), every one of the page's ticks shown.
 */
const OWN_AXIS = {
  type: 'number',
  interval: 0,
  allowDataOverflow: true,
  tickLine: false,
} as const;
/** Every series: straight segments, no animation, no hover dot, a gap where a value is missing. */
const STILL = {
  type: 'linear',
  activeDot: false,
  isAnimationActive: false,
  connectNulls: false,
} as const;
const GRID = '#e6e8ee';
const AXIS_LINE = { stroke: '#c6cbd6' };

interface TickProps {
  x?: number | string;
  y?: number | string;
  textAnchor?: 'start' | 'middle' | 'end' | 'inherit';
  payload?: { value?: unknown };
}

/**
 * A tick as one plain <text> with the page's label: recharts' default tick
 * measures each word in a DOM span, which a document without layout cannot
 * answer and our short numbers never need.
 */
function tickOf(axis: AxisSpec, dy: string) {
  const labels = new Map(axis.ticks.map((t, i) => [t, axis.labels[i] ?? String(t)]));
  return function Tick(p: TickProps) {
    const v = p.payload?.value;
    return (
      <text x={p.x} y={p.y} dy={dy} textAnchor={p.textAnchor} {...TEXT}>
        {typeof v === 'number' ? (labels.get(v) ?? String(v)) : String(v)}
      </text>
    );
  };
}

type FramedDrawing = LineDrawing | AdaptationDrawing | CurveDrawing;

/** The x axis's name under its tick labels at the right end, clear of the last tick. */
function xName(d: FramedDrawing) {
  return function XName() {
    return (
      <text x={d.width - d.margins.right} y={d.height - 5} textAnchor="end" {...TEXT}>
        {d.x.name}
      </text>
    );
  };
}

/** The y axis's unit, turned along the left edge, centred on the plot. */
function yName(d: FramedDrawing) {
  const mid = (d.margins.top + d.height - d.margins.bottom) / 2;
  return function YName() {
    return (
      <text transform={`translate(11 ${mid}) rotate(-90)`} textAnchor="middle" {...TEXT}>
        {d.y.name}
      </text>
    );
  };
}

function axes(d: FramedDrawing): ReactElement[] {
  const m = d.margins;
  const xTick = tickOf(d.x, '0.71em');
  const yTick = tickOf(d.y, '0.32em');
  return [
    <CartesianGrid key="grid" vertical={false} stroke={GRID} horizontalValues={d.y.ticks} />,
    <XAxis
      key="x"
      xAxisId={0}
      dataKey={d.kind === 'curve' ? 'step' : d.xKey}
      {...OWN_AXIS}
      domain={d.x.domain}
      ticks={d.x.ticks}
      height={m.bottom}
      tick={xTick}
      axisLine={AXIS_LINE}
      label={d.x.name ? xName(d) : undefined}
    />,
    <YAxis
      key="y"
      yAxisId={0}
      {...OWN_AXIS}
      domain={d.y.domain}
      ticks={d.y.ticks}
      width={m.left}
      tick={yTick}
      axisLine={false}
      label={d.y.name ? yName(d) : undefined}
    />,
  ];
}

const chartMargin = (d: { margins: { top: number; right: number } }) => ({
  top: d.margins.top,
  right: d.margins.right,
  bottom: 0,
  left: 0,
});

function lines(d: { series: LineSeriesSpec[] }, connectNulls = false): ReactElement[] {
  return d.series.map((s) => (
    <Line
      key={s.key}
      dataKey={s.key}
      {...STILL}
      connectNulls={connectNulls}
      stroke={s.color}
      strokeWidth={s.width}
      strokeDasharray={s.dash}
      strokeLinejoin="round"
      dot={s.dots ? { r: 2.5, fill: s.color, stroke: 'none' } : false}
      {...s.attrs}
    />
  ));
}

/** A ComposedChart on the page's frame: its size, margins, grid and axes. */
function Framed(p: { d: FramedDrawing; children: ReactNode }) {
  const { d } = p;
  return (
    <ComposedChart
      width={d.width}
      height={d.height}
      data={d.rows}
      margin={chartMargin(d)}
      accessibilityLayer={false}
    >
      {axes(d)}
      {p.children}
    </ComposedChart>
  );
}

function LineView(d: LineDrawing) {
  return <Framed d={d}>{lines(d)}</Framed>;
}

interface ShapeProps {
  cx?: number;
  cy?: number;
  payload?: { attrs?: DataAttrs };
}

function markerShape(m: MarkerSpec) {
  return function Marker(p: ShapeProps) {
    const x = p.cx ?? 0;
    const y = p.cy ?? 0;
    const attrs = { ...m.attrs, ...p.payload?.attrs };
    return m.shape === 'triangle' ? (
      <path
        d={`M${x.toFixed(1)},${(y - 6).toFixed(1)}l5.5,9.5h-11z`}
        fill={m.color}
        stroke="#ffffff"
        strokeWidth={1}
        {...attrs}
      />
    ) : (
      <circle cx={x} cy={y} r={2} fill={m.color} {...attrs} />
    );
  };
}

function AdaptationView(d: AdaptationDrawing) {
  return (
    <Framed d={d}>
      {lines(d)}
      {d.markers.map((m, i) => (
        <Scatter
          key={`markers-${i}`}
          data={m.points.map((p, j) => ({ [d.xKey]: p.x, y: p.y, attrs: m.pointAttrs?.[j] }))}
          dataKey="y"
          shape={markerShape(m)}
          isAnimationActive={false}
        />
      ))}
    </Framed>
  );
}

/** The ⚠ over a step where some task diverged, in its model's colour. */
function warnShape(top: number, color: string) {
  return function Warn(p: ShapeProps) {
    return (
      <text
        x={p.cx}
        y={top + 10}
        textAnchor="middle"
        fontSize={12}
        fill={color}
        data-testid="curve-diverged"
      >
        ⚠
      </text>
    );
  };
}

function CurveView(d: CurveDrawing) {
  const yTop = d.y.domain[1];
  return (
    <Framed d={d}>
      {d.overlays.map((o) => (
        <Line
          key={`past-${o.key}`}
          dataKey={o.key}
          {...STILL}
          stroke={o.color}
          strokeWidth={2}
          strokeDasharray="6 4"
          dot={false}
          data-testid="curve-overlay"
          data-run={o.run}
        />
      ))}
      {d.series.map((s) => (
        <Area
          key={`band-${s.key}`}
          dataKey={`${s.key}_band`}
          {...STILL}
          fill={s.color}
          fillOpacity={0.15}
          stroke="none"
          data-testid="curve-band"
          data-model={s.model}
        />
      ))}
      {d.series.map((s) => (
        <Line
          key={`mean-${s.key}`}
          dataKey={s.key}
          {...STILL}
          stroke={s.color}
          strokeWidth={2}
          dot={{ r: 2.5, fill: s.color, stroke: 'none' }}
          data-testid="curve-line"
          data-model={s.model}
        />
      ))}
      {d.series
        .filter((s) => s.diverged.length > 0)
        .map((s) => (
          <Scatter
            key={`warn-${s.key}`}
            data={s.diverged.map((step) => ({ step, y: yTop }))}
            dataKey="y"
            shape={warnShape(d.margins.top, s.color)}
            fill={s.color}
            isAnimationActive={false}
          />
        ))}
    </Framed>
  );
}

/**
 * The value a case that did not run is drawn with: recharts leaves out a bar
 * of zero and its label with it, and "over budget" must still be written.
 */
const NOT_RUN = 1e-12;

function BarsView(d: BarsDrawing) {
  const tiny = NOT_RUN * Math.max(d.max, 1);
  const bars = d.bars.map((b) => (b.value > 0 ? b : { ...b, value: tiny }));
  // A measured case shows at least a pixel; one that did not run shows none.
  const minSize = (v: number | undefined | null) =>
    v !== null && v !== undefined && v > tiny ? 1 : 0;
  return (
    <BarChart
      width={d.width}
      height={d.height}
      data={bars}
      layout="vertical"
      margin={{ top: 6, right: 60, bottom: 0, left: 0 }}
      barSize={18}
      accessibilityLayer={false}
    >
      <XAxis type="number" domain={[0, Math.max(d.max, 1e-9)]} hide />
      <YAxis
        type="category"
        dataKey="label"
        width={d.labelWidth}
        tickLine={false}
        axisLine={false}
        interval={0}
        tick={{ fontSize: 12, fill: '#1f2937' }}
      />
      <Bar
        dataKey="value"
        fill={d.color}
        radius={2}
        isAnimationActive={false}
        minPointSize={minSize}
      >
        <LabelList dataKey="text" position="right" fontSize={12} fill="#1f2937" />
      </Bar>
    </BarChart>
  );
}

function pointShape(s: PointSetSpec) {
  return function Point(p: ShapeProps) {
    return (
      <circle
        cx={p.cx}
        cy={p.cy}
        r={s.radius}
        fill={s.fill}
        stroke={s.stroke}
        strokeWidth={1}
        {...s.attrs}
      />
    );
  };
}

/**
 * A panel of the data picture. The axes are hidden (they take no room, so
 * the plot area is the margins' inside): every panel shares the page's
 * extent, and the words under the picture name the axes.
 */
function ScatterView(d: ScatterDrawing) {
  return (
    <ScatterChart width={d.width} height={d.height} margin={d.margins} accessibilityLayer={false}>
      <XAxis type="number" dataKey="x" domain={d.x} allowDataOverflow hide />
      <YAxis type="number" dataKey="y" domain={d.y} allowDataOverflow hide />
      {d.sets.map((s, i) => (
        <Scatter key={i} data={s.points} shape={pointShape(s)} isAnimationActive={false} />
      ))}
    </ScatterChart>
  );
}

/**
 * Parallel coordinates as a line chart over the axes' positions: the grid's
 * vertical lines are the axes, the x ticks their names, and a y axis on the
 * right writes the score axis's ends. A line joins across an axis where
 * its value has no place: a trial without a value on an axis still reads
 * as one line across the plot.
 */
function ParallelView(d: ParallelDrawing) {
  const m = d.margins;
  return (
    <LineChart
      width={d.width}
      height={d.height}
      data={d.rows}
      margin={{ top: m.top, right: 0, bottom: 0, left: m.left }}
      accessibilityLayer={false}
    >
      <CartesianGrid horizontal={false} stroke="#9aa3b5" verticalValues={d.x.ticks} />
      <XAxis
        dataKey="i"
        {...OWN_AXIS}
        domain={d.x.domain}
        ticks={d.x.ticks}
        height={m.bottom}
        tick={tickOf(d.x, '0.71em')}
        axisLine={false}
      />
      <YAxis
        orientation="right"
        {...OWN_AXIS}
        domain={d.y.domain}
        ticks={d.y.ticks}
        width={m.right}
        tick={tickOf(d.y, '0.32em')}
        axisLine={false}
      />
      {lines(d, true)}
    </LineChart>
  );
}

export function drawingElement(d: Drawing): ReactElement {
  switch (d.kind) {
    case 'line':
      return <LineView {...d} />;
    case 'adaptation':
      return <AdaptationView {...d} />;
    case 'curve':
      return <CurveView {...d} />;
    case 'bars':
      return <BarsView {...d} />;
    case 'scatter':
      return <ScatterView {...d} />;
    case 'parallel':
      return <ParallelView {...d} />;
  }
}
