/**
 * The sentence under each chart: the key numbers of a curve in words, for
 * screen readers and for anyone who wants the figures rather than the shape.
 * Pure functions of the history, so they are unit-tested without a browser.
 */
import type { StepMetric, ValidationMetric } from '../../worker/protocol';
import type { ThroughputPoint } from '../../store/slices';
import { fmt } from '../format';

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

export interface LossSummary {
  steps: number;
  first: number;
  last: number;
  best: number;
  bestStep: number;
  /** means of the first and last ten steps: the per-step loss is noisy */
  firstMean: number;
  lastMean: number;
}

export function lossSummary(points: readonly StepMetric[], window = 10): LossSummary | null {
  if (points.length === 0) return null;
  let best = points[0] as StepMetric;
  for (const p of points) if (p.trainLoss < best.trainLoss) best = p;
  const losses = points.map((p) => p.trainLoss);
  return {
    steps: (points[points.length - 1] as StepMetric).step,
    first: losses[0] as number,
    last: losses[losses.length - 1] as number,
    best: best.trainLoss,
    bestStep: best.step,
    firstMean: mean(losses.slice(0, window)),
    lastMean: mean(losses.slice(-window)),
  };
}

/** `unit` (charts/units.ts) is named once, so each number reads on its scale. */
export function lossSentence(s: LossSummary | null, unit?: string): string {
  const name = unit ? `Meta-train loss (${unit})` : 'Meta-train loss';
  if (!s) return `${name}: no steps yet.`;
  return (
    `${name} over ${s.steps} steps: first ${fmt(s.first)}, last ${fmt(s.last)}, ` +
    `best ${fmt(s.best)} at step ${s.bestStep}; mean of the first 10 steps ${fmt(s.firstMean)}, ` +
    `of the last 10 steps ${fmt(s.lastMean)}.`
  );
}

export function validationSentence(
  points: readonly ValidationMetric[],
  metric: 'mse' | 'accuracy',
  unit?: string,
): string {
  const name =
    (metric === 'mse' ? 'Meta-validation MSE' : 'Meta-validation accuracy') +
    (unit ? ` (${unit})` : '');
  if (points.length === 0) return `${name}: not measured yet.`;
  const better = (a: number, b: number) => (metric === 'mse' ? a < b : a > b);
  let best = points[0] as ValidationMetric;
  for (const p of points) if (better(p.metric, best.metric)) best = p;
  const show = (v: number) => (metric === 'mse' ? fmt(v) : `${fmt(100 * v)}%`);
  const first = points[0] as ValidationMetric;
  const last = points[points.length - 1] as ValidationMetric;
  return (
    `${name} on held-out tasks: ${show(first.metric)} at step ${first.step}, ` +
    `${show(last.metric)} at step ${last.step}, best ${show(best.metric)} at step ${best.step} ` +
    `(${points.length} evaluations).`
  );
}

export function throughputSentence(points: readonly ThroughputPoint[]): string {
  if (points.length === 0) return 'Throughput: no steps yet.';
  const last = points[points.length - 1] as ThroughputPoint;
  return (
    `Throughput: ${fmt(last.tasksPerSec)} tasks per second at step ${last.step}, ` +
    `${fmt(mean(points.map((p) => p.tasksPerSec)))} on average.`
  );
}
