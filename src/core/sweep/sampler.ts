/**
 * What every sampler shares: the history it learns from, the per-trial
 * random stream, and the numeric scale of a parameter.
 *
 * A sampler is a pure function of (space, seed, history, trial number): the
 * trial's random draws come from a stream derived from the sweep's seed and
 * the trial number alone, so the same seed and the same scores reproduce the
 * same trials, whatever order or process they were asked in.
 *
 * Scores are losses: lower is better (the runner negates accuracy).
 */
import { Rng } from '../rng';
import type {
  ChoiceValue,
  NumericParamSpec,
  ParamSpec,
  SweepParams,
  SweepSpace,
  SweepKey,
  TrialState,
} from '../spec/sweep-space';

export type { TrialState } from '../spec/sweep-space';

/** A finished trial as samplers see it. */
export interface Observation {
  params: SweepParams;
  state: TrialState;
  /** the loss (lower is better); null when there is none (diverged, failed) */
  loss: number | null;
}

export interface Sampler {
  /** the trial's settings, or null when the sampler has nothing left (an exhausted grid) */
  sample(history: readonly Observation[], trialNumber: number): SweepParams | null;
}

/** The random stream of one trial: depends on the seed and the trial number only. */
export function trialRng(seed: number, trialNumber: number): Rng {
  const mixed = Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(trialNumber + 1, 0x85ebca6b);
  return new Rng(mixed >>> 0);
}

/** Keys of a space in a fixed order, so draws happen in the same order everywhere. */
export function spaceKeys(space: SweepSpace): SweepKey[] {
  return Object.keys(space) as SweepKey[];
}

export function paramOf(space: SweepSpace, key: SweepKey): ParamSpec {
  const p = space[key];
  if (!p) throw new Error(`no parameter ${key} in the space`);
  return p;
}

/**
 * A numeric parameter lives, for sampling, on an internal line: the log of
 * the value on a log scale, the value itself otherwise; an integer covers
 * [low − ½, high + ½] so that rounding gives each integer an equal share.
 */
export interface Scale {
  lo: number;
  hi: number;
  toValue(u: number): number;
  toInternal(v: number): number;
}

export function scaleOf(p: NumericParamSpec): Scale {
  const isInt = p.type === 'int';
  const lo = isInt ? p.low - 0.5 : p.low;
  const hi = isInt ? p.high + 0.5 : p.high;
  const fwd = (v: number) => (p.log ? Math.log(v) : v);
  const back = (u: number) => (p.log ? Math.exp(u) : u);
  return {
    lo: fwd(lo),
    hi: fwd(hi),
    toInternal: fwd,
    toValue: (u) => {
      const v = back(u);
      if (!isInt) return Math.min(p.high, Math.max(p.low, v));
      return Math.min(p.high, Math.max(p.low, Math.round(v)));
    },
  };
}

export function sameChoice(a: ChoiceValue, b: ChoiceValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** One independent uniform draw of every parameter (log-uniform on a log scale). */
export function randomParams(space: SweepSpace, rng: Rng): SweepParams {
  const out: SweepParams = {};
  for (const key of spaceKeys(space)) {
    const p = paramOf(space, key);
    if (p.type === 'categorical') {
      out[key] = p.choices[rng.int(p.choices.length)] as ChoiceValue;
    } else {
      const s = scaleOf(p);
      out[key] = s.toValue(rng.uniform(s.lo, s.hi));
    }
  }
  return out;
}

export function randomSampler(space: SweepSpace, seed: number): Sampler {
  return { sample: (_history, n) => randomParams(space, trialRng(seed, n)) };
}
