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
import { isConv, type ModelSpec } from '../spec/model';

export {
  headStart,
  isConv,
  paramShapes,
  specFromShapes,
  withOutputDim,
  type ConvSpec,
  type MlpSpec,
  type ModelSpec,
} from '../spec/model';

export function initParamArrays(spec: ModelSpec, rng: Rng): Float32Array[] {
  return isConv(spec) ? convInitArrays(spec, rng) : mlp.initParamArrays(spec, rng);
}

/** Outputs [B, n, out] (or embeddings with embedOnly) for x [B, n, inputDim]. */
export function modelForward(
  spec: ModelSpec,
  params: readonly tf.Tensor[],
  x: tf.Tensor3D,
  opts: { embedOnly?: boolean } = {},
): tf.Tensor3D {
  return isConv(spec) ? convForward(spec, params, x, opts) : mlp.forward(params, x, opts);
}
