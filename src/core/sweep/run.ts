/**
 * Runs a sweep: asks the sampler for each trial's settings, meta-trains the
 * trial with the Trainer (one after another), stops it early when successive
 * halving says so, and records how it ended. A trial never crashes the
 * sweep: a diverged run (non-finite meta-train loss or validation score) is
 * `diverged`, any other refusal (settings the data cannot serve) is `failed`
 * with its message.
 *
 * Every trial trains with the base configuration's seed (common random
 * numbers: the same initialization draw, task order and validation episodes),
 * so trials differ by their settings, not by luck of the draw.
 *
 * The score of a trial is its best meta-validation metric (MSE: lower is
 * better; accuracy: higher), the one whose weights a training run keeps.
 * Ownership: each trial's Trainer is disposed before the next starts; the
 * best trial's weights are kept as plain arrays.
 */
import type { TaskSource } from '../data/types';
import type { TrainConfig } from '../spec/config';
import {
  applyParams,
  type SamplerName,
  type SweepParams,
  type SweepSpace,
  type TrialRecord,
  type TrialState,
} from '../spec/sweep-space';
import { Trainer, type TrainedModel } from '../train/trainer';
import { DivergenceError } from '../train/stopping';
import { SuccessiveHalving, type AshaDecision } from './asha';
import type { Observation } from './sampler';
import { createSampler } from './samplers';

export type { TrialRecord } from '../spec/sweep-space';

export interface PruningOptions {
  /** meta-steps before the first rung */
  gracePeriod: number;
  reductionFactor: number;
}

export interface SweepRequest {
  source: TaskSource;
  /** the settings of every key the space does not vary */
  base: TrainConfig;
  space: SweepSpace;
  sampler: SamplerName;
  seed: number;
  trials: number;
  /** successive halving on meta-validation; null runs every trial to the end */
  pruning: PruningOptions | null;
  onTrial?: (t: TrialRecord) => void;
  /** called before each trial; true ends the sweep (time limit, interrupt) */
  stopRequested?: () => boolean;
}

export interface SweepResult {
  trials: TrialRecord[];
  /** index into trials of the best complete trial, or null */
  best: number | null;
  /** the best complete trial's best-on-validation weights */
  bestModel: TrainedModel | null;
  direction: 'minimize' | 'maximize';
}

export async function runSweep(req: SweepRequest): Promise<SweepResult> {
  const direction = req.source.kind === 'regression' ? 'minimize' : 'maximize';
  const sign = direction === 'minimize' ? 1 : -1;
  const sampler = createSampler(req.sampler, req.space, req.seed);
  const asha = req.pruning
    ? new SuccessiveHalving({ ...req.pruning, maxSteps: req.base.metaSteps, direction })
    : null;
  const trials: TrialRecord[] = [];
  const history: Observation[] = [];
  let best: number | null = null;
  let bestModel: TrainedModel | null = null;
  for (let n = 0; n < req.trials; n++) {
    if (req.stopRequested?.()) break;
    const params = sampler.sample(history, n);
    if (!params) break;
    const { record, model } = await runTrial(
      req.source,
      req.base,
      n,
      params,
      asha ? { judge: (step, metric) => asha.report(n, step, metric) } : {},
    );
    trials.push(record);
    history.push({
      params,
      state: record.state,
      loss: record.value === null ? null : sign * record.value,
    });
    const bestValue = best === null ? null : (trials[best]?.value as number);
    if (
      record.state === 'complete' &&
      record.value !== null &&
      (bestValue === null || sign * record.value < sign * bestValue)
    ) {
      best = n;
      bestModel = model;
    }
    req.onTrial?.(record);
  }
  return { trials, best, bestModel, direction };
}

/**
 * How a trial learns that it should end early. `judge` sees every finite
 * meta-validation score as it comes (the sequential runner's ASHA answers at
 * once); `pruned` is polled every meta-step (a trial in a worker hears the
 * coordinator's verdict a message later). Either one saying so ends the
 * trial as `pruned`.
 */
export interface TrialHooks {
  judge?: (step: number, metric: number) => AshaDecision;
  pruned?: () => boolean;
}

/** Trains one trial's settings and records how it ended; never throws. */
export async function runTrial(
  source: TaskSource,
  baseConfig: TrainConfig,
  n: number,
  params: SweepParams,
  hooks: TrialHooks,
): Promise<{ record: TrialRecord; model: TrainedModel | null }> {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  // set from the trainer's events; an object so the type checker sees it change
  const verdict: { decision: AshaDecision } = { decision: 'continue' };
  let trainer: Trainer | null = null;
  const base = { number: n, params, bestStep: 0, steps: 0 };
  try {
    const prunedFromOutside = () => {
      if (verdict.decision === 'continue' && hooks.pruned?.()) verdict.decision = 'prune';
      return verdict.decision !== 'continue';
    };
    trainer = new Trainer(source, applyParams(baseConfig, params), {
      throttleMs: 1000,
      control: { checkpoint: async () => {}, stopRequested: prunedFromOutside },
    });
    trainer.onEvent = (e) => {
      if (e.type !== 'validation' || verdict.decision !== 'continue') return;
      if (!Number.isFinite(e.point.metric)) verdict.decision = 'diverged';
      else if (hooks.judge) verdict.decision = hooks.judge(e.point.step, e.point.metric);
    };
    const result = await trainer.run();
    const at = result.history.validation.find((v) => v.step === result.bestStep);
    const value = at && Number.isFinite(at.metric) ? at.metric : null;
    const state: TrialState =
      verdict.decision === 'diverged' || value === null
        ? 'diverged'
        : verdict.decision === 'prune'
          ? 'pruned'
          : 'complete';
    return {
      record: {
        ...base,
        state,
        value: state === 'diverged' ? null : value,
        bestStep: result.bestStep,
        steps: result.stepsDone,
        seconds: seconds(),
        ...(state === 'diverged' ? { message: 'the meta-validation score was not finite' } : {}),
      },
      model: state === 'complete' ? result.model : null,
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const state: TrialState = e instanceof DivergenceError ? 'diverged' : 'failed';
    return {
      record: {
        ...base,
        state,
        value: null,
        steps: trainer?.step ?? 0,
        seconds: seconds(),
        message,
      },
      model: null,
    };
  } finally {
    trainer?.dispose();
  }
}
