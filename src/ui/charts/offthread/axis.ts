/** Axis specs for the chart worker, from the page's own tick choice (charts/shape.ts). */
import { ticks } from '../shape';
import type { AxisSpec } from './protocol';

export function axisSpec(
  lo: number,
  hi: number,
  format: (v: number) => string,
  name = '',
  values: readonly number[] = ticks(lo, hi, 4),
): AxisSpec {
  const inside = values.filter((t) => t >= lo - 1e-12 && t <= hi + 1e-12);
  return { domain: [lo, hi], ticks: inside, labels: inside.map((t) => format(t)), name };
}
