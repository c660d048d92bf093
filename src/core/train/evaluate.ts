/**
 * Evaluation with the papers' protocol: E held-out episodes (default 600),
 * every model adapted on each episode's support set for 0, 1, … S steps of
 * SGD at the inner learning rate, scored on its query set; mean, 95% CI and
 * median per step, and the count of tasks that diverged (loss non-finite or
 * above 10× its step-0 value) so one blown-up task is visible instead of
 * silently ruining the mean.
 *
 * Every model sees the same episodes (drawn once per chunk from the seed), and
 * a chunk of tasks is adapted as one batched computation. Metrics are read
 * back once per chunk and model.
 *
 * Ownership: models are plain arrays; all tensors are created and freed here.
 */
import * as tf from '@tensorflow/tfjs';
import type { EpisodeShape, Split, TaskSource } from '../data/types';
import { Rng } from '../rng';
import { forward, tileParams } from '../models/mlp';
import { isConv, paramShapes, type ModelSpec } from '../models/model';
import { convTrace, headTrace } from './evaluate-heads';
import type { AdaptStyle } from '../algorithms/learner';
import { lossKindOf } from '../algorithms/index';
import { lossPerTask, toTensors, type LossKind } from '../algorithms/batch';
import { innerStep } from '../algorithms/inner-loop';
import { protoQueryLogits } from '../algorithms/protonet';
import { accuracyPerTask, msePerTask } from '../ops';
import { summarize } from './stats';

export interface EvalModel {
  /** key in the results, e.g. "maml", "pretrain", "scratch" */
  name: string;
  spec: ModelSpec;
  arrays: Float32Array[];
  adaptStyle: AdaptStyle;
}

export interface EvalOptions {
  split?: Split;
  episodes: number;
  /** the largest number of adaptation steps; every step 0..maxSteps is scored */
  maxSteps: number;
  shape: EpisodeShape;
  innerLr: number;
  seed: number;
  /** tasks adapted together in one batched computation */
  chunk?: number;
  /**
   * Steps to score when adapting a conv net's weights task by task (others
   * are NaN); every step when absent. Other models score every step.
   */
  scoreSteps?: number[];
  onProgress?: (done: number, total: number) => void;
}

export interface CurveStats {
  mean: number[];
  ci95: number[];
  median: number[];
  /** tasks whose loss diverged at each step */
  diverged: number[];
  /** mean loss (MSE in standardized units, or cross-entropy) per step */
  lossMean: number[];
}

export interface EvalResult {
  metric: 'mse' | 'accuracy';
  steps: number[];
  episodes: number;
  models: Record<string, CurveStats>;
  /** per-task metric[step][task], for tables and exports */
  perTask: Record<string, Float32Array[]>;
}

export async function evaluateModels(
  source: TaskSource,
  models: EvalModel[],
  opts: EvalOptions,
): Promise<EvalResult> {
  const lossKind = lossKindOf(source);
  const metric = lossKind === 'mse' ? 'mse' : 'accuracy';
  const chunk = Math.max(1, opts.chunk ?? 100);
  const S = opts.maxSteps;
  const rng = new Rng(opts.seed);
  const metrics: Record<string, Float32Array[]> = {};
  const losses: Record<string, Float32Array[]> = {};
  for (const m of models) {
    metrics[m.name] = Array.from({ length: S + 1 }, () => new Float32Array(opts.episodes));
    losses[m.name] = Array.from({ length: S + 1 }, () => new Float32Array(opts.episodes));
  }
  const scale2 = source.targetScale * source.targetScale;
  for (let start = 0; start < opts.episodes; start += chunk) {
    const count = Math.min(chunk, opts.episodes - start);
    const batch = source.sample(opts.split ?? 'test', count, opts.shape, rng);
    for (const m of models) {
      const stacked = tf.tidy(() =>
        adaptationTrace(m, toTensors(batch), lossKind, S, opts.innerLr, opts.scoreSteps),
      );
      const [mv, lv] = await Promise.all([stacked.metric.data(), stacked.loss.data()]);
      stacked.metric.dispose();
      stacked.loss.dispose();
      for (let s = 0; s <= S; s++) {
        for (let i = 0; i < count; i++) {
          const v = mv[s * count + i] as number;
          (metrics[m.name] as Float32Array[])[s]![start + i] = metric === 'mse' ? v * scale2 : v;
          (losses[m.name] as Float32Array[])[s]![start + i] = lv[s * count + i] as number;
        }
      }
    }
    opts.onProgress?.(start + count, opts.episodes);
  }
  const out: Record<string, CurveStats> = {};
  for (const m of models) out[m.name] = curveStats(metrics[m.name]!, losses[m.name]!);
  return {
    metric,
    steps: Array.from({ length: S + 1 }, (_, s) => s),
    episodes: opts.episodes,
    models: out,
    perTask: metrics,
  };
}

function curveStats(metric: Float32Array[], loss: Float32Array[]): CurveStats {
  const stats: CurveStats = { mean: [], ci95: [], median: [], diverged: [], lossMean: [] };
  const base = loss[0] as Float32Array;
  for (let s = 0; s < metric.length; s++) {
    const sm = summarize(metric[s] as Float32Array);
    stats.mean.push(sm.mean);
    stats.ci95.push(sm.ci95);
    stats.median.push(sm.median);
    const l = loss[s] as Float32Array;
    let diverged = 0;
    for (let i = 0; i < l.length; i++) {
      const v = l[i] as number;
      if (!Number.isFinite(v) || v > 10 * (base[i] as number)) diverged++;
    }
    stats.diverged.push(diverged);
    stats.lossMean.push(summarize(l).mean);
  }
  return stats;
}

/**
 * Metric and loss per task after 0..S adaptation steps, as [S+1, B] tensors.
 * 'finetune' adapts all weights by SGD on the support loss; 'protonet'
 * classifies by prototypes and fine-tunes the encoder on the support set
 * classified against its own prototypes.
 */
export function adaptationTrace(
  model: EvalModel,
  t: ReturnType<typeof toTensors>,
  lossKind: LossKind,
  S: number,
  lr: number,
  scoreSteps?: number[],
): { metric: tf.Tensor2D; loss: tf.Tensor2D } {
  if (model.adaptStyle === 'head' || model.adaptStyle === 'proto-head')
    return headTrace(model, t, lossKind, S, lr);
  if (isConv(model.spec)) return convTrace(model, t, lossKind, S, lr, scoreSteps);
  const B = t.sx.shape[0];
  const shapes = paramShapes(model.spec);
  let params = tileParams(
    model.arrays.map((a, i) => tf.tensor(a, shapes[i])),
    B,
  );
  const metricSteps: tf.Tensor1D[] = [];
  const lossSteps: tf.Tensor1D[] = [];
  const queryOut = (p: tf.Tensor[]) =>
    model.adaptStyle === 'protonet' ? protoQueryLogits(p, t.sx, t.sy, t.qx) : forward(p, t.qx);
  const supportLoss = (p: tf.Tensor[]) =>
    model.adaptStyle === 'protonet'
      ? lossPerTask('ce', protoQueryLogits(p, t.sx, t.sy, t.sx), t.sy)
      : lossPerTask(lossKind, forward(p, t.sx), t.sy);
  for (let s = 0; s <= S; s++) {
    const out = queryOut(params);
    lossSteps.push(lossPerTask(lossKind, out, t.qy));
    metricSteps.push(lossKind === 'mse' ? msePerTask(out, t.qy) : accuracyPerTask(out, t.qy));
    if (s < S) params = innerStep(params, supportLoss, lr);
  }
  return { metric: tf.stack(metricSteps) as tf.Tensor2D, loss: tf.stack(lossSteps) as tf.Tensor2D };
}
