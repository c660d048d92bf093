/**
 * The parallel-coordinates plot: one vertical axis per swept setting (on a
 * log scale where the space says so; categories spaced evenly) and one for
 * the score, one line per scored trial, darker the better it scored, the
 * best one wider. recharts has no such chart, so it is a line chart over
 * the axes' positions, drawn in the chart worker like every chart
 * (charts/offthread): the page places each value on its axis (0…1), which
 * a worker could not do without the space's scales. The sentence under it
 * (also its accessible description) names the best trial's settings.
 */
import { useId, useMemo } from 'react';
import type { ParamSpec, SweepKey, SweepSpace, TrialRecord } from '../../core/spec/sweep-space';
import { useAppStore } from '../../store';
import { ChartDrawing } from '../charts/offthread/ChartDrawing';
import { SWEEP_CHART_SETTLE_MS } from './settle';
import type { ParallelDrawing } from '../charts/offthread/protocol';
import { fmt } from '../format';
import { useWidth } from '../useWidth';
import { fmtChoice, metricName } from './words';

const HEIGHT = 200;
const M = { top: 18, right: 48, bottom: 22, left: 48 };

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

/** The chart worker's drawing: a row per axis, a line per trial (`t<number>`). */
function drawingOf(
  plot: ReturnType<typeof lines>,
  axes: readonly string[],
  best: number | null,
  width: number,
): ParallelDrawing {
  const last = axes.length - 1;
  const positions = axes.map((_, i) => i);
  return {
    kind: 'parallel',
    width,
    height: HEIGHT,
    margins: M,
    x: { domain: [0, Math.max(1, last)], ticks: positions, labels: [...axes], name: '' },
    y: { domain: [0, 1], ticks: [0, 1], labels: [fmt(plot.lo), fmt(plot.hi)], name: '' },
    rows: positions.map((i) => {
      const row: Record<string, number | null> = { i };
      for (const r of plot.rows) {
        const u = r.ys[i] ?? NaN;
        row[`t${r.number}`] = Number.isFinite(u) ? u : null;
      }
      return row;
    }),
    series: plot.rows.map((r) => ({
      key: `t${r.number}`,
      color: `hsl(220, 80%, ${Math.round(80 - 50 * r.quality)}%)`,
      width: r.number === best ? 2.5 : 1.2,
      dots: false,
      attrs: {
        'data-trial': String(r.number),
        ...(r.number === best ? { 'data-best': 'true' } : {}),
      },
    })),
  };
}

/**
 * The drawing's box: its own component so the width is measured when the box
 * appears (the figure is empty until a first trial), not when the figure
 * mounts.
 */
function Canvas(p: {
  plot: ReturnType<typeof lines>;
  axes: readonly string[];
  best: number | null;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const { plot, axes, best } = p;
  const drawing = useMemo(
    () => (width > 0 && plot.rows.length > 0 ? drawingOf(plot, axes, best, width) : null),
    [plot, axes, best, width],
  );
  return (
    <div className="chart-canvas" aria-hidden="true" style={{ height: HEIGHT }} ref={ref}>
      {drawing && <ChartDrawing drawing={drawing} delayMs={SWEEP_CHART_SETTLE_MS} />}
    </div>
  );
}

export function ParallelCoords() {
  const id = useId();
  const trials = useAppStore((s) => s.sweep.trials);
  const space = useAppStore((s) => s.sweep.record?.space ?? s.sweep.form.space ?? {}) as SweepSpace;
  const metric = useAppStore((s) => s.sweep.metric);
  const bestNumber = useAppStore((s) => s.sweep.best);
  const plot = useMemo(() => lines(trials, space, metric === 'accuracy'), [trials, space, metric]);
  const axes = useMemo(() => [...plot.keys.map(String), metricName(metric)], [plot, metric]);
  if (trials.length === 0) return null;
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
      <Canvas plot={plot} axes={axes} best={bestNumber} />
      <p className="chart-summary" id={`${id}-s`} data-testid="sweep-parallel-summary">
        {summary}
      </p>
    </figure>
  );
}
