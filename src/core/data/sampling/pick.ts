/**
 * Index draws shared by the samplers, all deterministic given the Rng state.
 * drawDistinct gives k distinct indices from [0, n) in random order without
 * touching all n when k is small (a class with 50,000 rows costs a handful
 * of draws per episode, not an array of 50,000). pickBalanced picks which
 * tasks go into a batch so they repeat as little as possible: a fresh random
 * permutation is used up before any index comes back, so a meta-batch
 * smaller than the task set has no duplicates and a long evaluation visits
 * every task about equally often.
 */
import type { Rng } from '../../rng';

export function drawDistinct(rng: Rng, n: number, k: number): number[] {
  if (k > n) throw new RangeError(`cannot draw ${k} distinct items from ${n}`);
  if (k * 4 > n) return rng.sampleWithoutReplacement(n, k);
  // Few of many: rejection is expected to need fewer than 4k/3 draws.
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < k) {
    const i = rng.int(n);
    if (seen.has(i)) continue;
    seen.add(i);
    out.push(i);
  }
  return out;
}

export function pickBalanced(rng: Rng, n: number, count: number): number[] {
  if (n < 1 && count > 0) throw new RangeError('cannot pick from an empty set');
  const out: number[] = [];
  while (out.length < count) {
    const take = Math.min(n, count - out.length);
    for (const i of drawDistinct(rng, n, take)) out.push(i);
  }
  return out;
}
