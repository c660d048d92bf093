/**
 * A session document turned back into the run it keeps: the best and the
 * current weights, the Adam slots, the RNG position and the curves, so the
 * worker can evaluate or continue it and the CLI's `train --resume` can go on
 * from the same state.
 */
import { Rng } from '../core/rng';
import { DataError } from '../core/data/types';
import { backboneOf, learnedRatesOf, type TrainConfig } from '../core/spec/config';
import type { ImageShape } from '../core/spec/model';
import { isEngineBackendName, type EngineBackendName } from '../core/spec/backend';
import { adaptStyleOf, specFromShapes } from '../core/train/experiment';
import type { TrainedModel, TrainState } from '../core/train/trainer';
import type { SessionDoc } from '../sessions/schema';
import { decodeWeights } from '../sessions/weights';

/** What the worker keeps of a run once it has ended (or of a loaded session). */
export interface KeptRun {
  config: TrainConfig;
  state: TrainState;
  /** the weights at the last step */
  model: TrainedModel;
  /** the pre-training baseline's weights, when the session has them (CLI sessions) */
  pretrain?: TrainedModel | null;
  /** what the run trained with ('wasm-fused', 'webgpu-fused' or a tfjs backend), as sessions record it */
  backend?: EngineBackendName;
}

/** True when the session's weights are a conv net's (keptFromSession then needs the image shape). */
export function sessionIsConv(doc: SessionDoc): boolean {
  return doc.weights?.shapes[0]?.length === 4;
}

/**
 * The run a session keeps. A conv net's weights do not say the size of its
 * images: `imageShape` is its data's (the task source's), required then.
 */
export function keptFromSession(doc: SessionDoc, imageShape?: ImageShape): KeptRun {
  if (!doc.weights) throw new DataError('This session has no trained weights yet.');
  const config = doc.config;
  const adaptStyle = adaptStyleOf(config.algorithm, backboneOf(config));
  const spec = specFromShapes(doc.weights.shapes, imageShape, learnedRatesOf(config));
  const best = decodeWeights(doc.weights);
  const cp = doc.checkpoint ?? null;
  const params = cp ? decodeWeights(cp.weights) : best.map((a) => a.slice());
  const history = {
    train: doc.history.train.map((p) => ({ step: p.step, trainLoss: p.trainLoss ?? NaN })),
    validation: doc.history.validation.map((p) => ({
      step: p.step,
      loss: p.loss ?? NaN,
      metric: p.metric ?? NaN,
    })),
  };
  const state: TrainState = {
    step: cp ? cp.step : doc.history.stepsDone,
    params,
    optimizer:
      cp && cp.optimizer.name !== 'none'
        ? {
            name: cp.optimizer.name,
            arrays: decodeWeights(cp.optimizer),
            shapes: cp.optimizer.shapes,
          }
        : null,
    // Without a checkpoint the RNG position is unknown: continuing then draws new tasks.
    rng: cp ? cp.rngState : new Rng(config.seed).state(),
    best: { step: doc.history.bestStep, value: cp?.earlyStopping?.bestLoss ?? NaN, arrays: best },
    sinceImprovement: cp?.earlyStopping?.sinceBest ?? 0,
    history,
  };
  const pre = doc.baselines?.pretrain ?? null;
  return {
    config,
    state,
    model: { spec, arrays: params, adaptStyle },
    ...(isEngineBackendName(doc.backend) ? { backend: doc.backend } : {}),
    pretrain: pre
      ? {
          spec: specFromShapes(pre.shapes, imageShape),
          arrays: decodeWeights(pre),
          adaptStyle: adaptStyleOf('pretrain', backboneOf(config)),
        }
      : null,
  };
}
