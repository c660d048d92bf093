/**
 * Few-shot adaptation on one task, for the adaptation view: the task is
 * resolved (a meta-test task, a fresh random one, or a sinusoid of given
 * amplitude and phase; the support set possibly edited by the person), then
 * the meta-learned model and both baselines take 0..S plain SGD steps on its
 * support set at the inner learning rate, and we read back their predictions
 * on an x grid after every step (1-D regression) and their query metric per
 * step (the very computation of core's evaluation: `adaptationTrace`).
 *
 * Sinusoid tasks are drawn here in the order SinusoidSource.sample draws them
 * (A, φ, K support x, Q query x per task), so meta-test task i is the i-th
 * task of the evaluation's episodes and its true function is known.
 *
 * Ownership: every tensor is created and freed here (tf.tidy, then one
 * readback per model); results are plain Float32Arrays.
 */
import * as tf from '@tensorflow/tfjs';
import { lossKindOf } from '../core/algorithms/index';
import { lossPerTask, toTensors } from '../core/algorithms/batch';
import { innerStep } from '../core/algorithms/inner-loop';
import type { EpisodeBatch, EpisodeShape, TaskSource } from '../core/data/types';
import { DataError } from '../core/data/types';
import {
  SINUSOID_RANGES,
  sampleSinusoidParams,
  sinusoidBatch,
  sinusoidCurve,
  type SinusoidParams,
  type SinusoidTaskSpec,
} from '../core/data/families/sinusoid';
import { forward, tileParams } from '../core/models/mlp';
import { Rng } from '../core/rng';
import type { TrainConfig } from '../core/spec/config';
import { adaptationTrace, type EvalModel } from '../core/train/evaluate';
import { weightsAndRates } from '../core/train/adaptation-trace';
import { defaultEvalQueries } from '../core/train/experiment';
import type { AdaptCommand, AdaptResult, AdaptedModel } from './adapt-types';
import { JobCancelled } from './gate';
import { episodeImages, queryPredictions } from './adapt-images';

export const MAX_ADAPT_STEPS = 100;
export const MAX_TEST_INDEX = 9999;
const MAX_GRID = 1000;

interface ResolvedTask {
  batch: EpisodeBatch;
  params: SinusoidParams | null;
  label: string;
}

const isSinusoid = (source: TaskSource) => source.name === 'sinusoid' && source.inputDim === 1;

/** The tasks a sinusoid source would draw from this rng, up to and including the last. */
function sinusoidTask(rng: Rng, index: number, shape: EpisodeShape): SinusoidTaskSpec {
  const [x0, x1] = SINUSOID_RANGES.x;
  let spec: SinusoidTaskSpec | null = null;
  for (let b = 0; b <= index; b++) {
    const params = sampleSinusoidParams(rng);
    const supportX = Array.from({ length: shape.shots }, () => rng.uniform(x0, x1));
    const queryX = Array.from({ length: shape.queries }, () => rng.uniform(x0, x1));
    spec = { params, supportX, queryX };
  }
  return spec as SinusoidTaskSpec;
}

/** Task b of a batch as a batch of one. */
function takeTask(batch: EpisodeBatch, b: number): EpisodeBatch {
  const part = (a: Float32Array, per: number) => a.slice(b * per, (b + 1) * per);
  const one: EpisodeBatch = {
    ...batch,
    tasks: 1,
    supportX: part(batch.supportX, batch.support * batch.inputDim),
    supportY: part(batch.supportY, batch.support * batch.outputDim),
    queryX: part(batch.queryX, batch.query * batch.inputDim),
    queryY: part(batch.queryY, batch.query * batch.outputDim),
    names: [batch.names[b] ?? `task ${b}`],
  };
  if (batch.supportClass) one.supportClass = batch.supportClass.slice(b * batch.support);
  if (batch.queryClass) one.queryClass = batch.queryClass.slice(b * batch.query);
  return one;
}

export function resolveTask(
  source: TaskSource,
  config: TrainConfig,
  cmd: Pick<AdaptCommand, 'task'>,
): ResolvedTask {
  const shape: EpisodeShape = {
    shots: config.shots,
    ways: config.ways,
    queries: defaultEvalQueries(source, config),
  };
  const t = cmd.task;
  if (t.kind === 'sinusoid') {
    if (!isSinusoid(source))
      throw new DataError('Amplitude and phase can only be set for the sinusoid family.');
    const [a0, a1] = SINUSOID_RANGES.amplitude;
    if (!(t.amplitude >= 0.01 && t.amplitude <= 2 * a1) || !Number.isFinite(t.phase))
      throw new DataError(
        `The amplitude must lie between 0.01 and ${2 * a1} (trained on ${a0}–${a1}).`,
      );
    const spec = sinusoidTask(new Rng(t.seed), 0, shape);
    const params = { amplitude: t.amplitude, phase: t.phase };
    const batch = sinusoidBatch([{ ...spec, params }]);
    return { batch, params, label: `sinusoid A=${t.amplitude} φ=${t.phase}` };
  }
  const index = t.kind === 'test' ? Math.floor(t.index) : 0;
  if (!(index >= 0 && index <= MAX_TEST_INDEX))
    throw new DataError(`Pick a meta-test task between 0 and ${MAX_TEST_INDEX}.`);
  const seed = t.kind === 'test' ? config.seed : t.seed;
  if (isSinusoid(source)) {
    const spec = sinusoidTask(new Rng(seed), index, shape);
    const batch = sinusoidBatch([spec]);
    return { batch, params: spec.params, label: `sinusoid ${batch.names[0] ?? ''}` };
  }
  const batch = takeTask(source.sample('test', index + 1, shape, new Rng(seed)), index);
  return { batch, params: null, label: batch.names[0] ?? `task ${index}` };
}

/** Replaces the support set of a 1-D regression task with the person's points. */
function withSupport(task: ResolvedTask, support: NonNullable<AdaptCommand['support']>): void {
  const n = support.x.length;
  if (n < 1 || support.y.length !== n)
    throw new DataError('The support set needs at least one point, each with x and y.');
  if ([...support.x, ...support.y].some((v) => !Number.isFinite(v)))
    throw new DataError('Support points must have finite x and y.');
  const b = task.batch;
  b.support = n;
  b.supportX = Float32Array.from(support.x);
  b.supportY = Float32Array.from(support.y);
}

/** An even grid over the inputs the task covers (the family's range for a sinusoid). */
function gridFor(task: ResolvedTask, size: number): Float32Array {
  let lo: number;
  let hi: number;
  if (task.params) {
    [lo, hi] = SINUSOID_RANGES.x;
    for (const v of task.batch.supportX) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  } else {
    const all = [...task.batch.supportX, ...task.batch.queryX];
    lo = Math.min(...all);
    hi = Math.max(...all);
    const pad = 0.05 * (hi - lo || 1);
    lo -= pad;
    hi += pad;
  }
  const n = Math.max(2, Math.min(MAX_GRID, Math.floor(size)));
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Predictions at x ([1, n, d]) after 0..S finetune steps on the support set: [S+1, n]. */
function predictionTrace(
  model: EvalModel,
  batch: EpisodeBatch,
  x: tf.Tensor3D,
  S: number,
  lr: number,
): tf.Tensor2D {
  const t = toTensors(batch);
  // Meta-SGD and MAML++ adapt with their learned rates instead of lr.
  const { weights, rateAt } = weightsAndRates(model, lr);
  let params = tileParams(weights, 1);
  const support = (p: tf.Tensor[]) => lossPerTask('mse', forward(p, t.sx), t.sy);
  const out: tf.Tensor1D[] = [];
  for (let s = 0; s <= S; s++) {
    out.push(tf.reshape(forward(params, x), [-1]) as tf.Tensor1D);
    if (s < S) params = innerStep(params, support, rateAt(s));
  }
  return tf.stack(out) as tf.Tensor2D;
}

export async function adaptOnTask(
  source: TaskSource,
  config: TrainConfig,
  models: EvalModel[],
  cmd: AdaptCommand,
  /** asked between models; true drops the adaptation (JobCancelled) */
  stopRequested: () => boolean = () => false,
): Promise<AdaptResult> {
  const S = Math.floor(cmd.steps);
  if (!(S >= 0 && S <= MAX_ADAPT_STEPS))
    throw new DataError(`Adaptation steps must be a whole number from 0 to ${MAX_ADAPT_STEPS}.`);
  const task = resolveTask(source, config, cmd);
  const oneD = source.kind === 'regression' && source.inputDim === 1;
  if (cmd.support) {
    if (!oneD) throw new DataError('Support points can only be edited on 1-D regression tasks.');
    withSupport(task, cmd.support);
  }
  const b = task.batch;
  const grid = oneD ? gridFor(task, cmd.gridSize) : null;
  const lossKind = lossKindOf(source);
  const scale2 = source.targetScale * source.targetScale;
  const lr = config.innerLr;
  const adapted: AdaptedModel[] = [];
  const imageShape = source.kind === 'classification' ? source.imageShape : undefined;
  for (const m of models) {
    if (stopRequested()) throw new JobCancelled();
    const trace = tf.tidy(() => {
      const tr = adaptationTrace(m, toTensors(b), lossKind, S, lr, undefined, !!imageShape);
      return tr.logits ? { metric: tr.metric, ...queryPredictions(tr.logits) } : tr.metric;
    });
    const metric = trace instanceof tf.Tensor ? trace : trace.metric;
    const classes =
      trace instanceof tf.Tensor
        ? null
        : await Promise.all([trace.top.data(), trace.prob.data()]).finally(() => {
            trace.top.dispose();
            trace.prob.dispose();
          });
    const preds =
      source.kind === 'regression'
        ? tf.tidy(() => {
            const x = grid
              ? tf.tensor3d(grid, [1, grid.length, 1])
              : tf.tensor3d(b.queryX, [1, b.query, b.inputDim]);
            return predictionTrace(m, b, x, S, lr);
          })
        : null;
    const [mv, pv] = await Promise.all([metric.data(), preds ? preds.data() : null]);
    metric.dispose();
    preds?.dispose();
    const n = pv ? pv.length / (S + 1) : 0;
    adapted.push({
      name: m.name,
      metric: Array.from(mv as Float32Array, (v) => (lossKind === 'mse' ? v * scale2 : v)),
      predictions: pv
        ? Array.from({ length: S + 1 }, (_, s) => (pv as Float32Array).slice(s * n, (s + 1) * n))
        : [],
      ...(classes
        ? {
            classes: {
              predicted: Uint8Array.from(classes[0]),
              probability: Float32Array.from(classes[1]),
            },
          }
        : {}),
    });
  }
  const firstInput = (xs: Float32Array, count: number) =>
    Float32Array.from({ length: count }, (_, i) => xs[i * b.inputDim] as number);
  return {
    requestId: cmd.requestId,
    kind: source.kind,
    inputDim: source.inputDim,
    metric: lossKind === 'mse' ? 'mse' : 'accuracy',
    steps: S,
    innerLr: lr,
    taskLabel: task.label,
    params: task.params,
    support: { x: firstInput(b.supportX, b.support), y: b.supportY.slice(0, b.support) },
    query: {
      x: oneD ? b.queryX.slice() : new Float32Array(0),
      y: source.kind === 'regression' ? b.queryY.slice() : new Float32Array(0),
    },
    grid,
    truth: grid && task.params ? sinusoidCurve(task.params, grid) : null,
    models: adapted,
    edited: cmd.support !== null,
    ...(imageShape ? { images: episodeImages(b, imageShape, b.outputDim) } : {}),
  };
}
