/**
 * The optimization history: each trial's score in the order the trials
 * ended (dots) and the best score so far (line), with a sentence that says
 * where the search stands, which is also the chart's text summary.
 */
import { useMemo } from 'react';
import type { TrialRecord } from '../../core/spec/sweep-space';
import { useAppStore } from '../../store';
import { LineFigure, type Series } from '../charts/LineFigure';
import { fmt } from '../format';
import { SWEEP_CHART_SETTLE_MS } from './settle';
import { metricName } from './words';

/** Hoisted: the figure is memoized, and a new array each render would redraw it. */
const SERIES: Series[] = [
  { key: 'value', name: 'trial score', color: '#9aa3b5', width: 0, dots: true },
  { key: 'best', name: 'best so far', color: '#2563eb', width: 2 },
];

export function historyRows(trials: readonly TrialRecord[], maximize: boolean) {
  let best = NaN;
  return trials.map((t, i) => {
    const v = t.state === 'complete' && t.value !== null ? t.value : NaN;
    if (Number.isFinite(v) && (!Number.isFinite(best) || (maximize ? v > best : v < best)))
      best = v;
    return { step: i + 1, value: t.value ?? NaN, best };
  });
}

export function historySentence(
  trials: readonly TrialRecord[],
  bestNumber: number | null,
  metric: 'mse' | 'accuracy',
): string {
  const count = (state: TrialRecord['state']) => trials.filter((t) => t.state === state).length;
  const best = trials.find((t) => t.number === bestNumber);
  const head = best
    ? `After ${trials.length} trial${trials.length === 1 ? '' : 's'} the best meta-validation ${metricName(metric)} is ${fmt(best.value, 4)} (trial ${best.number}).`
    : `After ${trials.length} trial${trials.length === 1 ? '' : 's'} no trial has completed.`;
  return `${head} ${count('complete')} complete, ${count('pruned')} pruned, ${count('diverged')} diverged, ${count('failed')} failed.`;
}

export function SweepHistory() {
  const trials = useAppStore((s) => s.sweep.trials);
  const best = useAppStore((s) => s.sweep.best);
  const metric = useAppStore((s) => s.sweep.metric);
  const data = useMemo(() => historyRows(trials, metric === 'accuracy'), [trials, metric]);
  return (
    <LineFigure
      title="Optimization history (best so far)"
      unit={metricName(metric)}
      axis={metricName(metric)}
      xAxis="trials ended"
      summary={historySentence(trials, best, metric)}
      data={data}
      series={SERIES}
      empty="No trial has ended yet."
      testId="sweep-history"
      height={200}
      delayMs={SWEEP_CHART_SETTLE_MS}
    />
  );
}
