/**
 * The engine's numeric checks, run in the browser on one backend at a time:
 * MAML's second-order meta-gradient batched against the per-task loop,
 * against the CPU backend's answer, and against finite differences of the
 * meta-objective (regression and classification). They call the engine's own
 * code (MamlLearner.metaGradient / metaObjective), never a reimplementation.
 * Readbacks are `await data()` only: dataSync would break webgpu.
 *
 * Also the conv net's forward pass and parameter gradients against the CPU
 * backend (convForwardAndGrad, convVersusCpu).
 *
 * Tolerances per backend: GPU backends sum in a different order and in
 * float32 shaders; webgpu's second-order gradient was measured ~1e-4 from
 * cpu (TFJS-NOTES.md), so they get 1e-3; wasm and cpu get 1e-4.
 */
import * as tf from '@tensorflow/tfjs';
import { MamlLearner } from '../../../src/core/algorithms/maml';
import { toTensors, type LossKind } from '../../../src/core/algorithms/batch';
import { initParamArrays } from '../../../src/core/models/mlp';
import { paramShapes, type ConvSpec, type MlpSpec } from '../../../src/core/spec/model';
import { initParamArrays as initConvParams, modelForward } from '../../../src/core/models/model';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import type { BackendName } from '../../../src/core/spec/backend';
import type { EpisodeBatch } from '../../../src/core/data/types';
import { blobBatch, sinusoidBatch } from '../../helpers/sinusoid-batch';

export interface CheckResult {
  check: string;
  /** worst |actual − expected| */
  maxAbsDiff: number;
  /** what was allowed, in words (e.g. "1e-3" or "5e-3 + 1e-2·|fd|") */
  tolerance: string;
  pass: boolean;
}

export const GRAD_TOL: Record<BackendName, number> = {
  webgpu: 1e-3,
  webgl: 1e-3,
  wasm: 1e-4,
  cpu: 1e-4,
};

/**
 * Finite differences in float32: ε and tolerances as in
 * tests/unit/engine/maml.test.ts (the error is dominated by the difference
 * quotient's rounding, ~1e-3, not by the backend), the same on every backend.
 */
const FD_TOL: Record<BackendName, { atol: number; rtol: number }> = {
  webgpu: { atol: 5e-3, rtol: 1e-2 },
  webgl: { atol: 5e-3, rtol: 1e-2 },
  wasm: { atol: 5e-3, rtol: 1e-2 },
  cpu: { atol: 5e-3, rtol: 1e-2 },
};

function learner(
  spec: MlpSpec,
  lossKind: LossKind,
  over: Partial<TrainConfig>,
  layout: 'batched' | 'loop' = 'batched',
): MamlLearner {
  const config = { ...defaultConfig('maml'), ...over };
  return new MamlLearner(
    { config, spec, lossKind, layout, initial: initParamArrays(spec, new Rng(7)) },
    { firstOrder: false },
  );
}

async function metaGrad(l: MamlLearner, batch: EpisodeBatch): Promise<Float32Array> {
  const flat = tf.tidy(() =>
    tf.concat(l.metaGradient(toTensors(batch)).grads.map((g) => tf.reshape(g, [-1]))),
  );
  const out = new Float32Array((await flat.data()) as Float32Array);
  flat.dispose();
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (!(d <= worst)) worst = d; // NaN wins
  }
  return worst;
}

const spec40 = { inputDim: 1, hidden: [40, 40], outputDim: 1 };

/** The product's case: 25 sinusoid tasks, K = 10, one inner step, 1-40-40-1. */
export async function productGradient(): Promise<Float32Array> {
  const l = learner(spec40, 'mse', {});
  try {
    return await metaGrad(l, sinusoidBatch(9, 25, 10, 10));
  } finally {
    l.dispose();
  }
}

export async function batchedVsLoop(
  backend: BackendName,
  batched: Float32Array,
): Promise<CheckResult> {
  const l = learner(spec40, 'mse', {}, 'loop');
  try {
    const loop = await metaGrad(l, sinusoidBatch(9, 25, 10, 10));
    const d = maxAbsDiff(batched, loop);
    return {
      check: 'meta-gradient: batched vs per-task loop (B=25, 1-40-40-1)',
      maxAbsDiff: d,
      tolerance: GRAD_TOL[backend].toExponential(0),
      pass: d <= GRAD_TOL[backend],
    };
  } finally {
    l.dispose();
  }
}

export function versusCpu(backend: BackendName, g: Float32Array, cpu: Float32Array): CheckResult {
  const d = maxAbsDiff(g, cpu);
  return {
    check: 'meta-gradient: this backend vs cpu (B=25, 1-40-40-1)',
    maxAbsDiff: d,
    tolerance: GRAD_TOL[backend].toExponential(0),
    pass: d <= GRAD_TOL[backend],
  };
}

async function objective(l: MamlLearner, batch: EpisodeBatch, dir: Float32Array, scale: number) {
  const v = tf.tidy(() => {
    const t = toTensors(batch);
    let o = 0;
    const theta = l.params.map((p) => {
      const n = p.size;
      const d = tf.tensor(dir.subarray(o, o + n), p.shape);
      o += n;
      return tf.add(p, tf.mul(scale, d));
    });
    return l.metaObjective(theta, t);
  });
  const out = (await v.data())[0] as number;
  v.dispose();
  return out;
}

/** Directional derivatives g·v against central differences along random directions. */
export async function finiteDifferences(
  backend: BackendName,
  kind: 'mse' | 'ce',
): Promise<CheckResult> {
  const l =
    kind === 'mse'
      ? learner({ inputDim: 1, hidden: [6, 5], outputDim: 1 }, 'mse', {
          innerLr: 0.05,
          innerSteps: 2,
        })
      : learner({ inputDim: 2, hidden: [8], outputDim: 3 }, 'ce', { innerLr: 0.5, innerSteps: 1 });
  const batch = kind === 'mse' ? sinusoidBatch(3, 3, 5, 5) : blobBatch(5, 2, 3, 2, 3);
  const eps = kind === 'mse' ? 3e-4 : 1e-3;
  const { atol, rtol } = FD_TOL[backend];
  try {
    const g = await metaGrad(l, batch);
    const rng = new Rng(kind === 'mse' ? 11 : 12);
    let worstExcess = -Infinity;
    let worstDiff = 0;
    for (let k = 0; k < 6; k++) {
      const dir = Float32Array.from({ length: g.length }, () => rng.normal());
      let analytic = 0;
      for (let i = 0; i < g.length; i++) analytic += (g[i] as number) * (dir[i] as number);
      const fd =
        ((await objective(l, batch, dir, eps)) - (await objective(l, batch, dir, -eps))) /
        (2 * eps);
      const diff = Math.abs(analytic - fd);
      const excess = diff - (atol + rtol * Math.abs(fd));
      if (!(excess <= worstExcess)) {
        worstExcess = excess;
        worstDiff = diff;
      }
    }
    return {
      check: `meta-gradient vs finite differences (${kind === 'mse' ? 'MSE, 2 inner steps' : 'cross-entropy, 1 inner step'})`,
      maxAbsDiff: worstDiff,
      tolerance: `${atol.toExponential(0)} + ${rtol.toExponential(0)}·|fd|`,
      pass: worstExcess <= 0,
    };
  } finally {
    l.dispose();
  }
}

/**
 * The product's conv net (Conv-4, 32 filters, 28×28 grayscale, a 5-way head)
 * on 10 random images: its output and the gradient of a squared error
 * against fixed random targets with respect to every parameter, through
 * conv2d, batch norm with batch statistics, ReLU and max-pool — one flat
 * array (outputs, then gradients) for comparison with the CPU backend.
 */
const convSpec: ConvSpec = {
  kind: 'conv4',
  imageShape: { height: 28, width: 28, channels: 1 },
  filters: 32,
  outputDim: 5,
};
const CONV_IMAGES = 10;

export async function convForwardAndGrad(): Promise<{ out: Float32Array; grad: Float32Array }> {
  const shapes = paramShapes(convSpec);
  const arrays = initConvParams(convSpec, new Rng(21));
  const rng = new Rng(22);
  const side = 28 * 28;
  const xs = Float32Array.from({ length: CONV_IMAGES * side }, () => rng.uniform(0, 1));
  const ys = Float32Array.from({ length: CONV_IMAGES * 5 }, () => rng.normal());
  const [out, grad] = tf.tidy(() => {
    const params = arrays.map((a, i) => tf.tensor(a, shapes[i]));
    const x = tf.tensor3d(xs, [1, CONV_IMAGES, side]);
    const y = tf.tensor3d(ys, [1, CONV_IMAGES, 5]);
    const f = (...ps: tf.Tensor[]) => tf.mean(tf.square(tf.sub(modelForward(convSpec, ps, x), y)));
    const grads = tf.grads(f)(params);
    const flat = tf.concat(grads.map((g) => tf.reshape(g, [-1])));
    return [tf.reshape(modelForward(convSpec, params, x), [-1]), flat];
  });
  const result = {
    out: new Float32Array((await out.data()) as Float32Array),
    grad: new Float32Array((await grad.data()) as Float32Array),
  };
  out.dispose();
  grad.dispose();
  return result;
}

/**
 * Worst |this − cpu| of the conv forward and its gradient. Tolerance:
 * GRAD_TOL of the backend times the largest |cpu| value (outputs are O(1)
 * after batch norm; gradients are sums over 10 images × 784 pixels, so an
 * absolute bound alone would mean different things for the two).
 */
export function convVersusCpu(
  backend: BackendName,
  mine: { out: Float32Array; grad: Float32Array },
  cpu: { out: Float32Array; grad: Float32Array },
): CheckResult[] {
  const scale = (a: Float32Array) => Math.max(1, ...Array.from(a, Math.abs));
  return (['out', 'grad'] as const).map((k) => {
    const d = maxAbsDiff(mine[k], cpu[k]);
    const tol = GRAD_TOL[backend] * scale(cpu[k]);
    return {
      check:
        k === 'out'
          ? 'conv4 (32 filters) forward vs cpu (10 images, 5-way head)'
          : 'conv4 (32 filters) parameter gradients vs cpu (squared error)',
      maxAbsDiff: d,
      tolerance: `${GRAD_TOL[backend].toExponential(0)}·max|cpu| = ${tol.toExponential(1)}`,
      pass: d <= tol,
    };
  });
}
