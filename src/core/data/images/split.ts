/**
 * The split of an image set's classes into meta-train / val / test: a
 * seeded shuffle of the classes sorted by name (so the order of files in a
 * zip or folder does not matter), about 70 / 15 / 15 by default with at
 * least one class in each. The same seed and class names give the same split.
 */
import { Rng } from '../../rng';
import type { Split } from '../types';

export function splitClasses<T extends { name: string }>(
  classes: readonly T[],
  seed: number,
  fractions = { val: 0.15, test: 0.15 },
): Record<Split, T[]> {
  const n = classes.length;
  const nVal = Math.max(1, Math.round(fractions.val * n));
  const nTest = Math.max(1, Math.round(fractions.test * n));
  if (n - nVal - nTest < 1) {
    throw new RangeError(`cannot split ${n} classes into meta-train / val / test`);
  }
  const sorted = [...classes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const order = new Rng(seed).shuffle(sorted.map((_, i) => i));
  const take = (from: number, to: number) =>
    order
      .slice(from, to)
      .sort((a, b) => a - b)
      .map((i) => sorted[i] as T);
  return {
    train: take(0, n - nVal - nTest),
    val: take(n - nVal - nTest, n - nTest),
    test: take(n - nTest, n),
  };
}
