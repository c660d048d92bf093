/**
 * Data shaping for the recharts charts, as pure functions: the y range of the
 * adaptation plot, and the adaptation curve's rows (means, bands as
 * [lower, upper] pairs, earlier runs), with null wherever a value is unknown
 * or not finite, which recharts draws as a break.
 */
import type { EvaluationCurve } from '../../worker/adapt-types';

/**
 * The y range of the plot: the truth and the points always, the predictions
 * only within twice that span, so one blown-up model does not flatten the
 * picture (its line leaves the plot instead), padded by 8%.
 */
export function yRange(
  anchors: readonly ArrayLike<number>[],
  curves: readonly ArrayLike<number>[],
): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const take = (a: ArrayLike<number>, min: number, max: number) => {
    for (let i = 0; i < a.length; i++) {
      const v = a[i] as number;
      if (Number.isFinite(v) && v >= min && v <= max) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  };
  for (const a of anchors) take(a, -Infinity, Infinity);
  if (!Number.isFinite(lo)) {
    lo = -1;
    hi = 1;
  }
  const span = Math.max(hi - lo, 1e-3);
  const [alo, ahi] = [lo - span, hi + span];
  for (const c of curves) take(c, alo, ahi);
  const pad = 0.08 * Math.max(hi - lo, 1e-3);
  return [lo - pad, hi + pad];
}

/** An earlier run's curve drawn dashed for comparison. */
export interface OverlayLine {
  id: string | number;
  label: string;
  color: string;
  curve: EvaluationCurve;
}

export const bandKey = (name: string) => `${name}:band`;
export const pastKey = (id: string | number) => `past:${String(id)}`;

/** One row per step: means, [lower, upper] bands (null where unknown) and past means. */
export function curveRows(
  curve: EvaluationCurve,
  overlays: readonly OverlayLine[],
): Record<string, number | [number, number] | null>[] {
  const S = Math.max(
    curve.steps[curve.steps.length - 1] ?? 0,
    ...overlays.map((o) => o.curve.steps[o.curve.steps.length - 1] ?? 0),
  );
  const finite = (v: number | null | undefined) =>
    v !== null && v !== undefined && Number.isFinite(v) ? v : null;
  return Array.from({ length: S + 1 }, (_, step) => {
    const row: Record<string, number | [number, number] | null> = { step };
    const i = curve.steps.indexOf(step);
    for (const name of curve.order) {
      const m = curve.models[name];
      const mean = i < 0 ? null : finite(m?.mean[i]);
      const ci = i < 0 ? null : finite(m?.ci95[i]);
      row[name] = mean;
      row[bandKey(name)] = mean === null || ci === null ? null : [mean - ci, mean + ci];
    }
    for (const o of overlays) {
      const j = o.curve.steps.indexOf(step);
      row[pastKey(o.id)] = j < 0 ? null : finite(o.curve.models[o.curve.algorithm]?.mean[j]);
    }
    return row;
  });
}
