/**
 * Thins a run's per-step curves for share links. A 4,000-step run holds
 * 4,000 train losses whose float digits barely compress, so the curves were
 * most of a link; a chart shows a few hundred points anyway. Files and
 * IndexedDB keep every step: only shareFragmentFor calls this.
 *
 * Each curve is cut into equal buckets along the array and each bucket keeps
 * its lowest and highest point, in their original order, so a spike or a
 * dip survives (an average would hide a diverging step). A null value (a
 * non-finite loss, as stored) is an extreme too: the first null of a bucket
 * is kept. The first and last points are always kept, and so is the
 * validation point of the best step, which readers look up by step.
 * Pure: the history passed in is never changed.
 */
import type { TrainingHistory } from './schema';

/** Points per curve in a share link: enough for a chart of any width people use. */
export const SHARE_HISTORY_POINTS = 400;

function pick<T>(
  points: readonly T[],
  buckets: number,
  value: (p: T) => number | null,
  keep: (p: T) => boolean,
): number[] {
  const n = points.length;
  const inner = n - 2;
  const chosen = new Set<number>([0, n - 1]);
  points.forEach((p, i) => {
    if (keep(p)) chosen.add(i);
  });
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    let lo = -1;
    let hi = -1;
    let firstNull = -1;
    for (let i = start; i < end; i++) {
      const v = value(points[i] as T);
      if (v === null) {
        if (firstNull < 0) firstNull = i;
        continue;
      }
      if (lo < 0 || v < (value(points[lo] as T) as number)) lo = i;
      if (hi < 0 || v > (value(points[hi] as T) as number)) hi = i;
    }
    for (const i of [lo, hi, firstNull]) if (i >= 0) chosen.add(i);
  }
  return [...chosen].sort((a, b) => a - b);
}

function thin<T>(
  points: readonly T[],
  maxPoints: number,
  value: (p: T) => number | null,
  keep: (p: T) => boolean = () => false,
): T[] {
  if (points.length <= maxPoints || maxPoints < 4) return points.slice();
  // Two points a bucket; a bucket with a null gives a third, so shrink until it fits.
  let buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  let chosen = pick(points, buckets, value, keep);
  while (chosen.length > maxPoints && buckets > 1) {
    buckets = Math.max(1, buckets - Math.ceil((chosen.length - maxPoints) / 2));
    chosen = pick(points, buckets, value, keep);
  }
  return chosen.map((i) => points[i] as T);
}

/** The history with each curve thinned to at most `maxPoints` points (stepsDone, bestStep unchanged). */
export function thinHistory(
  history: TrainingHistory,
  maxPoints: number = SHARE_HISTORY_POINTS,
): TrainingHistory {
  return {
    ...history,
    train: thin(history.train, maxPoints, (p) => p.trainLoss),
    validation: thin(
      history.validation,
      maxPoints,
      (p) => p.loss,
      (p) => p.step === history.bestStep,
    ),
  };
}
