/**
 * Linear regression tasks: y = w·x + b + ε with, per task, w ~ N(0, I_d) and
 * b ~ N(0, 1); inputs x ~ U[−1, 1]^d (d = 10 by default) and noise
 * ε ~ N(0, 0.1²) per example. Targets are not standardized (targetScale 1;
 * y has a standard deviation of about √(d/3 + 1) ≈ 2.1 for d = 10). Tasks are
 * unlimited (splitSizes is Infinity). Random draws per episode, in order:
 * w, b, then per example its x and its noise.
 */
import type { Rng } from '../../rng';
import type { EpisodeBatch, EpisodeLimits, EpisodeShape, Split, TaskSource } from '../types';
import { allocateBatch, checkRequest } from '../sampling/batch';

export interface LinearOptions {
  /** number of inputs, default 10 */
  inputDim?: number;
  /** standard deviation of the per-example noise, default 0.1 */
  noiseStd?: number;
}

export interface LinearParams {
  w: Float32Array;
  b: number;
}

export function sampleLinearParams(rng: Rng, inputDim: number): LinearParams {
  const w = new Float32Array(inputDim);
  for (let i = 0; i < inputDim; i++) w[i] = rng.normal();
  return { w, b: rng.normal() };
}

export function linearName(p: LinearParams): string {
  const norm = Math.hypot(...p.w);
  return `b=${p.b.toFixed(2)} |w|=${norm.toFixed(2)}`;
}

export class LinearSource implements TaskSource {
  readonly name = 'linear';
  readonly kind = 'regression' as const;
  readonly targetScale = 1;
  readonly inputDim: number;
  readonly noiseStd: number;

  constructor(opts: LinearOptions = {}) {
    this.inputDim = opts.inputDim ?? 10;
    this.noiseStd = opts.noiseStd ?? 0.1;
    if (!Number.isInteger(this.inputDim) || this.inputDim < 1) {
      throw new RangeError(`linear: inputDim must be a whole number ≥ 1 (got ${this.inputDim})`);
    }
  }

  classCount(_split: Split): number {
    return 0;
  }

  limits(_split: Split): EpisodeLimits {
    return { maxShots: Infinity, maxWays: Infinity, maxQueries: Infinity };
  }

  splitSizes(): Record<Split, number> {
    return { train: Infinity, val: Infinity, test: Infinity };
  }

  sample(_split: Split, count: number, shape: EpisodeShape, rng: Rng): EpisodeBatch {
    checkRequest('regression', count, shape);
    const d = this.inputDim;
    const { shots, queries } = shape;
    const batch = allocateBatch({
      tasks: count,
      support: shots,
      query: queries,
      inputDim: d,
      outputDim: 1,
      withClasses: false,
    });
    for (let t = 0; t < count; t++) {
      const p = sampleLinearParams(rng, d);
      const fill = (x: Float32Array, y: Float32Array, row: number) => {
        let dot = p.b;
        for (let i = 0; i < d; i++) {
          const v = rng.uniform(-1, 1);
          x[row * d + i] = v;
          dot += (p.w[i] as number) * v;
        }
        y[row] = dot + this.noiseStd * rng.normal();
      };
      for (let k = 0; k < shots; k++) fill(batch.supportX, batch.supportY, t * shots + k);
      for (let q = 0; q < queries; q++) fill(batch.queryX, batch.queryY, t * queries + q);
      batch.names.push(linearName(p));
    }
    return batch;
  }
}
