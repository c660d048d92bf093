/**
 * Init and forward of the model union (shapes: core/spec/model.ts), dispatched
 * on its kind. A spec without `kind` is an MLP (sessions saved
 * before conv nets existed).
 *
 * Conv nets take shared params only (no task axis, see conv4.ts); MLPs take
 * shared or task-batched params.
 *
 * Ownership: as mlp.ts and conv4.ts: forward allocates, the caller tidies.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import * as mlp from './mlp';
import { convForward, convInitArrays } from './conv4';
import { hasLearnedLr, hasStepRates, isConv, paramShapes, type ModelSpec } from '../spec/model';

export {
  hasLearnedLr,
  hasStepRates,
  stepRatesOf,
  weightTensorCount,
  weightsSpec,
  headStart,
  isConv,
  paramShapes,
  specFromShapes,
  withOutputDim,
  type ConvSpec,
  type MlpSpec,
  type ModelSpec,
} from '../spec/model';

/** A learned rate's starting value when the caller gives none (MAML's default α). */
const DEFAULT_RATE = 0.01;

/**
 * Fresh parameters: random weights, and for a spec with learned rates
 * (Meta-SGD, MAML++ per-step rates) every rate set to `innerLr`, placed after
 * the weights so the weights equal the plain network's for the same seed.
 */
export function initParamArrays(
  spec: ModelSpec,
  rng: Rng,
  opts: { innerLr?: number } = {},
): Float32Array[] {
  if (isConv(spec)) return convInitArrays(spec, rng);
  const weights = mlp.initParamArrays(spec, rng);
  const rate = opts.innerLr ?? DEFAULT_RATE;
  if (hasStepRates(spec)) {
    // MAML++ rates start at α for every layer and step, like Meta-SGD's
    const table = paramShapes(spec)[weights.length] as number[];
    return [...weights, new Float32Array(table[0]! * table[1]!).fill(rate)];
  }
  if (!hasLearnedLr(spec)) return weights;
  return [...weights, ...weights.map((w) => new Float32Array(w.length).fill(rate))];
}

/** Outputs [B, n, out] (or embeddings with embedOnly) for x [B, n, inputDim]. */
export function modelForward(
  spec: ModelSpec,
  params: readonly tf.Tensor[],
  x: tf.Tensor3D,
  opts: { embedOnly?: boolean; hidden?: mlp.HiddenTransform } = {},
): tf.Tensor3D {
  // dropout (`hidden`) is an MLP option: the conv net's batch norm regularizes it
  return isConv(spec)
    ? convForward(spec, params, x, { embedOnly: opts.embedOnly })
    : mlp.forward(params, x, opts);
}
