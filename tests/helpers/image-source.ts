/**
 * A small synthetic image TaskSource for tests and quick measurements: each
 * class is a random binary pattern (a few filled 4×4 blocks) on a side×side
 * canvas; an example is its pattern shifted by up to one pixel with a few
 * pixels flipped. Classes are disjoint across splits, episodes relabel them
 * 0..N-1 in a random order, rows are HWC in [0, 1] with ink = 1.
 */
import type {
  EpisodeBatch,
  EpisodeShape,
  ImageShape,
  Split,
  TaskSource,
} from '../../src/core/data/types';
import { DataError } from '../../src/core/data/types';
import { Rng } from '../../src/core/rng';

export interface SyntheticImageOptions {
  side?: number;
  classes?: Record<Split, number>;
  seed?: number;
  /** fraction of pixels flipped per example */
  noise?: number;
}

export class SyntheticImageSource implements TaskSource {
  readonly name = 'synthetic-images';
  readonly kind = 'classification' as const;
  readonly imageShape: ImageShape;
  readonly inputDim: number;
  readonly targetScale = 1;
  private readonly patterns: Record<Split, Float32Array[]>;
  private readonly noise: number;

  constructor(opts: SyntheticImageOptions = {}) {
    const side = opts.side ?? 28;
    this.imageShape = { height: side, width: side, channels: 1 };
    this.inputDim = side * side;
    this.noise = opts.noise ?? 0.03;
    const counts = opts.classes ?? { train: 40, val: 10, test: 10 };
    const rng = new Rng(opts.seed ?? 5);
    const make = (n: number) =>
      Array.from({ length: n }, () => {
        const p = new Float32Array(side * side);
        const blocks = 4 + rng.int(4);
        for (let k = 0; k < blocks; k++) {
          const r0 = 2 + rng.int(side - 8);
          const c0 = 2 + rng.int(side - 8);
          for (let r = r0; r < r0 + 4; r++) for (let c = c0; c < c0 + 4; c++) p[r * side + c] = 1;
        }
        return p;
      });
    this.patterns = { train: make(counts.train), val: make(counts.val), test: make(counts.test) };
  }

  classCount(split: Split): number {
    return this.patterns[split].length;
  }

  limits(split: Split) {
    return { maxShots: 20, maxWays: this.patterns[split].length, maxQueries: 20 };
  }

  splitSizes(): Record<Split, number> {
    return {
      train: this.classCount('train'),
      val: this.classCount('val'),
      test: this.classCount('test'),
    };
  }

  private example(p: Float32Array, out: Float32Array, at: number, rng: Rng): void {
    const side = this.imageShape.height;
    const dr = rng.int(3) - 1;
    const dc = rng.int(3) - 1;
    for (let r = 0; r < side; r++)
      for (let c = 0; c < side; c++) {
        const sr = r - dr;
        const sc = c - dc;
        let v = sr >= 0 && sr < side && sc >= 0 && sc < side ? (p[sr * side + sc] as number) : 0;
        if (rng.next() < this.noise) v = 1 - v;
        out[at + r * side + c] = v;
      }
  }

  sample(split: Split, count: number, shape: EpisodeShape, rng: Rng): EpisodeBatch {
    const { ways: N, shots: K, queries: Q } = shape;
    const pats = this.patterns[split];
    if (N > pats.length)
      throw new DataError(`${N}-way needs ${N} classes; ${split} has ${pats.length}.`);
    const D = this.inputDim;
    const S = N * K;
    const QQ = N * Q;
    const b0 = {
      supportX: new Float32Array(count * S * D),
      supportY: new Float32Array(count * S * N),
      queryX: new Float32Array(count * QQ * D),
      queryY: new Float32Array(count * QQ * N),
      supportClass: new Int32Array(count * S),
      queryClass: new Int32Array(count * QQ),
    };
    for (let b = 0; b < count; b++) {
      const chosen = rng.sampleWithoutReplacement(pats.length, N);
      chosen.forEach((cls, label) => {
        for (let k = 0; k < K; k++) {
          const row = b * S + label * K + k;
          this.example(pats[cls]!, b0.supportX, row * D, rng);
          b0.supportY[row * N + label] = 1;
          b0.supportClass[row] = cls;
        }
        for (let q = 0; q < Q; q++) {
          const row = b * QQ + label * Q + q;
          this.example(pats[cls]!, b0.queryX, row * D, rng);
          b0.queryY[row * N + label] = 1;
          b0.queryClass[row] = cls;
        }
      });
    }
    return {
      tasks: count,
      support: S,
      query: QQ,
      inputDim: D,
      outputDim: N,
      ...b0,
      names: Array.from({ length: count }, (_, i) => `episode ${i}`),
    };
  }
}
