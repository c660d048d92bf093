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
import type { AlgorithmName, TrainConfig } from '../spec/config';
import { comparisonModels, type ExperimentModels } from './experiment';
import { evaluateModels, type EvalResult } from './evaluate';

export interface ImageSetting {
  ways: number;
  shots: number;
}

export const PAPER_SETTINGS: readonly ImageSetting[] = [
  { ways: 5, shots: 1 },
  { ways: 5, shots: 5 },
  { ways: 20, shots: 1 },
];

/** Published Omniglot test accuracy (%) in PAPER_SETTINGS order. */
export const PAPER_OMNIGLOT: Partial<Record<AlgorithmName, readonly number[]>> = {
  protonet: [98.8, 99.7, 96.0],
  maml: [98.7, 99.9, 95.8],
  fomaml: [98.3, 99.2, 89.4],
};

export const settingLabel = (s: ImageSetting) => `${s.ways}-way ${s.shots}-shot`;

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
