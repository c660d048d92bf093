/**
 * Runs the evaluations behind the three metrics (three-metrics.ts) for the
 * meta-learned model and both baselines, all on the same tasks: meta-test
 * tasks clean (speed), meta-train tasks (generalization), meta-test tasks
 * with corrupted support labels and with K halved (robustness). Four passes
 * of evaluateModels (the same seed except for the meta-train pass), and every
 * model sees the same episodes within a pass. `onProgress` counts the tasks of
 * all four passes (total 4 × episodes); it may throw to cancel between chunks.
 */
import type { TaskSource } from '../data/types';
import { Rng } from '../rng';
import type { TrainConfig } from '../spec/config';
import { evaluateModels, type EvalResult } from './evaluate';
import { comparisonModels, type EvaluateRequest, type ExperimentModels } from './experiment';
import {
  adaptationSpeed,
  corruptSupport,
  generalization,
  halvedShots,
  robustness,
  type GeneralizationResult,
  type RobustnessEntry,
  type SpeedResult,
} from './three-metrics';

/** Adaptation steps the metrics look at (the "10-step improvement"). */

export const METRICS_HORIZON = 10;
/** evaluateModels passes behind the metrics: test, train, corrupted, K halved. */
export const METRICS_PASSES = 4;
/** Default corruption: noise of 0.5 × the targets' sd, or 20% of labels flipped. */
export const DEFAULT_NOISE = 0.5;
export const DEFAULT_FLIP = 0.2;

export interface ModelMetrics {
  speed: SpeedResult;
  generalization: GeneralizationResult;
  robustness: {
    corrupted: RobustnessEntry;
    halfShots: RobustnessEntry;
  };
}

export interface ThreeMetrics {
  metric: 'mse' | 'accuracy';
  horizon: number;
  /** regression: noise sd as a fraction of the targets' sd; classification: share of flipped labels */
  corruption: { kind: 'noise' | 'flip'; fraction: number };
  halfShots: number;
  models: Record<string, ModelMetrics>;
}

export async function evaluateThreeMetrics(
  source: TaskSource,
  config: TrainConfig,
  m: ExperimentModels,
  req: Omit<EvaluateRequest, 'maxSteps'> & { fraction?: number },
): Promise<ThreeMetrics> {
  const models = comparisonModels(source, config, m);
  const H = METRICS_HORIZON;
  const shape = { shots: req.shots, ways: req.ways, queries: req.queries };
  const base = { episodes: req.episodes, maxSteps: H, innerLr: req.innerLr, seed: req.seed };
  const regression = source.kind === 'regression';
  const fraction = req.fraction ?? (regression ? DEFAULT_NOISE : DEFAULT_FLIP);
  const noiseRng = new Rng(req.seed).fork();
  let pass = 0;
  const run = (over: Partial<Parameters<typeof evaluateModels>[2]>): Promise<EvalResult> => {
    const before = pass++ * req.episodes;
    const onProgress = req.onProgress
      ? (done: number) => req.onProgress?.(before + done, METRICS_PASSES * req.episodes)
      : undefined;
    return evaluateModels(source, models, { ...base, shape, split: 'test', onProgress, ...over });
  };
  const test = await run({});
  // the next seed: a generated family's train and test splits are one distribution, and
  // the same seed would draw the very same tasks
  const train = await run({ split: 'train', seed: req.seed + 1 });
  const corrupted = await run({
    transform: (b) => corruptSupport(b, source.kind, fraction, noiseRng),
  });
  const half = halvedShots(req.shots);
  const halfK = await run({ shape: { ...shape, shots: half } });
  const metric = test.metric;
  const out: Record<string, ModelMetrics> = {};
  for (const { name } of models) {
    const curve = (r: EvalResult) => r.models[name]?.mean ?? [];
    out[name] = {
      speed: adaptationSpeed(curve(test), metric, H),
      generalization: generalization(curve(train), curve(test), metric, H),
      robustness: {
        corrupted: robustness(curve(test), curve(corrupted), metric, H),
        halfShots: robustness(curve(test), curve(halfK), metric, H),
      },
    };
  }
  return {
    metric,
    horizon: H,
    corruption: { kind: regression ? 'noise' : 'flip', fraction },
    halfShots: half,
    models: out,
  };
}
