/**
 * An axis tick label for the recharts charts, as one plain <text>. Recharts'
 * default tick is its <Text> component, which is given the axis width and so
 * measures every word in a hidden DOM span (getBoundingClientRect: a forced
 * layout per tick per redraw); the CPU profile of a live run showed that
 * measuring among the largest costs. Our ticks are short numbers or case
 * names that never wrap, so nothing needs measuring.
 */
import type { ReactElement } from 'react';

interface TickProps {
  x?: number | string;
  y?: number | string;
  textAnchor?: 'start' | 'middle' | 'end' | 'inherit';
  verticalAnchor?: 'start' | 'middle' | 'end';
  payload?: { value?: unknown };
  index?: number;
  tickFormatter?: (value: unknown, index: number) => string;
}

/** A tick renderer with the given text style (hoist the result: recharts compares it by reference). */
export function axisTick(fontSize: number, fill: string): (p: TickProps) => ReactElement {
  return function AxisTick(p: TickProps) {
    const v = p.payload?.value;
    const text = p.tickFormatter ? p.tickFormatter(v, p.index ?? 0) : String(v);
    const dy =
      p.verticalAnchor === 'start' ? '0.71em' : p.verticalAnchor === 'end' ? '0' : '0.32em';
    return (
      <text x={p.x} y={p.y} dy={dy} textAnchor={p.textAnchor} fontSize={fontSize} fill={fill}>
        {text}
      </text>
    );
  };
}
