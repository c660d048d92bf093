/**
 * What the image adaptation view needs beyond the metric per step: the
 * episode's pictures as small display buffers and each query's predicted
 * class with its probability, for every model (issue 13, item 5).
 *
 * Pixels: the image contract stores ink as 1 in [0, 1] for grayscale, so a
 * grayscale image is drawn as 255·(1 − v) (dark strokes on light paper, as
 * the characters were written); colour images are 255·v. Bytes keep the
 * message small (28×28 = 784 bytes an image) and are transferable.
 *
 * Ownership: `queryPredictions` takes the trace's logits inside the
 * caller's tf.tidy and returns two small tensors the caller reads and frees.
 */
import * as tf from '@tensorflow/tfjs';
import type { EpisodeBatch, ImageShape } from '../core/data/types';
import type { AdaptImages, AdaptResult } from './adapt-types';

/** Rows of [0, 1] floats as display bytes (see the file comment). */
export function displayBytes(x: Float32Array, channels: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(x.length);
  const ink = channels === 1;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    out[i] = Math.round(255 * (ink ? 1 - v : v));
  }
  return out;
}

/**
 * The episode's class names in label order: the sampler names an episodic
 * episode by its classes joined with ", " in label order; when a class name
 * itself holds ", " the split is ambiguous and the labels are numbered.
 */
export function classNamesOf(batch: EpisodeBatch, ways: number): string[] {
  const parts = (batch.names[0] ?? '').split(', ');
  if (parts.length === ways && parts.every((p) => p.length > 0)) return parts;
  return Array.from({ length: ways }, (_, k) => `class ${k + 1}`);
}

/** The pictures of a one-task image batch. */
export function episodeImages(batch: EpisodeBatch, shape: ImageShape, ways: number): AdaptImages {
  return {
    height: shape.height,
    width: shape.width,
    channels: shape.channels,
    ways,
    shots: batch.support / ways,
    queries: batch.query / ways,
    classNames: classNamesOf(batch, ways),
    support: displayBytes(batch.supportX, shape.channels),
    query: displayBytes(batch.queryX, shape.channels),
  };
}

/** The top class and its softmax probability per query of one task: logits [1, Q, N]. */
export function queryPredictions(logits: tf.Tensor3D): { top: tf.Tensor1D; prob: tf.Tensor1D } {
  const p = tf.softmax(tf.reshape(logits, [logits.shape[1], logits.shape[2]]) as tf.Tensor2D);
  return { top: tf.argMax(p, 1) as tf.Tensor1D, prob: tf.max(p, 1) as tf.Tensor1D };
}

/** The buffers of an adaptation result the worker can hand over instead of copying. */
export function imageTransferables(r: Pick<AdaptResult, 'images' | 'models'>): ArrayBuffer[] {
  const out: ArrayBufferLike[] = [];
  if (r.images) out.push(r.images.support.buffer, r.images.query.buffer);
  for (const m of r.models)
    if (m.classes) out.push(m.classes.predicted.buffer, m.classes.probability.buffer);
  return out.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}
