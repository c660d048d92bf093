/**
 * A 95% interval that counts what was actually sampled. Evaluation episodes
 * drawn from a small meta-test set reuse the same few tasks (or classes), so
 * 600 episodes from 9 tasks are not 600 independent draws: the spread between
 * tasks is known from 9 of them only. Every episode names its sampling units
 * (its task, or the N classes of an episodic draw); the interval is the
 * cluster-robust standard error of the mean over those units, with a
 * Student t critical value on G − 1 degrees of freedom (G distinct units).
 *
 * Why a clustered standard error rather than a cluster bootstrap: with few
 * clusters — exactly the case this exists for — a bootstrap over G tasks can
 * only reshuffle G task means, so its percentile interval never reaches past
 * the most extreme task and comes out too narrow (for G = 2 it is at most the
 * gap between the two task means). The CR1 sandwich estimate with t(G − 1)
 * critical values is the usual remedy for few clusters, needs no random
 * draws (the same numbers on every backend and run), and costs one pass.
 * With one episode per unit (a generated family: every task new) it reduces
 * to s/√n with t(n − 1), i.e. the papers' 1.96·s/√n up to t(599) = 1.964.
 *
 * Multi-membership (episodic classification: an episode is N classes): each
 * episode's deviation from the mean is shared equally among its N classes
 * before the per-class sums are squared — the episode mean is the average of
 * its N per-class query accuracies, so this is the first-order share of each
 * class. Because that sharing can cancel (every episode drawing the same 3
 * classes gives all-zero shares), the variance used is never below the
 * independent-episodes one: max(clustered, s²/n), the conservative choice.
 *
 * One unit: the spread between units is unknown, so the interval is not
 * finite (reported as "no interval").
 */
import jStat from 'jstat';

export { CI_METHOD, FEW_UNITS } from '../spec/units-note';

export interface ClusteredSummary {
  mean: number;
  /** half-width of the 95% interval; Infinity when it cannot be estimated */
  ci95: number;
  /** episodes */
  n: number;
  /** distinct units the episodes were drawn from */
  units: number;
}

/** Two-sided 95% critical value of Student's t with df degrees of freedom. */
export function tCritical95(df: number): number {
  if (!(df >= 1)) return Infinity;
  return jStat.studentt.inv(0.975, df);
}

/**
 * `unitsOf[i]`: the unit ids episode i was drawn from (one task, or N
 * classes). Non-finite values make the mean non-finite, as in summarize.
 */
export function clusteredSummary(
  values: ArrayLike<number>,
  unitsOf: readonly (readonly string[])[],
): ClusteredSummary {
  const n = values.length;
  const distinct = new Set<string>();
  for (let i = 0; i < n; i++) for (const u of unitsOf[i] ?? []) distinct.add(u);
  const G = distinct.size;
  if (n === 0) return { mean: NaN, ci95: NaN, n: 0, units: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  if (!Number.isFinite(mean)) return { mean, ci95: NaN, n, units: G };
  let ss = 0;
  const shares = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    ss += d * d;
    const us = unitsOf[i] ?? [];
    for (const u of us) shares.set(u, (shares.get(u) ?? 0) + d / us.length);
  }
  if (G < 2 || n < 2) return { mean, ci95: Infinity, n, units: G };
  let sq = 0;
  for (const s of shares.values()) sq += s * s;
  const clustered = ((G / (G - 1)) * sq) / (n * n);
  const independent = ss / (n - 1) / n;
  const se = Math.sqrt(Math.max(clustered, independent));
  const df = Math.min(G, n) - 1;
  return { mean, ci95: tCritical95(df) * se, n, units: G };
}
