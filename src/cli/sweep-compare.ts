/**
 * `sweep --compare-default`: the best trial against the default settings on
 * the same held-out tasks. The default configuration (the base with none of
 * the swept values) is meta-trained with the same budget and seed; both are
 * scored on the same meta-test episodes (same evaluation seed), each adapting
 * with its own inner learning rate. Besides each model's mean and 95%
 * interval, the per-episode difference (best − default) gets its own
 * interval: the episodes are shared, so the paired interval is the sharper
 * test of "better".
 */
import type { TaskSource } from '../core/data/types';
import type { TrainConfig } from '../core/spec/config';
import { clusteredSummary } from '../core/train/clustered';
import { evaluateModels } from '../core/train/evaluate';
import { defaultEvalQueries } from '../core/train/experiment';
import { intervalsOverlap } from '../core/train/stats';
import { episodeShape, Trainer, type TrainedModel } from '../core/train/trainer';

export interface Scored {
  mean: number;
  ci95: number;
}

export interface Comparison {
  step: number;
  episodes: number;
  seed: number;
  metric: 'mse' | 'accuracy';
  best: Scored;
  default: Scored & { trainSeconds: number; bestStep: number };
  /** mean and 95% interval of (best − default) over the shared episodes */
  pairedDifference: Scored;
  /** the two 95% intervals do not overlap */
  intervalsApart: boolean;
  /** distinct meta-test tasks (or classes) the episodes were drawn from */
  distinctUnits: number;
  ciMethod: string;
}

async function score(
  source: TaskSource,
  config: TrainConfig,
  model: TrainedModel,
  step: number,
  episodes: number,
  seed: number,
) {
  return evaluateModels(source, [{ name: 'm', ...model }], {
    split: 'test',
    episodes,
    maxSteps: step,
    shape: { ...episodeShape(config), queries: defaultEvalQueries(source, config) },
    innerLr: config.innerLr,
    seed,
  });
}

export async function compareWithDefault(
  source: TaskSource,
  bestConfig: TrainConfig,
  bestModel: TrainedModel,
  defaultConfig: TrainConfig,
  opts: { step: number; episodes: number; seed: number },
): Promise<Comparison> {
  const t0 = performance.now();
  const trainer = new Trainer(source, defaultConfig, { throttleMs: 1000 });
  let trained;
  try {
    trained = await trainer.run();
  } finally {
    trainer.dispose();
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  const a = await score(source, bestConfig, bestModel, opts.step, opts.episodes, opts.seed);
  const b = await score(source, defaultConfig, trained.model, opts.step, opts.episodes, opts.seed);
  // The same seed and shape draw the same episodes; check rather than trust it.
  if (JSON.stringify(a.episodeUnits) !== JSON.stringify(b.episodeUnits))
    throw new Error('the two evaluations drew different episodes (shots or queries differ)');
  const s = opts.step;
  const va = a.perTask.m?.[s] as Float32Array;
  const vb = b.perTask.m?.[s] as Float32Array;
  const diff = va.map((v, i) => v - (vb[i] as number));
  const d = clusteredSummary(diff, a.episodeUnits);
  const best = { mean: a.models.m?.mean[s] as number, ci95: a.models.m?.ci95[s] as number };
  const dflt = { mean: b.models.m?.mean[s] as number, ci95: b.models.m?.ci95[s] as number };
  return {
    step: s,
    episodes: opts.episodes,
    seed: opts.seed,
    metric: a.metric,
    best,
    default: { ...dflt, trainSeconds, bestStep: trained.bestStep },
    pairedDifference: { mean: d.mean, ci95: d.ci95 },
    intervalsApart: !intervalsOverlap(best, dflt),
    distinctUnits: a.units.distinct,
    ciMethod: a.units.ciMethod,
  };
}
