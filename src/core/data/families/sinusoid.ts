/**
 * The sinusoid regression family of the MAML paper (Finn et al. 2017, §5.1):
 * a task is y = A·sin(x − φ) with amplitude A ~ U[0.1, 5.0] and phase
 * φ ~ U[0, π]; inputs x ~ U[−5, 5]; no noise. Targets are not standardized
 * (targetScale 1), so losses compare with the paper's numbers. Tasks are
 * unlimited: every split draws fresh ones (splitSizes is Infinity).
 *
 * Also exported for the adaptation view: the true curve of given parameters
 * and a batch built from given parameters and person-placed x values.
 * Random draws per episode, in order: A, φ, the K support x, the Q query x.
 */
import type { Rng } from '../../rng';
import {
  DataError,
  type EpisodeBatch,
  type EpisodeLimits,
  type EpisodeShape,
  type Split,
  type TaskSource,
} from '../types';
import { allocateBatch, checkRequest } from '../sampling/batch';

export interface SinusoidParams {
  amplitude: number;
  phase: number;
}

export type Range = readonly [number, number];

export interface SinusoidOptions {
  amplitude?: Range;
  phase?: Range;
  x?: Range;
}

export const SINUSOID_RANGES = {
  amplitude: [0.1, 5.0],
  phase: [0, Math.PI],
  x: [-5, 5],
} as const satisfies Required<SinusoidOptions>;

export function sinusoidValue(p: SinusoidParams, x: number): number {
  return p.amplitude * Math.sin(x - p.phase);
}

/** The true curve y(x) of one task at the given x values. */
export function sinusoidCurve(p: SinusoidParams, xs: ArrayLike<number>): Float32Array {
  const out = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = sinusoidValue(p, xs[i] as number);
  return out;
}

export function sinusoidName(p: SinusoidParams): string {
  return `A=${p.amplitude.toFixed(2)} φ=${p.phase.toFixed(2)}`;
}

export function sampleSinusoidParams(
  rng: Rng,
  ranges: Pick<SinusoidOptions, 'amplitude' | 'phase'> = {},
): SinusoidParams {
  const [a0, a1] = ranges.amplitude ?? SINUSOID_RANGES.amplitude;
  const [p0, p1] = ranges.phase ?? SINUSOID_RANGES.phase;
  const amplitude = rng.uniform(a0, a1);
  const phase = rng.uniform(p0, p1);
  return { amplitude, phase };
}

export interface SinusoidTaskSpec {
  params: SinusoidParams;
  supportX: ArrayLike<number>;
  /** may be empty when only the support matters */
  queryX: ArrayLike<number>;
}

/**
 * A batch of given sinusoid tasks at given x values (e.g. points a person
 * placed on the chart). All tasks must have the same support and query sizes.
 */
export function sinusoidBatch(tasks: readonly SinusoidTaskSpec[]): EpisodeBatch {
  const first = tasks[0];
  if (first === undefined) throw new DataError('A sinusoid batch needs at least one task.');
  const support = first.supportX.length;
  const query = first.queryX.length;
  if (tasks.some((t) => t.supportX.length !== support || t.queryX.length !== query)) {
    throw new DataError(
      'Every task of a batch must have the same number of support and query points.',
    );
  }
  const batch = allocateBatch({
    tasks: tasks.length,
    support,
    query,
    inputDim: 1,
    outputDim: 1,
    withClasses: false,
  });
  tasks.forEach((t, b) => {
    batch.supportX.set(Float32Array.from(t.supportX), b * support);
    batch.supportY.set(sinusoidCurve(t.params, t.supportX), b * support);
    batch.queryX.set(Float32Array.from(t.queryX), b * query);
    batch.queryY.set(sinusoidCurve(t.params, t.queryX), b * query);
    batch.names.push(sinusoidName(t.params));
  });
  return batch;
}

export class SinusoidSource implements TaskSource {
  readonly name = 'sinusoid';
  readonly kind = 'regression' as const;
  readonly inputDim = 1;
  readonly targetScale = 1;
  private readonly ranges: Required<SinusoidOptions>;

  constructor(opts: SinusoidOptions = {}) {
    this.ranges = {
      amplitude: opts.amplitude ?? SINUSOID_RANGES.amplitude,
      phase: opts.phase ?? SINUSOID_RANGES.phase,
      x: opts.x ?? SINUSOID_RANGES.x,
    };
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
    const [x0, x1] = this.ranges.x;
    const specs: SinusoidTaskSpec[] = [];
    for (let b = 0; b < count; b++) {
      const params = sampleSinusoidParams(rng, this.ranges);
      const supportX = Array.from({ length: shape.shots }, () => rng.uniform(x0, x1));
      const queryX = Array.from({ length: shape.queries }, () => rng.uniform(x0, x1));
      specs.push({ params, supportX, queryX });
    }
    return sinusoidBatch(specs);
  }
}
