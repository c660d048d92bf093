/**
 * Min/max-preserving bucket downsampling for line charts: a history of any
 * length becomes at most `maxPoints` points, so a 70,000-step run renders as
 * fast as a 500-step one. The points are cut into equal buckets along the
 * array; each bucket keeps its lowest and its highest point, in their original
 * order, so spikes and dips survive (an average would hide a diverging step).
 * The first and last points are always kept, and the output stays sorted by
 * position. Pure: the input is never changed.
 */
export function downsampleMinMax<T>(
  points: readonly T[],
  maxPoints: number,
  value: (p: T) => number,
): T[] {
  const n = points.length;
  if (n <= maxPoints || maxPoints < 4) return points.slice();
  // Two points per bucket, plus the first and last points outside the buckets.
  const buckets = Math.floor((maxPoints - 2) / 2);
  const inner = n - 2;
  const out: T[] = [points[0] as T];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      const v = value(points[i] as T);
      // NaN counts as an extreme: a non-finite loss must stay visible.
      if (v < value(points[lo] as T) || Number.isNaN(v)) lo = i;
      if (v > value(points[hi] as T)) hi = i;
    }
    if (lo === hi) out.push(points[lo] as T);
    else if (lo < hi) out.push(points[lo] as T, points[hi] as T);
    else out.push(points[hi] as T, points[lo] as T);
  }
  out.push(points[n - 1] as T);
  return out;
}

/**
 * Exponential moving average with Adam's bias correction (divide by 1 − αᵗ),
 * so the start is the mean of the first values rather than the first value
 * alone. Non-finite values pass through and are left out of the average.
 */
export function ema(values: readonly number[], alpha: number): number[] {
  const out: number[] = [];
  let acc = 0;
  let weight = 1;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      out.push(v);
      continue;
    }
    acc = alpha * acc + (1 - alpha) * v;
    weight *= alpha;
    out.push(acc / (1 - weight));
  }
  return out;
}
