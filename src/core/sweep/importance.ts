/**
 * Which parameters mattered: for each parameter, the share of the spread of
 * the trials' scores that grouping the trials by that parameter explains.
 *
 * Method (IMPORTANCE_METHOD): the scores are replaced by their ranks (so one
 * blown-up trial does not dominate); trials are grouped by the parameter —
 * by choice for a categorical one, into up to 4 equal-count bins of the value
 * for a numeric one (ties kept together); the importance is ε², the
 * correlation ratio η² corrected for the share that k groups explain by
 * chance, (SS_between − (k − 1)·MS_within) / (SS_total + MS_within), floored
 * at 0. It is a one-parameter-at-a-time variance split (an fANOVA main effect
 * with a step function), so interactions are not credited. Trials without a
 * score (diverged, failed) are left out. Pure.
 */
import type { ChoiceValue, SweepKey, SweepParams, SweepSpace } from '../spec/sweep-space';
import { spaceKeys } from './sampler';

export const IMPORTANCE_METHOD =
  'ε² (η² corrected for chance) of the score ranks grouped by the parameter: by choice, or numeric values in up to 4 equal-count bins';

export interface ScoredTrial {
  params: SweepParams;
  /** lower is better; null: left out */
  loss: number | null;
}

export interface ParamImportance {
  key: SweepKey;
  /** in [0, 1]: the share of the score ranks' variance the parameter explains */
  importance: number;
  groups: number;
}

/** Average ranks (1-based; ties share their mean rank). */
export function ranks(values: number[]): number[] {
  const order = values
    .map((_, i) => i)
    .sort((a, b) => (values[a] as number) - (values[b] as number));
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1] as number] === values[order[i] as number])
      j++;
    const mean = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k] as number] = mean;
    i = j + 1;
  }
  return out;
}

/** Group labels of the trials for one parameter. */
function groupsOf(values: ChoiceValue[], bins: number): string[] {
  const numeric = values.every((v) => typeof v === 'number');
  const distinct = new Set(values.map((v) => JSON.stringify(v)));
  if (!numeric || distinct.size <= bins) return values.map((v) => JSON.stringify(v));
  const r = ranks(values as number[]);
  // equal values have equal ranks, so ties land in the same bin
  return r.map((x) => String(Math.min(bins - 1, Math.floor(((x - 1) * bins) / values.length))));
}

export function epsilonSquared(y: number[], groups: string[]): number {
  const n = y.length;
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const by = new Map<string, number[]>();
  groups.forEach((g, i) => by.set(g, [...(by.get(g) ?? []), y[i] as number]));
  const k = by.size;
  let ssTotal = 0;
  for (const v of y) ssTotal += (v - mean) ** 2;
  let ssBetween = 0;
  for (const vs of by.values()) {
    const m = vs.reduce((a, b) => a + b, 0) / vs.length;
    ssBetween += vs.length * (m - mean) ** 2;
  }
  if (k < 2 || n <= k || ssTotal === 0) return 0;
  const msWithin = (ssTotal - ssBetween) / (n - k);
  return Math.max(0, (ssBetween - (k - 1) * msWithin) / (ssTotal + msWithin));
}

export function paramImportance(
  space: SweepSpace,
  trials: readonly ScoredTrial[],
  bins = 4,
): ParamImportance[] {
  const scored = trials.filter((t): t is ScoredTrial & { loss: number } => t.loss !== null);
  const y = ranks(scored.map((t) => t.loss));
  return spaceKeys(space)
    .map((key) => {
      const values = scored.map((t) => t.params[key] as ChoiceValue);
      const groups = groupsOf(values, bins);
      return {
        key,
        importance: scored.length >= 3 ? epsilonSquared(y, groups) : 0,
        groups: new Set(groups).size,
      };
    })
    .sort((a, b) => b.importance - a.importance);
}
