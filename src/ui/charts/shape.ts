/**
 * The page's side of chart geometry, as pure functions: linear scales (to
 * map clicks and hovers on a drawing back to data), the y range worth
 * showing, and round tick values (the charts' own ticks, given to recharts).
 */
export interface Scale {
  (v: number): number;
  invert(p: number): number;
}

/** The linear map of [d0, d1] onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  f.invert = (p: number) => (k === 0 ? d0 : d0 + (p - r0) / k);
  return f;
}

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

/** About `count` round tick values across [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step)
    out.push(Number(v.toFixed(10)));
  return out;
}
