/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011) with Optuna's
 * published defaults: the first 10 trials are random; after that the
 * finished trials are split into the best γ(n) = min(⌈0.1 n⌉, 25) ("below")
 * and the rest ("above"), a Parzen density l(x) is fitted to the first and
 * g(x) to the second, 24 candidates are drawn from l, and the one with the
 * largest l(x) / g(x) — the expected-improvement maximizer under TPE's model
 * — is tried. Parameters are treated independently (Optuna's univariate
 * default), each on its own scale (log for log-scale ranges).
 *
 * Ranking: complete trials by loss; then pruned trials (their loss comes
 * from a shorter budget, so they never outrank a complete one); then
 * diverged and failed trials, which have no loss.
 *
 * Integers are searched on the continuous line [low − ½, high + ½] and the
 * chosen candidate is rounded (the density is not discretized per integer).
 */
import type { SweepParams, SweepSpace } from '../spec/sweep-space';
import { categoricalParzen, numericParzen, type Density } from './parzen';
import {
  paramOf,
  randomParams,
  sameChoice,
  scaleOf,
  spaceKeys,
  trialRng,
  type Observation,
  type Sampler,
} from './sampler';

export interface TpeOptions {
  startupTrials: number;
  eiCandidates: number;
  gamma: (n: number) => number;
  priorWeight: number;
}

export const TPE_DEFAULTS: TpeOptions = {
  startupTrials: 10,
  eiCandidates: 24,
  gamma: (n) => Math.min(Math.ceil(0.1 * n), 25),
  priorWeight: 1,
};

const RANK_OF_STATE: Record<Observation['state'], number> = {
  complete: 0,
  pruned: 1,
  diverged: 2,
  failed: 2,
};

/** Indices of the observations, best first. */
export function rankObservations(history: readonly Observation[]): number[] {
  const key = (o: Observation) => (o.loss === null ? 2 : RANK_OF_STATE[o.state]);
  return history
    .map((_, i) => i)
    .sort((a, b) => {
      const oa = history[a] as Observation;
      const ob = history[b] as Observation;
      const byState = key(oa) - key(ob);
      if (byState !== 0) return byState;
      return (oa.loss ?? 0) - (ob.loss ?? 0) || a - b;
    });
}

/** Splits the history into the best γ(n) and the rest, each kept in trial order. */
export function splitBelowAbove(
  history: readonly Observation[],
  gamma: (n: number) => number,
): { below: Observation[]; above: Observation[] } {
  const ranked = rankObservations(history);
  const nBelow = gamma(history.length);
  const belowIdx = new Set(ranked.slice(0, nBelow));
  return {
    below: history.filter((_, i) => belowIdx.has(i)),
    above: history.filter((_, i) => !belowIdx.has(i)),
  };
}

export function tpeSampler(
  space: SweepSpace,
  seed: number,
  options: Partial<TpeOptions> = {},
): Sampler {
  const o = { ...TPE_DEFAULTS, ...options };
  return {
    sample(history, n) {
      const rng = trialRng(seed, n);
      if (history.length < o.startupTrials) return randomParams(space, rng);
      const { below, above } = splitBelowAbove(history, o.gamma);
      const out: SweepParams = {};
      for (const key of spaceKeys(space)) {
        const p = paramOf(space, key);
        let l: Density;
        let g: Density;
        let decode: (x: number) => SweepParams[typeof key];
        if (p.type === 'categorical') {
          const index = (obs: Observation) =>
            p.choices.findIndex((c) => sameChoice(c, obs.params[key]));
          const known = (os: Observation[]) => os.map(index).filter((i) => i >= 0);
          l = categoricalParzen(known(below), p.choices.length, o.priorWeight);
          g = categoricalParzen(known(above), p.choices.length, o.priorWeight);
          decode = (x) => p.choices[x];
        } else {
          const s = scaleOf(p);
          const internal = (os: Observation[]) =>
            os
              .map((obs) => obs.params[key])
              .filter((v): v is number => typeof v === 'number')
              .map((v) => Math.min(s.hi, Math.max(s.lo, s.toInternal(v))));
          l = numericParzen(internal(below), s.lo, s.hi, o.priorWeight);
          g = numericParzen(internal(above), s.lo, s.hi, o.priorWeight);
          decode = (x) => s.toValue(x);
        }
        let best = NaN;
        let bestScore = -Infinity;
        for (let c = 0; c < o.eiCandidates; c++) {
          const x = l.sample(rng);
          const score = l.logPdf(x) - g.logPdf(x);
          if (score > bestScore || Number.isNaN(best)) {
            best = x;
            bestScore = score;
          }
        }
        out[key] = decode(best);
      }
      return out;
    },
  };
}
