/**
 * The frame every plain-SVG chart shares: horizontal grid lines with their
 * y labels, x labels under the plot, and the x axis line. One component so
 * the live charts, the adaptation plot and the adaptation curve look alike.
 */
import type { Scale } from './shape';

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

const TEXT = { fontSize: 11, fill: '#5b6475' };

export function Axes(props: {
  width: number;
  height: number;
  m: Margins;
  sx: Scale;
  sy: Scale;
  xTicks: readonly number[];
  yTicks: readonly number[];
  xFormat: (v: number) => string;
  yFormat: (v: number) => string;
  /** the x axis's name, under the tick labels at the right end (needs m.bottom ≥ 32) */
  xLabel?: string;
  /** the y axis's short unit, turned along the left edge (needs m.left ≥ 62) */
  yLabel?: string;
}) {
  const { width, height, m, sx, sy } = props;
  const base = height - m.bottom;
  return (
    <g>
      {props.yTicks.map((t) => (
        <g key={`y${t}`}>
          <line x1={m.left} x2={width - m.right} y1={sy(t)} y2={sy(t)} stroke="#e6e8ee" />
          <text x={m.left - 6} y={sy(t)} dy="0.32em" textAnchor="end" {...TEXT}>
            {props.yFormat(t)}
          </text>
        </g>
      ))}
      {props.xTicks.map((t) => (
        <text key={`x${t}`} x={sx(t)} y={base + 16} textAnchor="middle" {...TEXT}>
          {props.xFormat(t)}
        </text>
      ))}
      <line x1={m.left} x2={width - m.right} y1={base} y2={base} stroke="#c6cbd6" />
      {props.xLabel && (
        <text x={width - m.right} y={base + 29} textAnchor="end" {...TEXT}>
          {props.xLabel}
        </text>
      )}
      {props.yLabel && (
        <text
          transform={`translate(11 ${(m.top + base) / 2}) rotate(-90)`}
          textAnchor="middle"
          {...TEXT}
        >
          {props.yLabel}
        </text>
      )}
    </g>
  );
}
