/**
 * The contract between data and the engine. A TaskSource hands the trainer
 * meta-batches of episodes with equal shapes, as flat row-major Float32Arrays,
 * so one batched computation covers the whole meta-batch. Sources own no
 * tensors: the algorithms turn batches into tensors and dispose them.
 *
 * Regression: outputDim = 1, targets are standardized values (multiply an MSE
 * by targetScale^2 for original units). Classification: outputDim = ways and
 * targets are one-hot over the episode's N classes, relabelled 0..N-1 in a
 * random order each episode.
 */
import type { Rng } from '../rng';
import type { ImageShape } from '../spec/model';

export type { ImageShape };

export type Split = 'train' | 'val' | 'test';
export type ProblemKind = 'regression' | 'classification';
export type ClassificationMode = 'per-task' | 'episodic';

/** What one episode looks like. Classification: shots and queries are per class. */
export interface EpisodeShape {
  shots: number;
  ways: number;
  queries: number;
}

export interface EpisodeBatch {
  /** B, the number of episodes (tasks) in the batch */
  tasks: number;
  /** examples per episode in the support set: K (regression) or N*K */
  support: number;
  /** examples per episode in the query set: Q (regression) or N*Q */
  query: number;
  inputDim: number;
  outputDim: number;
  supportX: Float32Array; // [B, support, inputDim]
  supportY: Float32Array; // [B, support, outputDim]
  queryX: Float32Array; // [B, query, inputDim]
  queryY: Float32Array; // [B, query, outputDim]
  /**
   * Classification only: the class of each example as an index into the
   * split's class list (see TaskSource.classCount), for the joint
   * pre-training baseline which learns one head over all meta-train classes.
   */
  supportClass?: Int32Array; // [B, support]
  queryClass?: Int32Array; // [B, query]
  /** A display name per episode (task id, or "sinusoid A=… φ=…"). */
  names: string[];
}

/** The largest episode every task of a split can serve. */
export interface EpisodeLimits {
  maxShots: number;
  /** classification: the most classes every episode can draw */
  maxWays: number;
  /** regression: rows left for the query after maxShots; classification: per class */
  maxQueries: number;
}

export interface TaskSource {
  readonly name: string;
  readonly kind: ProblemKind;
  /** Classification: whether episodes draw N classes from a shared pool ('episodic'). */
  readonly mode?: ClassificationMode;
  readonly inputDim: number;
  /** Present for image tasks: how to fold an example row back into an image. */
  readonly imageShape?: ImageShape;
  /** Multiply a standardized-target MSE by targetScale^2 to get original units. */
  readonly targetScale: number;
  /** Number of distinct classes in a split (classification), 0 for regression. */
  classCount(split: Split): number;
  limits(split: Split): EpisodeLimits;
  /**
   * Draws `count` episodes from `split`. Deterministic given the rng state.
   * Throws a DataError when the shape cannot be served (e.g. K too large).
   */
  sample(split: Split, count: number, shape: EpisodeShape, rng: Rng): EpisodeBatch;
  /** Number of tasks (or classes, for episodic data) in each split; Infinity for generated families. */
  splitSizes(): Record<Split, number>;
}

/** An error in the person's data or settings, worded for them. */
export class DataError extends Error {
  constructor(
    message: string,
    readonly where: { file?: string; row?: number; column?: string } = {},
  ) {
    super(message);
    this.name = 'DataError';
  }
}
