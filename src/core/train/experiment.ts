/**
 * A whole experiment as users think of it: meta-train the chosen method, train
 * the joint pre-training baseline on the same task stream, and evaluate the
 * meta-learned model next to both baselines (pre-training + fine-tuning, and
 * a random init fine-tuned from scratch) on the same held-out episodes.
 *
 * The CLI and the browser worker both call these functions, so the numbers
 * they print for one session and seed are the same computation.
 */
import type { TaskSource } from '../data/types';
import { Rng } from '../rng';
import { initParamArrays, isConv, specFromShapes as modelSpecFromShapes } from '../models/model';
import type { ImageShape } from '../data/types';
import { specFor } from '../algorithms/index';
import { withFreshHead } from '../algorithms/baselines';
import type { AdaptStyle } from '../algorithms/learner';
import { backboneOf, type AlgorithmName, type Backbone, type TrainConfig } from '../spec/config';
import type { TrainEvent } from '../spec/events';
import { Trainer, type RunControl, type TrainResult, type TrainedModel } from './trainer';
import { evaluateModels, type EvalModel, type EvalResult } from './evaluate';

export const BASELINE_SEED_OFFSET = 1000;

export function adaptStyleOf(algorithm: AlgorithmName, backbone: Backbone = 'mlp'): AdaptStyle {
  if (algorithm === 'protonet') return 'protonet';
  if (algorithm === 'anil') return 'head';
  // Conv baselines: nearest prototype on the features, then the head fine-tuned.
  if (backbone === 'conv4' && (algorithm === 'pretrain' || algorithm === 'scratch'))
    return 'proto-head';
  return 'finetune';
}

/** The config the pre-training baseline trains with: Adam at the MAML default rate. */
export function baselineConfig(config: TrainConfig): TrainConfig {
  // Adam at 0.001 whatever the method's outer step (Reptile's metaLr is its ε); L2, the
  // schedule and dropout (meaningful here) follow the settings.
  return {
    ...config,
    algorithm: 'pretrain',
    metaOptimizer: 'adam',
    metaLr: 0.001,
    hidden: config.hidden,
  };
}

export async function trainBaseline(
  source: TaskSource,
  config: TrainConfig,
  opts: { onEvent?: (e: TrainEvent) => void; control?: RunControl } = {},
): Promise<TrainResult> {
  const trainer = new Trainer(
    source,
    { ...baselineConfig(config), seed: config.seed + BASELINE_SEED_OFFSET },
    opts,
  );
  try {
    return await trainer.run();
  } finally {
    trainer.dispose();
  }
}

/** The random init "from scratch" fine-tunes: a pure function of the seed. */
export function scratchModel(source: TaskSource, config: TrainConfig): TrainedModel {
  const spec = specFor('scratch', source, config);
  return {
    spec,
    arrays: initParamArrays(spec, new Rng(config.seed + 2 * BASELINE_SEED_OFFSET)),
    adaptStyle: adaptStyleOf('scratch', backboneOf(config)),
  };
}

/**
 * Recover a model spec from its weight shapes: an MLP ([in,h1],[h1],…,
 * [hL,out],[out]) or, with rank-4 first weights, a conv net on images of
 * the given shape (the data source's).
 */
export function specFromShapes(
  shapes: number[][],
  imageShape?: ImageShape,
  opts: { learnedLr?: boolean; stepRates?: boolean } = {},
) {
  return modelSpecFromShapes(shapes, imageShape, opts);
}

export interface ExperimentModels {
  algorithm: AlgorithmName;
  main: TrainedModel;
  pretrain: TrainedModel | null;
}

/**
 * The untrained network: the meta-learned model's own architecture at a
 * random init, used the way it is (prototypes on its features for a
 * ProtoNet). For the fine-tuning methods "scratch" is exactly that.
 */
export function untrainedModel(main: TrainedModel, config: TrainConfig): TrainedModel {
  return {
    spec: main.spec,
    arrays: initParamArrays(main.spec, new Rng(config.seed + 3 * BASELINE_SEED_OFFSET)),
    adaptStyle: main.adaptStyle,
  };
}

/**
 * Nearest prototype on the normalized inputs themselves (no network): the
 * no-meta-learning reference of few-shot papers. Nothing to adapt.
 */
export function rawPrototypeModel(source: TaskSource): EvalModel {
  const d = source.inputDim;
  return {
    name: 'prototypes',
    spec: { inputDim: d, hidden: [], outputDim: d },
    arrays: [],
    adaptStyle: 'protonet',
    frozen: true,
  };
}

/**
 * The models of the comparison, ready for evaluateModels: the meta-learned
 * one, pre-training + fine-tuning (classification: its fresh head starts as
 * the prototype classifier of its features), a random init fine-tuned from
 * scratch, and for classification the two references a person can beat:
 * raw-feature prototypes and (ProtoNet) the untrained encoder.
 */
export function comparisonModels(
  source: TaskSource,
  config: TrainConfig,
  m: ExperimentModels,
): EvalModel[] {
  const models: EvalModel[] = [{ name: m.algorithm, ...m.main }];
  const classification = source.kind === 'classification';
  if (m.pretrain && m.algorithm !== 'pretrain') {
    // Classification: the fresh head starts as the prototype classifier of the
    // pre-trained features (MLP: set before step 0; conv: the proto-head trace).
    const pre: EvalModel = classification
      ? {
          name: 'pretrain',
          ...m.pretrain,
          ...withFreshHead(m.pretrain.arrays, m.pretrain.spec, config.ways),
          ...(isConv(m.pretrain.spec)
            ? { adaptStyle: 'proto-head' as const }
            : { head: 'prototypes' as const }),
        }
      : { name: 'pretrain', ...m.pretrain };
    models.push(pre);
  }
  if (m.algorithm !== 'scratch') models.push({ name: 'scratch', ...scratchModel(source, config) });
  if (classification) {
    if (m.main.adaptStyle === 'protonet')
      models.push({ name: 'untrained', ...untrainedModel(m.main, config) });
    models.push(rawPrototypeModel(source));
  }
  return models;
}

export interface EvaluateRequest {
  episodes: number;
  maxSteps: number;
  shots: number;
  ways: number;
  queries: number;
  innerLr: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

export async function evaluateExperiment(
  source: TaskSource,
  config: TrainConfig,
  m: ExperimentModels,
  req: EvaluateRequest,
): Promise<EvalResult> {
  return evaluateModels(source, comparisonModels(source, config, m), {
    split: 'test',
    episodes: req.episodes,
    maxSteps: req.maxSteps,
    shape: { shots: req.shots, ways: req.ways, queries: req.queries },
    innerLr: req.innerLr,
    seed: req.seed,
    onProgress: req.onProgress,
  });
}

/**
 * Query examples per task at evaluation: 100 for generated regression
 * families (a precise MSE per task, as the MAML paper's evaluation used many
 * points), the training setting otherwise (a CSV task has only so many rows).
 */
export function defaultEvalQueries(source: TaskSource, config: TrainConfig): number {
  return source.kind === 'regression' && !Number.isFinite(source.splitSizes().test)
    ? 100
    : config.queries;
}
