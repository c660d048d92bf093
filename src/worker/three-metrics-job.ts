/**
 * The three metrics of the kept model (issue 14) in the worker: core's
 * evaluateThreeMetrics with exactly the arguments the CLI's
 * `evaluate --metrics --corruption f --json` passes for a session (shots,
 * ways, defaultEvalQueries, the inner learning rate and seed of the
 * configuration), so the page and the CLI print the same numbers for one
 * session on one backend. Feature rows only, as in the CLI.
 */
import type { TaskSource } from '../core/data/types';
import { DataError } from '../core/data/types';
import type { TrainConfig } from '../core/spec/config';
import { defaultEvalQueries } from '../core/train/experiment';
import { evaluateThreeMetrics } from '../core/train/three-metrics-run';
import type { TrainedModel } from '../core/train/trainer';
import { MAX_EVAL_EPISODES } from './adapt-evaluate';
import type { ThreeMetricsCommand, ThreeMetricsReport } from './three-metrics-types';

export async function threeMetricsReport(
  source: TaskSource,
  config: TrainConfig,
  models: { main: TrainedModel; pretrain: TrainedModel | null },
  req: ThreeMetricsCommand,
  backend: string,
  progress: (done: number, total: number) => void,
): Promise<ThreeMetricsReport> {
  if (source.imageShape)
    throw new DataError('The three metrics apply to feature-row tasks (not images) for now.');
  if (!(req.episodes >= 1 && req.episodes <= MAX_EVAL_EPISODES) || !Number.isInteger(req.episodes))
    throw new DataError(
      `Compute the metrics on a whole number of tasks from 1 to ${MAX_EVAL_EPISODES}.`,
    );
  if (!(req.fraction >= 0 && req.fraction <= 1))
    throw new DataError('The corruption must be a fraction from 0 to 1.');
  const protocol = {
    episodes: req.episodes,
    shots: config.shots,
    ways: source.kind === 'classification' ? config.ways : null,
    queries: defaultEvalQueries(source, config),
    innerLr: config.innerLr,
    seed: config.seed,
    backend,
  };
  const t0 = performance.now();
  const metrics = await evaluateThreeMetrics(
    source,
    config,
    { algorithm: config.algorithm, main: models.main, pretrain: models.pretrain },
    {
      episodes: protocol.episodes,
      shots: protocol.shots,
      ways: config.ways,
      queries: protocol.queries,
      innerLr: protocol.innerLr,
      seed: protocol.seed,
      fraction: req.fraction,
      onProgress: progress,
    },
  );
  return {
    algorithm: config.algorithm,
    order: Object.keys(metrics.models),
    metrics,
    protocol,
    durationMs: performance.now() - t0,
  };
}
