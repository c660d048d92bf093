/**
 * The image jobs of the adaptation panel beyond one episode (issue 13):
 * the meta-learned model's confusion matrix over many held-out episodes,
 * and the papers' evaluation protocol (core's imageProtocolJson, the very
 * computation of the CLI's `evaluate --json`). Both report progress between
 * chunks of episodes, where a command that replaces the model stops them.
 *
 * Ownership: tensors live inside one tf.tidy per chunk; two readbacks per
 * chunk; nothing outlives the call.
 */
import * as tf from '@tensorflow/tfjs';
import { lossKindOf } from '../core/algorithms/index';
import { toTensors } from '../core/algorithms/batch';
import type { TaskSource } from '../core/data/types';
import { DataError } from '../core/data/types';
import { Rng } from '../core/rng';
import type { TrainConfig } from '../core/spec/config';
import type { ImageProtocolJson, ImageSetting } from '../core/spec/image-protocol';
import { adaptationTrace, type EvalModel } from '../core/train/evaluate';
import { defaultEvalQueries, type ExperimentModels } from '../core/train/experiment';
import { imageProtocolJson, settingLabel } from '../core/train/image-protocol';
import type { AdaptProgress, ConfusionResult } from './adapt-types';

export const MAX_CONFUSION_EPISODES = 1000;
export const MAX_PROTOCOL_EPISODES = 2000;
/** episodes classified together: 10 5-way episodes are ~300 images through Conv-4 */
const CHUNK = 10;

function checkImages(source: TaskSource): void {
  if (source.kind !== 'classification' || !source.imageShape)
    throw new DataError('This view needs an image classification task (Omniglot or your images).');
}

function wholeIn(v: number, lo: number, hi: number, what: string): void {
  if (!(Number.isInteger(v) && v >= lo && v <= hi))
    throw new DataError(`${what} must be a whole number from ${lo} to ${hi}.`);
}

/**
 * Confusion counts of `model` over `episodes` held-out episodes of the
 * run's N-way K-shot shape, after `steps` adaptation steps. The episodes
 * are drawn from the run's seed, so they are the first ones of the
 * adaptation curve's evaluation.
 */
export async function confusionOverEpisodes(
  source: TaskSource,
  config: TrainConfig,
  model: EvalModel,
  req: { episodes: number; steps: number },
  progress: (p: AdaptProgress) => void,
): Promise<ConfusionResult> {
  checkImages(source);
  wholeIn(req.episodes, 1, MAX_CONFUSION_EPISODES, 'Episodes');
  wholeIn(req.steps, 0, 100, 'Adaptation steps');
  const N = config.ways;
  const shape = { ways: N, shots: config.shots, queries: defaultEvalQueries(source, config) };
  const counts = new Array<number>(N * N).fill(0);
  const rng = new Rng(config.seed);
  const lossKind = lossKindOf(source);
  progress({ phase: 'confusion', done: 0, total: req.episodes });
  for (let start = 0; start < req.episodes; start += CHUNK) {
    const count = Math.min(CHUNK, req.episodes - start);
    const batch = source.sample('test', count, shape, rng);
    const [pred, truth] = tf.tidy(() => {
      const t = toTensors(batch);
      const tr = adaptationTrace(model, t, lossKind, req.steps, config.innerLr, [], true);
      return [tf.argMax(tr.logits as tf.Tensor3D, 2), tf.argMax(t.qy, 2)];
    });
    const [p, y] = await Promise.all([pred.data(), truth.data()]).finally(() => {
      pred.dispose();
      truth.dispose();
    });
    for (let i = 0; i < p.length; i++) {
      const at = (y[i] as number) * N + (p[i] as number);
      counts[at] = (counts[at] as number) + 1;
    }
    progress({ phase: 'confusion', done: start + count, total: req.episodes });
  }
  return {
    algorithm: config.algorithm,
    ways: N,
    shots: config.shots,
    queries: shape.queries,
    episodes: req.episodes,
    steps: req.steps,
    counts,
  };
}

/** The papers' protocol on the chosen settings, with one progress bar over all of them. */
export async function protocolEvaluation(
  source: TaskSource,
  config: TrainConfig,
  models: ExperimentModels,
  req: { settings: ImageSetting[]; episodes: number; steps: number[] },
  backend: string,
  progress: (p: AdaptProgress) => void,
): Promise<ImageProtocolJson> {
  checkImages(source);
  wholeIn(req.episodes, 1, MAX_PROTOCOL_EPISODES, 'Episodes per setting');
  if (req.settings.length === 0) throw new DataError('Pick at least one setting to evaluate.');
  if (req.steps.length === 0) throw new DataError('Name at least one adaptation step.');
  for (const s of req.steps) wholeIn(s, 0, 100, 'Adaptation steps');
  for (const s of req.settings) {
    wholeIn(s.ways, 2, 100, 'N (ways)');
    wholeIn(s.shots, 1, 50, 'K (shots)');
  }
  const total = req.episodes * req.settings.length;
  progress({ phase: 'protocol', done: 0, total, label: settingLabel(req.settings[0]!) });
  let before = 0;
  let current: ImageSetting | null = null;
  return imageProtocolJson(
    source,
    config,
    models,
    {
      settings: req.settings,
      episodes: req.episodes,
      steps: req.steps,
      onProgress: (setting, done) => {
        if (current !== setting) {
          if (current) before += req.episodes;
          current = setting;
        }
        progress({ phase: 'protocol', done: before + done, total, label: settingLabel(setting) });
      },
    },
    backend,
  );
}
