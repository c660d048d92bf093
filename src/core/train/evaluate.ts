/**
 * Evaluation with the papers' protocol: E held-out episodes (default 600),
 * every model adapted on each episode's support set for 0, 1, … S steps of
 * SGD at the inner learning rate, scored on its query set; mean, 95% CI and
 * median per step, and the count of tasks that diverged (loss non-finite or
 * above 10× its step-0 value) so one blown-up task is visible instead of
 * silently ruining the mean.
 *
 * The episodes of a small meta-test set repeat its few tasks (or classes), so
 * each episode records the units it was drawn from and the interval is the
 * clustered one of clustered.ts; the result says how many distinct units
 * there were and by which method the interval was computed.
 *
 * Every model sees the same episodes (drawn once per chunk from the seed), and
 * a chunk of tasks is adapted as one batched computation. Metrics are read
 * back once per chunk and model.
 *
 * Ownership: models are plain arrays; all tensors are created and freed here.
 */
import * as tf from '@tensorflow/tfjs';
import type { EpisodeBatch, EpisodeShape, Split, TaskSource } from '../data/types';
import { Rng } from '../rng';
import { lossKindOf } from '../algorithms/index';
import { toTensors } from '../algorithms/batch';
import { median, summarize } from './stats';
import { CI_METHOD, clusteredSummary } from './clustered';
import { adaptationTrace, type EvalModel } from './adaptation-trace';

export { adaptationTrace, type EvalModel } from './adaptation-trace';

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
  /** changes each sampled batch before adaptation (robustness: corrupted support labels) */
  transform?: (batch: EpisodeBatch) => EpisodeBatch;
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

/** What the episodes were drawn from, and how the interval accounts for it. */
export interface EvalUnits {
  /** 'tasks' (one task per episode) or 'classes' (episodic: N classes per episode) */
  kind: 'tasks' | 'classes';
  /** distinct tasks or classes among the evaluation episodes */
  distinct: number;
  /** how ci95 was computed */
  ciMethod: string;
}

export interface EvalResult {
  metric: 'mse' | 'accuracy';
  steps: number[];
  episodes: number;
  units: EvalUnits;
  models: Record<string, CurveStats>;
  /** per-task metric[step][task], for tables and exports */
  perTask: Record<string, Float32Array[]>;
  /** the units each episode was drawn from, for paired comparisons with clusteredSummary */
  episodeUnits: string[][];
}

/**
 * The sampling units of each episode: its N classes in the episodic mode
 * (class indices of the split), otherwise its task (the episode's name —
 * a CSV task id, or a generated task's parameters, new every episode).
 */
export function episodeUnits(source: TaskSource, batch: EpisodeBatch): string[][] {
  const classes = batch.supportClass;
  if (source.kind === 'classification' && source.mode === 'episodic' && classes) {
    const per = batch.support;
    return batch.names.map((_, e) => [
      ...new Set(Array.from(classes.subarray(e * per, (e + 1) * per), (c) => `class ${c}`)),
    ]);
  }
  return batch.names.map((n) => [n]);
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
  const units: string[][] = [];
  for (const m of models) {
    metrics[m.name] = Array.from({ length: S + 1 }, () => new Float32Array(opts.episodes));
    losses[m.name] = Array.from({ length: S + 1 }, () => new Float32Array(opts.episodes));
  }
  const generated = !Number.isFinite(source.splitSizes()[opts.split ?? 'test']);
  const scale2 = source.targetScale * source.targetScale;
  for (let start = 0; start < opts.episodes; start += chunk) {
    const count = Math.min(chunk, opts.episodes - start);
    const sampled = source.sample(opts.split ?? 'test', count, opts.shape, rng);
    const batch = opts.transform ? opts.transform(sampled) : sampled;
    // A generated family draws a new task every episode: each is its own unit.
    if (generated) units.push(...batch.names.map((_, i) => [`episode ${start + i}`]));
    else units.push(...episodeUnits(source, batch));
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
  for (const m of models) out[m.name] = curveStats(metrics[m.name]!, losses[m.name]!, units);
  const distinct = new Set(units.flat()).size;
  const episodic = source.kind === 'classification' && source.mode === 'episodic';
  return {
    metric,
    steps: Array.from({ length: S + 1 }, (_, s) => s),
    episodes: opts.episodes,
    units: { kind: episodic ? 'classes' : 'tasks', distinct, ciMethod: CI_METHOD },
    models: out,
    perTask: metrics,
    episodeUnits: units,
  };
}

function curveStats(
  metric: Float32Array[],
  loss: Float32Array[],
  units: readonly string[][],
): CurveStats {
  const stats: CurveStats = { mean: [], ci95: [], median: [], diverged: [], lossMean: [] };
  const base = loss[0] as Float32Array;
  for (let s = 0; s < metric.length; s++) {
    const values = metric[s] as Float32Array;
    const sm = clusteredSummary(values, units);
    stats.mean.push(sm.mean);
    stats.ci95.push(sm.ci95);
    stats.median.push(median(values));
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
