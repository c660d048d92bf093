/**
 * Small hand-rolled episode batches for engine tests, independent of the
 * data module so an engine test fails only for engine reasons.
 */
import type { EpisodeBatch } from '../../src/core/data/types';
import { Rng } from '../../src/core/rng';

export function sinusoidBatch(seed: number, B: number, K: number, Q: number): EpisodeBatch {
  const rng = new Rng(seed);
  const sx = new Float32Array(B * K);
  const sy = new Float32Array(B * K);
  const qx = new Float32Array(B * Q);
  const qy = new Float32Array(B * Q);
  for (let b = 0; b < B; b++) {
    const A = rng.uniform(0.1, 5);
    const phase = rng.uniform(0, Math.PI);
    for (let i = 0; i < K; i++) {
      const x = rng.uniform(-5, 5);
      sx[b * K + i] = x;
      sy[b * K + i] = A * Math.sin(x - phase);
    }
    for (let i = 0; i < Q; i++) {
      const x = rng.uniform(-5, 5);
      qx[b * Q + i] = x;
      qy[b * Q + i] = A * Math.sin(x - phase);
    }
  }
  return {
    tasks: B,
    support: K,
    query: Q,
    inputDim: 1,
    outputDim: 1,
    supportX: sx,
    supportY: sy,
    queryX: qx,
    queryY: qy,
    names: [],
  };
}

/** N-way K-shot batch of 2-D points around random class centres, one-hot targets. */
export function blobBatch(seed: number, B: number, N: number, K: number, Q: number): EpisodeBatch {
  const rng = new Rng(seed);
  const S = N * K;
  const QQ = N * Q;
  const sx = new Float32Array(B * S * 2);
  const sy = new Float32Array(B * S * N);
  const qx = new Float32Array(B * QQ * 2);
  const qy = new Float32Array(B * QQ * N);
  for (let b = 0; b < B; b++) {
    const centres = Array.from({ length: N }, () => [rng.uniform(-3, 3), rng.uniform(-3, 3)]);
    const fill = (x: Float32Array, y: Float32Array, per: number, total: number) => {
      for (let c = 0; c < N; c++) {
        for (let k = 0; k < per; k++) {
          const row = b * total + c * per + k;
          x[row * 2] = (centres[c]![0] as number) + 0.5 * rng.normal();
          x[row * 2 + 1] = (centres[c]![1] as number) + 0.5 * rng.normal();
          y[row * N + c] = 1;
        }
      }
    };
    fill(sx, sy, K, S);
    fill(qx, qy, Q, QQ);
  }
  return {
    tasks: B,
    support: S,
    query: QQ,
    inputDim: 2,
    outputDim: N,
    supportX: sx,
    supportY: sy,
    queryX: qx,
    queryY: qy,
    names: [],
  };
}
