/**
 * The recharts drawing of one backend's benchmark bars (meta-steps/s per
 * case), loaded lazily with recharts. Horizontal bars on the x scale shared
 * by all backends (the caller passes its maximum), each labelled with its
 * figure or its status ("over budget"). Nothing animates; every prop object
 * is hoisted or memoized; no tooltip (the label is the value).
 */
import { memo, useMemo } from 'react';
import { Bar, BarChart, LabelList, XAxis, YAxis } from 'recharts';
import { axisTick } from '../charts/AxisTick';

export interface BarRow {
  name: string;
  value: number;
  label: string;
}

const MARGIN = { top: 4, right: 70, bottom: 18, left: 4 };
const AXIS_TICK = { fontSize: 11, fill: '#5b6475' };
const Tick = axisTick(11, '#5b6475');
const CaseTick = axisTick(12, '#1f2937');
const LABEL_STYLE = { fontSize: 12, fill: '#1f2937' };
const X_LABEL = {
  value: 'meta-steps per second',
  position: 'insideBottom' as const,
  offset: -4,
  ...AXIS_TICK,
};
export const BAR = 18;
const GAP = 6;

function BarsCanvasImpl(p: { rows: readonly BarRow[]; max: number }) {
  const domain = useMemo<[number, number]>(() => [0, Math.max(p.max, 1)], [p.max]);
  const height = p.rows.length * (BAR + GAP) + GAP + MARGIN.top + MARGIN.bottom + 12;
  return (
    <BarChart
      layout="vertical"
      width={490}
      height={height}
      data={p.rows as BarRow[]}
      margin={MARGIN}
      accessibilityLayer={false}
      barSize={BAR}
    >
      <XAxis type="number" domain={domain} tick={Tick} label={X_LABEL} height={28} interval={0} />
      <YAxis type="category" dataKey="name" width={190} tick={CaseTick} interval={0} />
      <Bar dataKey="value" fill="#1d4ed8" isAnimationActive={false} radius={2}>
        <LabelList dataKey="label" position="right" style={LABEL_STYLE} />
      </Bar>
    </BarChart>
  );
}

export default memo(BarsCanvasImpl);
