/**
 * Episode batches as tensors, and the per-task losses every method shares.
 * A batch of B tasks is [B, n, d]; slicing one task keeps the leading axis
 * (B = 1) so the per-task reference loop runs the very same code.
 *
 * Ownership: toTensors returns tensors the caller disposes (tf.tidy does).
 */
import * as tf from '@tensorflow/tfjs';
import type { EpisodeBatch } from '../data/types';
import { forward } from '../models/mlp';
import { crossEntropyPerTask, msePerTask } from '../ops';

export type LossKind = 'mse' | 'ce';

export interface BatchTensors {
  sx: tf.Tensor3D;
  sy: tf.Tensor3D;
  qx: tf.Tensor3D;
  qy: tf.Tensor3D;
}

export function toTensors(b: EpisodeBatch): BatchTensors {
  return {
    sx: tf.tensor3d(b.supportX, [b.tasks, b.support, b.inputDim]),
    sy: tf.tensor3d(b.supportY, [b.tasks, b.support, b.outputDim]),
    qx: tf.tensor3d(b.queryX, [b.tasks, b.query, b.inputDim]),
    qy: tf.tensor3d(b.queryY, [b.tasks, b.query, b.outputDim]),
  };
}

export function sliceTask(t: BatchTensors, i: number): BatchTensors {
  const one = (x: tf.Tensor3D) => tf.slice(x, [i, 0, 0], [1, -1, -1]);
  return { sx: one(t.sx), sy: one(t.sy), qx: one(t.qx), qy: one(t.qy) };
}

export function lossPerTask(kind: LossKind, out: tf.Tensor3D, y: tf.Tensor3D): tf.Tensor1D {
  return kind === 'mse' ? msePerTask(out, y) : crossEntropyPerTask(out, y);
}

/** Per-task loss of an MLP with shared or task-batched params on (x, y). */
export function mlpLossPerTask(
  kind: LossKind,
  params: readonly tf.Tensor[],
  x: tf.Tensor3D,
  y: tf.Tensor3D,
): tf.Tensor1D {
  return lossPerTask(kind, forward(params, x), y);
}
