/**
 * The fused WebGPU meta-step (src/core/algorithms/fused-webgpu.ts) against
 * the CPU backend's tape reference (MamlLearner, layout 'tape'): for a few
 * shapes (layer sizes, K, B, inner steps 0–3, first and second order, MSE
 * and cross-entropy) the loss, the meta-gradient, and θ after one
 * meta-optimizer step, plus the dispatches per step. Run by the numeric page
 * with `?only=fused`. The reference is computed on cpu first, then tfjs
 * switches to webgpu and the fused learner runs on its GPUDevice.
 */
import * as tf from '@tensorflow/tfjs';
import { MamlLearner } from '../../../src/core/algorithms/maml';
import { toTensors, type LossKind } from '../../../src/core/algorithms/batch';
import { FusedWebgpuLearner, tfjsGpuDevice } from '../../../src/core/algorithms/fused-webgpu';
import { initParamArrays } from '../../../src/core/models/mlp';
import type { MlpSpec } from '../../../src/core/spec/model';
import {
  defaultConfig,
  type MetaOptimizerName,
  type TrainConfig,
} from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import type { EpisodeBatch } from '../../../src/core/data/types';
import { blobBatch, sinusoidBatch } from '../../helpers/sinusoid-batch';
import type { CheckResult } from './checks';

/** float32 on the GPU against float32 on the CPU, summed in another order. */
const ATOL = 1e-4;
const RTOL = 1e-4;

interface FusedCase {
  name: string;
  spec: MlpSpec;
  lossKind: LossKind;
  firstOrder: boolean;
  config: Partial<TrainConfig>;
  batch: () => EpisodeBatch;
}

const CASES: FusedCase[] = [
  {
    name: 'MAML 1-40-40-1, K=10, B=4, 1 inner step, Adam',
    spec: { inputDim: 1, hidden: [40, 40], outputDim: 1 },
    lossKind: 'mse',
    firstOrder: false,
    config: { innerSteps: 1, innerLr: 0.01 },
    batch: () => sinusoidBatch(3, 4, 10, 10),
  },
  {
    name: 'first-order MAML 1-40-40-1, K=5, B=3, 2 inner steps, Adagrad',
    spec: { inputDim: 1, hidden: [40, 40], outputDim: 1 },
    lossKind: 'mse',
    firstOrder: true,
    config: { innerSteps: 2, innerLr: 0.01, shots: 5, metaOptimizer: 'adagrad' },
    batch: () => sinusoidBatch(4, 3, 5, 7),
  },
  {
    name: 'MAML 1-8-8-8-1, K=4, B=2, 3 inner steps, momentum, weight decay',
    spec: { inputDim: 1, hidden: [8, 8, 8], outputDim: 1 },
    lossKind: 'mse',
    firstOrder: false,
    config: {
      innerSteps: 3,
      innerLr: 0.05,
      metaOptimizer: 'sgd-momentum' as MetaOptimizerName,
      weightDecay: 0.01,
    },
    batch: () => sinusoidBatch(5, 2, 4, 6),
  },
  {
    name: 'MAML 2-16-3 cross-entropy, 3-way 2-shot, B=3, 2 inner steps, Adam',
    spec: { inputDim: 2, hidden: [16], outputDim: 3 },
    lossKind: 'ce',
    firstOrder: false,
    config: { innerSteps: 2, innerLr: 0.1, ways: 3, shots: 2 },
    batch: () => blobBatch(6, 3, 3, 2, 3),
  },
  {
    name: 'first-order MAML 2-12-12-4 cross-entropy, 4-way 1-shot, B=2, 1 inner step',
    spec: { inputDim: 2, hidden: [12, 12], outputDim: 4 },
    lossKind: 'ce',
    firstOrder: true,
    config: { innerSteps: 1, innerLr: 0.2, ways: 4, shots: 1 },
    batch: () => blobBatch(7, 2, 4, 1, 2),
  },
  {
    name: 'MAML 1-20-1, K=6, B=2, no inner step',
    spec: { inputDim: 1, hidden: [20], outputDim: 1 },
    lossKind: 'mse',
    firstOrder: false,
    config: { innerSteps: 0 },
    batch: () => sinusoidBatch(8, 2, 6, 6),
  },
];

interface Answer {
  loss: number;
  grad: Float32Array;
  stepLoss: number;
  after: Float32Array;
  dispatchesPerStep?: number;
}

function initOf(c: FusedCase) {
  const config = { ...defaultConfig(c.firstOrder ? 'fomaml' : 'maml'), ...c.config };
  return {
    config,
    spec: c.spec,
    lossKind: c.lossKind,
    initial: initParamArrays(c.spec, new Rng(11)),
  };
}

const flat = (arrays: Float32Array[]) => {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
};

/** The tape reference on the current backend (cpu). */
async function reference(c: FusedCase): Promise<Answer> {
  const batch = c.batch();
  const l = new MamlLearner({ ...initOf(c), layout: 'tape' }, { firstOrder: c.firstOrder });
  try {
    const [loss, g] = tf.tidy(() => {
      const r = l.metaGradient(toTensors(batch));
      return [r.loss, tf.concat(r.grads.map((x) => tf.reshape(x, [-1])))];
    });
    const lossValue = (await loss!.data())[0] as number;
    const grad = new Float32Array((await g!.data()) as Float32Array);
    loss!.dispose();
    g!.dispose();
    const s = l.step(batch);
    const stepLoss = (await s.data())[0] as number;
    s.dispose();
    return { loss: lossValue, grad, stepLoss, after: flat(await l.readParams()) };
  } finally {
    l.dispose();
  }
}

/** The fused learner on webgpu. */
async function fused(c: FusedCase): Promise<Answer> {
  const device = tfjsGpuDevice();
  if (!device) throw new Error('tfjs is not on webgpu');
  const batch = c.batch();
  const l = new FusedWebgpuLearner(
    { ...initOf(c), layout: 'batched' },
    { firstOrder: c.firstOrder },
    device,
  );
  try {
    const { loss, grad } = await l.gradient(batch);
    const before = l.dispatches;
    const s = l.step(batch);
    const stepLoss = (await s.data())[0] as number;
    s.dispose();
    const after = flat(await l.readParams());
    return { loss, grad, stepLoss, after, dispatchesPerStep: l.dispatches - before };
  } finally {
    l.dispose();
  }
}

function compare(name: string, got: ArrayLike<number>, want: ArrayLike<number>): CheckResult {
  let worst = 0;
  let pass = got.length === want.length;
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number;
    const w = want[i] as number;
    const d = Math.abs(g - w);
    if (!(d <= ATOL + RTOL * Math.abs(w))) pass = false;
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return { check: name, maxAbsDiff: worst, tolerance: `${ATOL} + ${RTOL}·|ref|`, pass };
}

export interface FusedReport {
  checks: CheckResult[];
  /** dispatches per meta-step of each case (name → count) */
  dispatches: Record<string, number>;
  /** inner steps of each case (name → S) */
  innerSteps: Record<string, number>;
}

/** Phase 1 on cpu: the references. */
export async function fusedReferences(): Promise<Answer[]> {
  const out: Answer[] = [];
  for (const c of CASES) out.push(await reference(c));
  return out;
}

/** Phase 2 on webgpu: the fused runs against the references. */
export async function fusedChecks(refs: Answer[]): Promise<FusedReport> {
  const report: FusedReport = { checks: [], dispatches: {}, innerSteps: {} };
  for (const [i, c] of CASES.entries()) {
    const want = refs[i] as Answer;
    const got = await fused(c);
    report.checks.push(
      compare(`${c.name}: loss`, [got.loss, got.stepLoss], [want.loss, want.stepLoss]),
      compare(`${c.name}: meta-gradient`, got.grad, want.grad),
      compare(`${c.name}: θ after one meta-step`, got.after, want.after),
    );
    report.dispatches[c.name] = got.dispatchesPerStep ?? -1;
    report.innerSteps[c.name] = c.config.innerSteps ?? 1;
  }
  return report;
}
