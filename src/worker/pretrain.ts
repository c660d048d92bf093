/**
 * The pre-training baseline of a run, trained once on demand for the
 * adaptation view and the session evaluation, with core's trainBaseline
 * (the CLI's `train` does the same after the main run), and saved with the
 * session so it is never trained twice for the same run.
 */
import type { TaskSource } from '../core/data/types';
import type { TrainConfig } from '../core/spec/config';
import { trainBaseline } from '../core/train/experiment';
import type { RunControl, TrainedModel } from '../core/train/trainer';
import type { AdaptProgress } from './adapt-types';

/**
 * The joint pre-training baseline of this run, trained as the CLI trains it
 * (core's trainBaseline: same config, seed + 1000) for as many meta-steps as
 * the run actually took (a run stopped early gets an equally short baseline,
 * the same budget), reporting its progress.
 */
export async function trainPretrainBaseline(
  source: TaskSource,
  runConfig: TrainConfig,
  stepsDone: number,
  progress: (p: AdaptProgress) => void,
  control?: RunControl,
): Promise<TrainedModel> {
  const metaSteps = Math.max(1, Math.min(runConfig.metaSteps, stepsDone));
  const config = { ...runConfig, metaSteps };
  progress({ phase: 'baseline', done: 0, total: config.metaSteps });
  const res = await trainBaseline(source, config, {
    ...(control ? { control } : {}),
    onEvent: (e) => {
      if (e.type === 'progress') progress({ phase: 'baseline', done: e.step, total: e.totalSteps });
    },
  });
  progress({ phase: 'baseline', done: config.metaSteps, total: config.metaSteps });
  return res.model;
}

/** Does this run's comparison include a pre-training baseline that is not trained yet? */
export function needsPretrain(algorithm: TrainConfig['algorithm'], pretrain: unknown): boolean {
  return !pretrain && algorithm !== 'pretrain' && algorithm !== 'scratch';
}
