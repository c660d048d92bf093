/**
 * The sentences under the adaptation figures: the key numbers in words, for
 * screen readers and for anyone who wants the figures rather than the shape.
 * Pure functions, unit-tested without a browser.
 */
import type { AdaptResult, EvaluationCurve } from '../../worker/adapt-types';
import { fmt } from '../format';
import { metricLabel, modelLabel } from './models';

const show = (metric: 'mse' | 'accuracy', v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? 'diverged'
    : metric === 'mse'
      ? fmt(v)
      : `${fmt(100 * v)}%`;

const steps = (n: number) => `${n} step${n === 1 ? '' : 's'}`;
/** The unit in brackets after the metric's name (charts/units.ts), or nothing. */
const inUnit = (unit: string | undefined) => (unit ? ` (${unit})` : '');

/** The adaptation plot (or the per-step metric of one task) at the slider's step. */
export function adaptationSentence(r: AdaptResult | null, step: number, unit?: string): string {
  if (!r) return 'Adaptation: no task adapted yet.';
  const name = metricLabel(r.metric);
  const [main, ...baselines] = r.models;
  if (!main) return 'Adaptation: no models.';
  const at = (m: (typeof r.models)[number], s: number) => show(r.metric, m.metric[s]);
  const base = baselines.map((b) => `${modelLabel(b.name)} ${at(b, step)}`).join(', ');
  return (
    `${r.taskLabel}, ${r.support.x.length} support points${r.edited ? ' (edited)' : ''}: ` +
    `query ${name}${inUnit(unit)} of ${modelLabel(main.name)} ${at(main, 0)} before adaptation and ` +
    `${at(main, step)} after ${steps(step)}` +
    (base ? `; after ${steps(step)}, ${base}.` : '.')
  );
}

/** The adaptation curve: each model at step 0 and at the last step, with the protocol. */
export function curveSentence(curve: EvaluationCurve | null, unit?: string): string {
  if (!curve) return 'Adaptation curve: not evaluated yet.';
  const p = curve.protocol;
  const last = curve.steps.length - 1;
  const S = curve.steps[last] ?? 0;
  const parts = curve.order.map((name) => {
    const m = curve.models[name];
    const d = m?.diverged[last] ?? 0;
    return (
      `${modelLabel(name)} ${show(curve.metric, m?.mean[0])} → ${show(curve.metric, m?.mean[last])}` +
      ` ± ${show(curve.metric, m?.ci95[last])}` +
      (d ? ` (${d} diverged)` : '')
    );
  });
  return (
    `Mean ${metricLabel(curve.metric)} (${unit ? `${unit}; ` : ''}95% CI) on ${p.episodes} held-out tasks from 0 to ` +
    `${steps(S)}: ${parts.join('; ')}.`
  );
}

/** This task's query metric per step, each model from step 0 to the last. */
export function taskMetricSentence(r: AdaptResult | null, unit?: string): string {
  if (!r) return 'Query metric on this task: no task adapted yet.';
  const parts = r.models.map(
    (m) =>
      `${modelLabel(m.name)} ${show(r.metric, m.metric[0])} → ${show(r.metric, m.metric[r.steps])}`,
  );
  return `Query ${metricLabel(r.metric)}${inUnit(unit)} on this task from 0 to ${steps(r.steps)}: ${parts.join('; ')}.`;
}
