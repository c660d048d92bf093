/**
 * The three metrics a model is judged by after meta-training (issue 14),
 * as pure functions of adaptation curves (the mean metric after 0, 1, … S
 * steps, as evaluate.ts computes them):
 *
 * - adaptation speed: how many steps reach 90% of the improvement the
 *   model makes in `horizon` steps (10 by default), and the area under the
 *   adaptation curve (trapezoids over steps 0..horizon, divided by horizon:
 *   the curve's average level, in the metric's units; lower is better for
 *   MSE, higher for accuracy);
 * - generalization: the final metric and the speed on meta-train tasks and
 *   on meta-test tasks, and the gap (how much worse the test tasks are);
 * - robustness: the final metric with corrupted support labels and with K
 *   halved, next to the clean one, and the change (how much worse).
 *
 * "Better" depends on the metric: MSE falls, accuracy rises. Every function
 * here turns that into one sign so the numbers read the same way.
 * Corruption of the support labels (the data side of robustness) is
 * corruptSupport: Gaussian noise of a fraction of the targets' standard
 * deviation for regression, a fraction of labels flipped to another class
 * for classification; drawn from the given Rng.
 */
import type { EpisodeBatch } from '../data/types';
import type { Rng } from '../rng';

export type MetricName = 'mse' | 'accuracy';

/** +1 when a lower value is better (MSE), −1 when higher is (accuracy). */
function lowerIsBetter(metric: MetricName): number {
  return metric === 'mse' ? 1 : -1;
}

export interface SpeedResult {
  /** curve[0] − curve[horizon], signed so that a positive number is an improvement */
  improvement: number | null;
  /** first step whose improvement reaches 90% of `improvement`; null when nothing improves */
  stepsTo90: number | null;
  /** trapezoid area of curve[0..horizon] / horizon: the average level during adaptation */
  auc: number | null;
}

const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

export function adaptationSpeed(
  curve: readonly number[],
  metric: MetricName,
  horizon = 10,
): SpeedResult {
  const H = Math.min(horizon, curve.length - 1);
  const part = curve.slice(0, H + 1);
  if (H < 1 || !part.every(finite)) return { improvement: null, stepsTo90: null, auc: null };
  const sign = lowerIsBetter(metric);
  const gain = (s: number) => sign * ((part[0] as number) - (part[s] as number));
  const improvement = gain(H);
  let area = 0;
  for (let s = 0; s < H; s++) area += ((part[s] as number) + (part[s + 1] as number)) / 2;
  const auc = area / H;
  if (!(improvement > 0)) return { improvement, stepsTo90: null, auc };
  let stepsTo90 = H;
  for (let s = 0; s <= H; s++)
    if (gain(s) >= 0.9 * improvement) {
      stepsTo90 = s;
      break;
    }
  return { improvement, stepsTo90, auc };
}

export interface GeneralizationResult {
  train: { final: number | null; speed: SpeedResult };
  test: { final: number | null; speed: SpeedResult };
  /** how much worse the final metric is on meta-test tasks than on meta-train tasks */
  gap: number | null;
}

/** Worse-is-positive difference of two final values. */
function worseBy(metric: MetricName, reference: number, other: number): number | null {
  if (!finite(reference) || !finite(other)) return null;
  return lowerIsBetter(metric) * (other - reference);
}

export function generalization(
  trainCurve: readonly number[],
  testCurve: readonly number[],
  metric: MetricName,
  horizon = 10,
): GeneralizationResult {
  const H = Math.min(horizon, trainCurve.length - 1, testCurve.length - 1);
  const fin = (c: readonly number[]) => (finite(c[H]) ? (c[H] as number) : null);
  const train = { final: fin(trainCurve), speed: adaptationSpeed(trainCurve, metric, H) };
  const test = { final: fin(testCurve), speed: adaptationSpeed(testCurve, metric, H) };
  const gap =
    train.final === null || test.final === null ? null : worseBy(metric, train.final, test.final);
  return { train, test, gap };
}

export interface RobustnessEntry {
  clean: number | null;
  changed: number | null;
  /** how much worse the changed setting is (positive = worse) */
  change: number | null;
}

export function robustness(
  clean: readonly number[],
  changed: readonly number[],
  metric: MetricName,
  step: number,
): RobustnessEntry {
  const c = clean[step];
  const d = changed[step];
  return {
    clean: finite(c) ? c : null,
    changed: finite(d) ? d : null,
    change: finite(c) && finite(d) ? worseBy(metric, c, d) : null,
  };
}

/** K halved, at least 1. */
export function halvedShots(shots: number): number {
  return Math.max(1, Math.floor(shots / 2));
}

/**
 * A copy of the batch with its support labels corrupted; the query set (what
 * the model is scored on) stays clean. Regression: y + N(0, (fraction · sd)²)
 * with sd the standard deviation of all support targets of the batch.
 * Classification (one-hot rows of `outputDim` classes): each label is, with
 * probability `fraction`, replaced by one of the other classes.
 */
export function corruptSupport(
  batch: EpisodeBatch,
  kind: 'regression' | 'classification',
  fraction: number,
  rng: Rng,
): EpisodeBatch {
  const y = Float32Array.from(batch.supportY);
  if (kind === 'regression') {
    let mean = 0;
    for (const v of y) mean += v;
    mean /= y.length || 1;
    let varSum = 0;
    for (const v of y) varSum += (v - mean) ** 2;
    const sd = Math.sqrt(varSum / Math.max(1, y.length - 1));
    for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + fraction * sd * rng.normal();
    return { ...batch, supportY: y };
  }
  const C = batch.outputDim;
  for (let r = 0; r * C < y.length; r++) {
    if (C < 2 || rng.uniform(0, 1) >= fraction) continue;
    const row = y.subarray(r * C, (r + 1) * C);
    const current = row.indexOf(1);
    // another class, uniformly among the C − 1 others
    let next = rng.int(C - 1);
    if (next >= current) next++;
    row.fill(0);
    row[next] = 1;
  }
  return { ...batch, supportY: y };
}
