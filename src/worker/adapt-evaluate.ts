/**
 * The adaptation curve of the `evaluate` command: the meta-learned model
 * (its best-on-validation weights, as saved in the session) next to both
 * baselines on the same held-out episodes, metric per step 0..S — through
 * core's evaluateExperiment with exactly the arguments the CLI's
 * `evaluate --json` passes (shots, ways, defaultEvalQueries, inner learning
 * rate, seed), so the UI and the CLI print the same numbers for one session
 * on one backend. Tasks are adapted in chunks of 100 (one batched
 * computation each) and each chunk reports progress. The protocol names the
 * distinct tasks / classes the episodes came from and the interval's method.
 */
import type { TaskSource } from '../core/data/types';
import { DataError } from '../core/data/types';
import type { TrainConfig } from '../core/spec/config';
import { defaultEvalQueries, evaluateExperiment } from '../core/train/experiment';
import type { TrainedModel } from '../core/train/trainer';
import type { AdaptProgress, CurveRow, EvaluationCurve, EvaluationProtocol } from './adapt-types';

export const MAX_EVAL_EPISODES = 10000;

const finiteOrNull = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);

export async function evaluateCurve(
  source: TaskSource,
  config: TrainConfig,
  models: { main: TrainedModel; pretrain: TrainedModel | null },
  req: { episodes: number; steps: number },
  backend: string,
  progress: (p: AdaptProgress) => void,
): Promise<EvaluationCurve> {
  const S = req.steps;
  if (!(req.episodes >= 1 && req.episodes <= MAX_EVAL_EPISODES) || !Number.isInteger(req.episodes))
    throw new DataError(`Evaluate on a whole number of tasks from 1 to ${MAX_EVAL_EPISODES}.`);
  if (!(S >= 0 && S <= 100) || !Number.isInteger(S))
    throw new DataError('Evaluation steps must be a whole number from 0 to 100.');
  const setup = {
    episodes: req.episodes,
    shots: config.shots,
    ways: source.kind === 'classification' ? config.ways : null,
    queries: defaultEvalQueries(source, config),
    innerLr: config.innerLr,
    seed: config.seed,
    maxSteps: S,
    backend,
  };
  const t0 = performance.now();
  progress({ phase: 'evaluate', done: 0, total: req.episodes });
  const res = await evaluateExperiment(
    source,
    config,
    { algorithm: config.algorithm, main: models.main, pretrain: models.pretrain },
    {
      episodes: setup.episodes,
      maxSteps: S,
      shots: setup.shots,
      ways: config.ways,
      queries: setup.queries,
      innerLr: setup.innerLr,
      seed: setup.seed,
      onProgress: (done, total) => progress({ phase: 'evaluate', done, total }),
    },
  );
  const protocol: EvaluationProtocol = {
    ...setup,
    unitKind: res.units.kind,
    distinctUnits: res.units.distinct,
    ciMethod: res.units.ciMethod,
  };
  const rows: Record<string, CurveRow> = {};
  for (const [name, c] of Object.entries(res.models)) {
    rows[name] = {
      mean: res.steps.map((s) => finiteOrNull(c.mean[s])),
      ci95: res.steps.map((s) => finiteOrNull(c.ci95[s])),
      median: res.steps.map((s) => finiteOrNull(c.median[s])),
      diverged: res.steps.map((s) => c.diverged[s] ?? 0),
    };
  }
  return {
    algorithm: config.algorithm,
    metric: res.metric,
    steps: res.steps,
    models: rows,
    order: Object.keys(res.models),
    protocol,
    durationMs: performance.now() - t0,
  };
}
