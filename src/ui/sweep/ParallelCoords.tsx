/**
 * The parallel-coordinates plot: one vertical axis per swept setting (on a
 * log scale where the space says so; categories spaced evenly) and one for
 * the score, one line per scored trial, darker the better it scored. Plain
 * SVG like the other charts; the sentence under it (also its accessible
 * description) names the best trial's settings.
 */
import { useId, useMemo } from 'react';
import type { ParamSpec, SweepKey, SweepSpace, TrialRecord } from '../../core/spec/sweep-space';
import { useAppStore } from '../../store';
import { fmt } from '../format';
import { useWidth } from '../useWidth';
import { fmtChoice, metricName } from './words';

const HEIGHT = 200;
const M = { top: 18, bottom: 22, side: 48 };

/** Where a value sits on its axis, from 0 (bottom) to 1 (top); NaN when it has no place. */
export function axisPosition(p: ParamSpec, v: unknown): number {
  if (p.type === 'categorical') {
    const i = p.choices.findIndex((c) => JSON.stringify(c) === JSON.stringify(v));
    return i < 0 ? NaN : p.choices.length === 1 ? 0.5 : i / (p.choices.length - 1);
  }
  if (typeof v !== 'number') return NaN;
  const f = (x: number) => (p.log ? Math.log(x) : x);
  const span = f(p.high) - f(p.low);
  return span === 0 ? 0.5 : (f(v) - f(p.low)) / span;
}

function lines(trials: readonly TrialRecord[], space: SweepSpace, maximize: boolean) {
  const keys = Object.keys(space) as SweepKey[];
  const scored = trials.filter((t): t is TrialRecord & { value: number } => t.value !== null);
  const values = scored.map((t) => t.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return {
    keys,
    lo,
    hi,
    rows: scored.map((t) => {
      const score = hi === lo ? 0.5 : (t.value - lo) / (hi - lo);
      // quality 1 = the best score, 0 = the worst
      const quality = maximize ? score : 1 - score;
      return {
        number: t.number,
        quality,
        ys: [...keys.map((k) => axisPosition(space[k] as ParamSpec, t.params[k])), score],
      };
    }),
  };
}

export function ParallelCoords() {
  const id = useId();
  const trials = useAppStore((s) => s.sweep.trials);
  const space = useAppStore((s) => s.sweep.record?.space ?? s.sweep.form.space ?? {}) as SweepSpace;
  const metric = useAppStore((s) => s.sweep.metric);
  const bestNumber = useAppStore((s) => s.sweep.best);
  const [ref, width] = useWidth<HTMLDivElement>();
  const plot = useMemo(() => lines(trials, space, metric === 'accuracy'), [trials, space, metric]);
  if (trials.length === 0) return null;
  const axes = [...plot.keys.map(String), metricName(metric)];
  const x = (i: number) => M.side + (i * (width - 2 * M.side)) / Math.max(1, axes.length - 1);
  const y = (u: number) => M.top + (1 - u) * (HEIGHT - M.top - M.bottom);
  const best = trials.find((t) => t.number === bestNumber);
  const left = trials.length - plot.rows.length;
  const summary =
    `${plot.rows.length} scored trial${plot.rows.length === 1 ? '' : 's'} across ${axes.length} axes` +
    (left ? ` (${left} without a score left out)` : '') +
    (best
      ? `; the best, trial ${best.number}, has ${plot.keys.map((k) => `${k} = ${fmtChoice(best.params[k])}`).join(', ')}.`
      : '.');
  return (
    <figure
      className="chart"
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-s`}
      data-testid="sweep-parallel"
    >
      <figcaption id={`${id}-t`}>
        Parallel coordinates{' '}
        <span className="chart-unit">(darker: better {metricName(metric)})</span>
      </figcaption>
      <div className="chart-canvas" aria-hidden="true" style={{ height: HEIGHT }} ref={ref}>
        {width > 0 && (
          <svg width={width} height={HEIGHT}>
            {axes.map((name, i) => (
              <g key={name}>
                <line x1={x(i)} x2={x(i)} y1={y(0)} y2={y(1)} stroke="#9aa3b5" />
                <text x={x(i)} y={HEIGHT - 6} fontSize={11} textAnchor="middle" fill="#5b6475">
                  {name}
                </text>
              </g>
            ))}
            <text x={x(axes.length - 1) + 4} y={y(1) - 4} fontSize={10} fill="#5b6475">
              {fmt(plot.hi)}
            </text>
            <text x={x(axes.length - 1) + 4} y={y(0) + 12} fontSize={10} fill="#5b6475">
              {fmt(plot.lo)}
            </text>
            {plot.rows.map((r) => (
              <polyline
                key={r.number}
                fill="none"
                stroke={`hsl(220, 80%, ${Math.round(80 - 50 * r.quality)}%)`}
                strokeWidth={r.number === bestNumber ? 2.5 : 1.2}
                points={r.ys
                  .map((u, i) => (Number.isFinite(u) ? `${x(i)},${y(u)}` : ''))
                  .filter(Boolean)
                  .join(' ')}
              />
            ))}
          </svg>
        )}
      </div>
      <p className="chart-summary" id={`${id}-s`} data-testid="sweep-parallel-summary">
        {summary}
      </p>
    </figure>
  );
}
