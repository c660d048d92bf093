/**
 * A class as the episode sampler sees it: something that can hand out n
 * distinct examples. Stored classes (from a CSV) draw without replacement
 * from their rows; generated classes (built-in blobs) draw fresh examples and
 * have an unlimited size. `classIndex` is the class's position in its
 * split's class list (EpisodeBatch.supportClass refers to it).
 */
import type { Rng } from '../../rng';
import { drawDistinct } from '../sampling/pick';

/** Where a class or task comes from, for messages. */
export interface Origin {
  file?: string;
  column?: string;
}

export interface ClassPool {
  readonly name: string;
  readonly classIndex: number;
  /** examples available; Infinity for a generated class */
  readonly size: number;
  readonly origin?: Origin;
  /** n distinct examples in random order, row-major [n, inputDim] */
  draw(rng: Rng, n: number): Float32Array;
}

export class StoredClassPool implements ClassPool {
  readonly size: number;

  constructor(
    readonly name: string,
    readonly classIndex: number,
    private readonly x: Float32Array,
    private readonly inputDim: number,
    readonly origin?: Origin,
  ) {
    this.size = x.length / inputDim;
  }

  draw(rng: Rng, n: number): Float32Array {
    const d = this.inputDim;
    const out = new Float32Array(n * d);
    drawDistinct(rng, this.size, n).forEach((row, i) => {
      out.set(this.x.subarray(row * d, row * d + d), i * d);
    });
    return out;
  }
}
