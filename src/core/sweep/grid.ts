/**
 * Grid search: every combination of a few values per parameter, visited in
 * an order shuffled by the seed (so a sweep shorter than the grid still
 * spreads over it). Categorical parameters contribute their choices; an
 * integer range its integers when there are at most `points` of them;
 * otherwise `points` values evenly spaced on the parameter's scale
 * (geometrically on a log scale).
 */
import { Rng } from '../rng';
import type { ChoiceValue, ParamSpec, SweepParams, SweepSpace } from '../spec/sweep-space';
import { paramOf, scaleOf, spaceKeys, type Sampler } from './sampler';

/** The largest grid enumerated (a bigger one is a mistake worth a message). */
export const MAX_GRID_POINTS = 1_000_000;

export function gridValues(p: ParamSpec, points: number): ChoiceValue[] {
  if (p.type === 'categorical') return p.choices;
  if (p.type === 'int' && p.high - p.low + 1 <= points)
    return Array.from({ length: p.high - p.low + 1 }, (_, i) => p.low + i);
  if (p.low === p.high) return [p.low];
  const s = scaleOf({ ...p, type: 'float' });
  const values = Array.from({ length: points }, (_, i) =>
    s.toValue(s.lo + ((s.hi - s.lo) * i) / (points - 1)),
  );
  const rounded = p.type === 'int' ? values.map((v) => Math.round(v)) : values;
  return [...new Set(rounded)];
}

export function gridSize(space: SweepSpace, points = 5): number {
  return spaceKeys(space).reduce((n, k) => n * gridValues(paramOf(space, k), points).length, 1);
}

export function gridSampler(space: SweepSpace, seed: number, points = 5): Sampler {
  const keys = spaceKeys(space);
  const values = keys.map((k) => gridValues(paramOf(space, k), points));
  const size = values.reduce((n, v) => n * v.length, 1);
  if (size > MAX_GRID_POINTS)
    throw new Error(
      `the grid has ${size} points (more than ${MAX_GRID_POINTS}); narrow the space or use random or TPE`,
    );
  const order = new Rng(seed).shuffle(Array.from({ length: size }, (_, i) => i));
  return {
    sample: (_history, n) => {
      if (n >= size) return null;
      let index = order[n] as number;
      const out: SweepParams = {};
      keys.forEach((k, j) => {
        const v = values[j] as ChoiceValue[];
        out[k] = v[index % v.length] as ChoiceValue;
        index = Math.floor(index / v.length);
      });
      return out;
    },
  };
}
