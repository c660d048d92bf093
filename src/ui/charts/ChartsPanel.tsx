/**
 * The three live charts: meta-train loss (raw, and smoothed so the trend
 * reads through the noise of single meta-batches), meta-validation MSE or
 * accuracy on held-out tasks, and throughput in tasks per second. Each
 * subscribes to its own history array only, and downsamples it to at most
 * MAX_POINTS (min/max-preserving) before it is drawn.
 *
 * Charts read their history through useThrottled: the store update from a
 * worker message renders the step counter at once, and each chart follows at
 * most a few times a second, in a transition of its own, at its own offset,
 * so chart redraws never pile up into one long main-thread task.
 */
import { useEffect, useMemo } from 'react';
import { warmChartWorker } from './offthread/client';
import { useAppStore } from '../../store';
import { fmt } from '../format';
import { downsampleMinMax, ema } from './downsample';
import { LineFigure, type Series } from './LineFigure';
import { useThrottled } from './useThrottled';
import { lossSentence, lossSummary, throughputSentence, validationSentence } from './summary';
import { axisUnit, metricUnit, normalizationNote, trainLossUnit } from './units';
import { useTargetScale } from './useTargetScale';

/**
 * Points per series after min/max bucketing: a few hundred, as recharts'
 * performance guide asks, and what keeps a redraw's markup (which the page
 * parses on its main thread) near 10 kB.
 */
export const MAX_POINTS = 300;

// Constant props, so the memoized figures skip renders when their data did not change.
const LOSS_SERIES: Series[] = [
  { key: 'loss', name: 'loss (per meta-batch)', color: '#93b4f5', width: 1 },
  { key: 'smooth', name: 'smoothed', color: '#1d4ed8', width: 2 },
];
const MSE_SERIES: Series[] = [
  { key: 'value', name: 'MSE', color: '#b45309', width: 2, dots: true },
];
const ACCURACY_SERIES: Series[] = [
  { key: 'value', name: 'accuracy', color: '#b45309', width: 2, dots: true },
];
const THROUGHPUT_SERIES: Series[] = [
  { key: 'tasksPerSec', name: 'tasks/s', color: '#047857', width: 1.5 },
];
const UNIT: [number, number] = [0, 1];
const AUTO: ['auto', 'auto'] = ['auto', 'auto'];
const FROM_ZERO: [number, 'auto'] = [0, 'auto'];
const percent = (v: number) => `${fmt(100 * v, 3)}%`;

function LossChart() {
  const train = useThrottled(
    useAppStore((s) => s.history.train),
    500,
  );
  const data = useMemo(() => {
    const smooth = ema(
      train.map((p) => p.trainLoss),
      0.95,
    );
    const rows = train.map((p, i) => ({
      step: p.step,
      loss: p.trainLoss,
      smooth: smooth[i] as number,
    }));
    return downsampleMinMax(rows, MAX_POINTS, (r) => r.loss);
  }, [train]);
  const metric = useAppStore((s) => s.history.metric);
  const target = useTargetScale();
  const unit = trainLossUnit(metric, target);
  const summary = useMemo(() => lossSentence(lossSummary(train), unit), [train, unit]);
  return (
    <LineFigure
      title="Meta-train loss"
      unit={unit}
      axis={axisUnit('loss', metric, target)}
      note={normalizationNote(metric, target)}
      summary={summary}
      data={data}
      testId="chart-train-loss"
      empty="The curve appears after the first meta-step."
      series={LOSS_SERIES}
    />
  );
}

function ValidationChart() {
  const points = useThrottled(
    useAppStore((s) => s.history.validation),
    500,
    330,
  );
  const metric = useAppStore((s) => s.history.metric);
  const data = useMemo(
    () =>
      downsampleMinMax(points, MAX_POINTS, (p) => p.metric).map((p) => ({
        step: p.step,
        value: p.metric,
      })),
    [points],
  );
  const accuracy = metric === 'accuracy';
  const target = useTargetScale();
  const unit = metricUnit(metric, target);
  const summary = useMemo(() => validationSentence(points, metric, unit), [points, metric, unit]);
  return (
    <LineFigure
      title={accuracy ? 'Meta-validation accuracy' : 'Meta-validation MSE'}
      unit={unit}
      axis={axisUnit('metric', metric)}
      summary={summary}
      data={data}
      testId="chart-validation"
      empty="Measured on held-out tasks at the start and every few steps."
      yDomain={accuracy ? UNIT : AUTO}
      yFormat={accuracy ? percent : undefined}
      series={accuracy ? ACCURACY_SERIES : MSE_SERIES}
    />
  );
}

function ThroughputChart() {
  const points = useThrottled(
    useAppStore((s) => s.history.throughput),
    1000,
    170,
  );
  const data = useMemo(() => downsampleMinMax(points, MAX_POINTS, (p) => p.tasksPerSec), [points]);
  const summary = useMemo(() => throughputSentence(points), [points]);
  return (
    <LineFigure
      title="Throughput"
      unit="tasks per second"
      axis="tasks/s"
      summary={summary}
      data={data}
      testId="chart-throughput"
      empty="Tasks per second, once steps are running."
      yDomain={FROM_ZERO}
      series={THROUGHPUT_SERIES}
    />
  );
}

export function ChartsPanel() {
  // The chart worker loads React, recharts and its document, and draws a
  // sample of each kind, at the page's first idle moment: a run's first chart
  // then neither waits for them nor competes with training for the cores.
  useEffect(() => {
    if (!window.requestIdleCallback) {
      const timer = window.setTimeout(warmChartWorker, 1000);
      return () => window.clearTimeout(timer);
    }
    const handle = window.requestIdleCallback(warmChartWorker, { timeout: 5000 });
    return () => window.cancelIdleCallback(handle);
  }, []);
  return (
    <section className="panel charts" aria-label="Charts">
      <LossChart />
      <div className="chart-pair">
        <ValidationChart />
        <ThroughputChart />
      </div>
    </section>
  );
}
