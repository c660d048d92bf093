/**
 * The Parzen estimators of TPE: a weighted mixture of truncated normals on a
 * numeric parameter's internal line (scaleOf), and a weighted mixture of
 * smoothed one-hot distributions on a categorical parameter. Each has a
 * prior component (the whole range, resp. uniform) so a density built from
 * few observations still covers the space.
 *
 * Bandwidths follow the TPE papers and Optuna's published defaults: each
 * observation's σ is the larger gap to its sorted neighbours, clipped to
 * [(hi − lo) / min(100, 1 + n), hi − lo] ("magic clip"); the prior has
 * μ = the middle, σ = hi − lo; the prior weight is 1.
 */
import type { Rng } from '../rng';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Φ, the standard normal CDF, through erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function logSumExp(xs: number[]): number {
  const m = Math.max(...xs);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}

/**
 * Optuna's default weights of n observations in trial order: all equal below
 * 25; beyond, the newest 25 weigh 1 and older ones ramp linearly from 1/n.
 */
export function observationWeights(n: number): number[] {
  if (n < 25) return Array.from({ length: n }, () => 1);
  const ramp = Array.from({ length: n - 25 }, (_, i) =>
    n - 25 === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (n - 26),
  );
  return [...ramp, ...Array.from({ length: 25 }, () => 1)];
}

function normalized(ws: number[]): number[] {
  const total = ws.reduce((s, w) => s + w, 0);
  return ws.map((w) => w / total);
}

function pickComponent(weights: number[], rng: Rng): number {
  let u = rng.next();
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

export interface Density {
  sample(rng: Rng): number;
  logPdf(x: number): number;
}

/** Mixture of truncated normals on [lo, hi] built from observations on the internal line. */
export function numericParzen(
  observed: number[],
  lo: number,
  hi: number,
  priorWeight = 1,
): Density {
  const width = hi - lo;
  if (!(width > 0)) return { sample: () => lo, logPdf: () => 0 };
  const n = observed.length;
  const order = observed
    .map((_, i) => i)
    .sort((a, b) => (observed[a] as number) - (observed[b] as number));
  const sigmas = new Array<number>(n).fill(width);
  order.forEach((idx, rank) => {
    const mu = observed[idx] as number;
    const left = rank > 0 ? mu - (observed[order[rank - 1] as number] as number) : -Infinity;
    const right = rank < n - 1 ? (observed[order[rank + 1] as number] as number) - mu : -Infinity;
    // The outermost observations use their one inner neighbour; a lone one, the distance to the ends.
    let s = Math.max(left, right);
    if (n === 1) s = Math.max(mu - lo, hi - mu);
    sigmas[idx] = s;
  });
  const minSigma = width / Math.min(100, 1 + (n + 1));
  const mus = [...observed, (lo + hi) / 2];
  const sds = [...sigmas.map((s) => Math.min(width, Math.max(minSigma, s))), width];
  const weights = normalized([...observationWeights(n), priorWeight]);
  const logW = weights.map(Math.log);
  const logMass = mus.map((mu, i) => {
    const s = sds[i] as number;
    return Math.log(Math.max(normalCdf((hi - mu) / s) - normalCdf((lo - mu) / s), 1e-300));
  });
  return {
    sample(rng) {
      const i = pickComponent(weights, rng);
      const mu = mus[i] as number;
      const s = sds[i] as number;
      // Rejection: μ lies in [lo, hi] and σ ≥ width/100, so at least about a third of draws land.
      for (let tries = 0; tries < 1000; tries++) {
        const x = mu + s * rng.normal();
        if (x >= lo && x <= hi) return x;
      }
      return Math.min(hi, Math.max(lo, mu));
    },
    logPdf(x) {
      return logSumExp(
        mus.map((mu, i) => {
          const s = sds[i] as number;
          const z = (x - mu) / s;
          return (
            (logW[i] as number) - 0.5 * z * z - Math.log(s) - LOG_SQRT_2PI - (logMass[i] as number)
          );
        }),
      );
    },
  };
}

/** Mixture over choice indices: each observation puts weight 1 on its choice plus priorWeight / k on every choice. */
export function categoricalParzen(observed: number[], k: number, priorWeight = 1): Density {
  const weights = normalized([...observationWeights(observed.length), priorWeight]);
  const probs = new Array<number>(k).fill(0);
  observed.forEach((c, i) => {
    const w = weights[i] as number;
    for (let j = 0; j < k; j++)
      probs[j]! += (w * (priorWeight / k + (j === c ? 1 : 0))) / (priorWeight + 1);
  });
  const wPrior = weights[observed.length] as number;
  for (let j = 0; j < k; j++) probs[j]! += wPrior / k;
  return {
    sample: (rng) => pickComponent(probs, rng),
    logPdf: (c) => Math.log(probs[c] as number),
  };
}
