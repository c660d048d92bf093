/**
 * The model description every method, the trainer and sessions share: an
 * MLP or the Conv-4 backbone, as a small union, with shape, init and forward
 * dispatched on its kind. A spec without `kind` is an MLP (sessions saved
 * before conv nets existed).
 *
 * Conv nets take shared params only (no task axis, see conv4.ts); MLPs take
 * shared or task-batched params.
 *
 * Ownership: as mlp.ts and conv4.ts: forward allocates, the caller tidies.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ImageShape } from '../data/types';
import type { Rng } from '../rng';
import * as mlp from './mlp';
import {
  CONV_BLOCKS,
  PER_BLOCK,
  convForward,
  convInitArrays,
  convParamShapes,
  type ConvSpec,
} from './conv4';

export type { ConvSpec } from './conv4';
export type { MlpSpec } from './mlp';
export type ModelSpec = mlp.MlpSpec | ConvSpec;

export function isConv(spec: ModelSpec): spec is ConvSpec {
  return spec.kind === 'conv4';
}

export function paramShapes(spec: ModelSpec): number[][] {
  return isConv(spec) ? convParamShapes(spec) : mlp.paramShapes(spec);
}

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

/** Index of the first head param (the last linear layer); body params come before it. */
export function headStart(spec: ModelSpec): number {
  if (isConv(spec)) {
    if (spec.outputDim === 0) throw new Error('this conv net has no head');
    return CONV_BLOCKS * PER_BLOCK;
  }
  return 2 * (spec.hidden.length + 1) - 2;
}

/** The same network with a different number of outputs. */
export function withOutputDim(spec: ModelSpec, outputDim: number): ModelSpec {
  return { ...spec, outputDim };
}

/**
 * Recover a spec from saved weight shapes: rank-4 first weights are a conv
 * net (whose image shape the data source tells), anything else an MLP.
 */
export function specFromShapes(shapes: number[][], imageShape?: ImageShape): ModelSpec {
  const first = shapes[0];
  if (first && first.length === 4) {
    if (!imageShape) throw new Error('conv weights need the image shape of their data');
    const head = shapes.length > CONV_BLOCKS * PER_BLOCK ? shapes[shapes.length - 1] : undefined;
    return {
      kind: 'conv4',
      imageShape,
      filters: first[3] as number,
      outputDim: head ? (head[0] as number) : 0,
    };
  }
  const ws = shapes.filter((_, i) => i % 2 === 0);
  const w0 = ws[0];
  const last = ws[ws.length - 1];
  if (!w0 || !last) throw new Error('no weights');
  return {
    inputDim: w0[0] as number,
    hidden: ws.slice(0, -1).map((w) => w[1] as number),
    outputDim: last[1] as number,
  };
}
