/**
 * Episodes shaped like Omniglot's (28×28 grayscale, N-way K-shot, Q queries
 * per class) filled with uniform noise, for the benchmark and the backend
 * probe: a conv step costs the same whatever the pixels are, and a bench
 * worker must not download and inflate the 4 MB asset before every case.
 * The PyTorch reference (bench/pytorch/conv4_omniglot.py) feeds random
 * inputs of the same shape.
 */
import {
  DataError,
  type EpisodeBatch,
  type EpisodeShape,
  type TaskSource,
} from '../core/data/types';
import type { ImageShape } from '../core/spec/model';
import type { Rng } from '../core/rng';

/** As many classes per split as Omniglot's smallest (meta-val: 96 characters × 4 rotations). */
const CLASSES = 384;

export class NoiseImageSource implements TaskSource {
  readonly name = 'omniglot-shaped noise';
  readonly kind = 'classification' as const;
  readonly inputDim: number;
  readonly targetScale = 1;

  constructor(readonly imageShape: ImageShape = { height: 28, width: 28, channels: 1 }) {
    this.inputDim = imageShape.height * imageShape.width * imageShape.channels;
  }

  classCount(): number {
    return CLASSES;
  }

  limits() {
    return { maxShots: 20, maxWays: CLASSES, maxQueries: 20 };
  }

  splitSizes() {
    return { train: CLASSES, val: CLASSES, test: CLASSES };
  }

  sample(_split: unknown, count: number, shape: EpisodeShape, rng: Rng): EpisodeBatch {
    const { ways: N, shots: K, queries: Q } = shape;
    if (N > CLASSES) throw new DataError(`${N}-way needs ${N} classes; there are ${CLASSES}.`);
    const D = this.inputDim;
    const fill = (rows: number, per: number) => {
      const x = new Float32Array(count * rows * D);
      for (let i = 0; i < x.length; i++) x[i] = rng.next();
      const y = new Float32Array(count * rows * N);
      const cls = new Int32Array(count * rows);
      for (let r = 0; r < count * rows; r++) {
        const label = Math.floor((r % rows) / per);
        y[r * N + label] = 1;
        cls[r] = label;
      }
      return { x, y, cls };
    };
    const s = fill(N * K, K);
    const q = fill(N * Q, Q);
    return {
      tasks: count,
      support: N * K,
      query: N * Q,
      inputDim: D,
      outputDim: N,
      supportX: s.x,
      supportY: s.y,
      queryX: q.x,
      queryY: q.y,
      supportClass: s.cls,
      queryClass: q.cls,
      names: Array.from({ length: count }, (_, i) => `noise episode ${i}`),
    };
  }
}
