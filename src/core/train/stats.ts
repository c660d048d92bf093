/**
 * Summary statistics of per-task results, as the few-shot papers report them:
 * mean ± 95% confidence interval (1.96 · sample std / √n, the normal
 * approximation used by MAML and ProtoNets over 600 episodes), plus the
 * median, which one diverged task cannot move.
 */
export interface Summary {
  mean: number;
  ci95: number;
  median: number;
  n: number;
}

export function summarize(values: ArrayLike<number>): Summary {
  const n = values.length;
  if (n === 0) return { mean: NaN, ci95: NaN, median: NaN, n: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    ss += d * d;
  }
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  return { mean, ci95: (1.96 * sd) / Math.sqrt(n), median: median(values), n };
}

export function median(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((a, b) =>
    Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b,
  );
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Do two mean ± ci intervals overlap? */
export function intervalsOverlap(
  a: { mean: number; ci95: number },
  b: { mean: number; ci95: number },
): boolean {
  return a.mean - a.ci95 <= b.mean + b.ci95 && b.mean - b.ci95 <= a.mean + a.ci95;
}
