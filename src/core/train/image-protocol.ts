/**
 * The few-shot image papers' evaluation protocol: 600 held-out episodes per
 * setting (5-way 1-shot, 5-way 5-shot, 20-way 1-shot), mean accuracy and 95%
 * CI, the meta-learned model next to the pre-training and untrained-network
 * baselines on the very same episodes, with the published Omniglot figures
 * alongside (Snell et al. 2017; Finn et al. 2017, whose table also gives
 * first-order MAML).
 *
 * A model with a classification head of fixed width (MAML-style methods,
 * ANIL) can only answer episodes of the width it was trained for; in other
 * settings it is left out and the result says so, rather than guessing a
 * head. ProtoNet and the prototype-initialized baselines answer any N.
 *
 * The CLI's `evaluate` and the app both call this; it owns no tensors.
 */
import type { TaskSource } from '../data/types';
import type { TrainConfig } from '../spec/config';
import {
  IMAGE_EVAL_QUERIES,
  PAPER_OMNIGLOT,
  PAPER_SETTINGS,
  type ImageProtocolJson,
  type ImageSetting,
  type ProtocolRow,
} from '../spec/image-protocol';
import { comparisonModels, type ExperimentModels } from './experiment';
import { evaluateModels, type CurveStats, type EvalResult } from './evaluate';

export {
  IMAGE_EVAL_QUERIES,
  PAPER_OMNIGLOT,
  PAPER_SETTINGS,
  settingLabel,
  type ImageSetting,
} from '../spec/image-protocol';

export interface SettingResult {
  setting: ImageSetting;
  result: EvalResult;
  /** models left out of this setting, with the reason */
  skipped: Record<string, string>;
}

export interface ImageProtocolOptions {
  settings: readonly ImageSetting[];
  episodes: number;
  queries: number;
  maxSteps: number;
  scoreSteps: number[];
  innerLr: number;
  seed: number;
  onProgress?: (setting: ImageSetting, done: number, total: number) => void;
}

export async function evaluateImageProtocol(
  source: TaskSource,
  config: TrainConfig,
  m: ExperimentModels,
  opts: ImageProtocolOptions,
): Promise<SettingResult[]> {
  const out: SettingResult[] = [];
  for (const setting of opts.settings) {
    const cfg = { ...config, ways: setting.ways, shots: setting.shots };
    const skipped: Record<string, string> = {};
    const models = comparisonModels(source, cfg, m).filter((model) => {
      const fixedHead = model.adaptStyle === 'finetune' || model.adaptStyle === 'head';
      if (fixedHead && model.spec.outputDim !== setting.ways) {
        skipped[model.name] =
          `its head has ${model.spec.outputDim} outputs; train a ${setting.ways}-way model for this setting`;
        return false;
      }
      return true;
    });
    const result = await evaluateModels(source, models, {
      split: 'test',
      episodes: opts.episodes,
      maxSteps: opts.maxSteps,
      scoreSteps: opts.scoreSteps,
      shape: { ways: setting.ways, shots: setting.shots, queries: opts.queries },
      innerLr: opts.innerLr,
      seed: opts.seed,
      // a chunk of 20-way episodes is 10 × 120 images through the conv net at once
      chunk: 10,
      onProgress: (d, t) => opts.onProgress?.(setting, d, t),
    });
    out.push({ setting, result, skipped });
  }
  return out;
}

export interface ImageProtocolRequest {
  settings: readonly ImageSetting[];
  episodes: number;
  /** the adaptation steps to report (step 0 is always scored too) */
  steps: number[];
  queries?: number;
  innerLr?: number;
  seed?: number;
  onProgress?: (setting: ImageSetting, done: number, total: number) => void;
}

const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
const pick = (c: CurveStats, steps: number[]): ProtocolRow => ({
  mean: steps.map((s) => finite(c.mean[s])),
  ci95: steps.map((s) => finite(c.ci95[s])),
});

/**
 * The protocol with the CLI's defaults (5 queries a class, the run's inner
 * learning rate and seed), as the `evaluate --json` object: the CLI prints
 * it and the app's worker posts it, so both give the same numbers for one
 * session, seed and backend.
 */
export async function imageProtocolJson(
  source: TaskSource,
  config: TrainConfig,
  models: ExperimentModels,
  req: ImageProtocolRequest,
  backend: string,
): Promise<ImageProtocolJson> {
  const protocol = {
    episodes: req.episodes,
    queries: req.queries ?? IMAGE_EVAL_QUERIES,
    innerLr: req.innerLr ?? config.innerLr,
    seed: req.seed ?? config.seed,
    backend,
  };
  const t0 = performance.now();
  const results = await evaluateImageProtocol(source, config, models, {
    settings: req.settings,
    episodes: protocol.episodes,
    queries: protocol.queries,
    maxSteps: Math.max(...req.steps),
    scoreSteps: [...new Set([0, ...req.steps])],
    innerLr: protocol.innerLr,
    seed: protocol.seed,
    onProgress: req.onProgress,
  });
  const paper = PAPER_OMNIGLOT[config.algorithm] ?? null;
  return {
    algorithm: config.algorithm,
    metric: 'accuracy',
    steps: req.steps,
    protocol: { ...protocol, seconds: Math.round((performance.now() - t0) / 1000) },
    settings: results.map((r) => {
      const idx = PAPER_SETTINGS.findIndex(
        (p) => p.ways === r.setting.ways && p.shots === r.setting.shots,
      );
      const rows: Record<string, ProtocolRow> = {};
      for (const [name, c] of Object.entries(r.result.models)) rows[name] = pick(c, req.steps);
      return {
        ways: r.setting.ways,
        shots: r.setting.shots,
        models: rows,
        skipped: r.skipped,
        paperPercent: paper && idx >= 0 ? (paper[idx] ?? null) : null,
      };
    }),
  };
}
