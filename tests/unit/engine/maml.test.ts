/**
 * MAML's meta-gradient: against finite differences (regression and
 * classification), batched against the per-task loop, and first-order MAML
 * against MAML with the inner gradient stopped.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MamlLearner } from '../../../src/core/algorithms/maml';
import { toTensors, type LossKind } from '../../../src/core/algorithms/batch';
import type { Layout } from '../../../src/core/algorithms/learner';
import { initParamArrays } from '../../../src/core/models/mlp';
import { type MlpSpec } from '../../../src/core/spec/model';
import { defaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import type { EpisodeBatch } from '../../../src/core/data/types';
import { useCpu } from '../../helpers/tf-cpu';
import { assertAllClose } from '../../helpers/allclose';
import { blobBatch, sinusoidBatch } from '../../helpers/sinusoid-batch';

beforeAll(useCpu);

function learner(
  spec: MlpSpec,
  lossKind: LossKind,
  over: Partial<TrainConfig>,
  layout: Layout = 'batched',
  firstOrder = false,
) {
  const config = { ...defaultConfig('maml'), ...over };
  return new MamlLearner(
    { config, spec, lossKind, layout, initial: initParamArrays(spec, new Rng(7)) },
    { firstOrder },
  );
}

async function metaGrad(l: MamlLearner, batch: EpisodeBatch): Promise<Float32Array> {
  const flat = tf.tidy(() =>
    tf.concat(l.metaGradient(toTensors(batch)).grads.map((g) => tf.reshape(g, [-1]))),
  );
  const out = (await flat.data()) as Float32Array;
  flat.dispose();
  return out;
}

/** Directional derivatives of the meta-objective along random directions, by central differences. */
function fdDirectional(
  l: MamlLearner,
  batch: EpisodeBatch,
  dirs: Float32Array[],
  eps: number,
): number[] {
  return tf.tidy(() => {
    const t = toTensors(batch);
    const shapes = l.params.map((p) => p.shape);
    const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
    const at = (dir: Float32Array, scale: number) => {
      let o = 0;
      const theta = l.params.map((p, i) => {
        const d = tf.tensor(dir.subarray(o, o + (sizes[i] as number)), shapes[i]);
        o += sizes[i] as number;
        return tf.add(p, tf.mul(scale, d));
      });
      return l.metaObjective(theta, t).dataSync()[0] as number;
    };
    return dirs.map((d) => (at(d, eps) - at(d, -eps)) / (2 * eps));
  });
}

function randomDirs(n: number, size: number, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => rng.normal()));
}

const dot = (a: Float32Array, b: Float32Array) =>
  a.reduce((s, v, i) => s + v * (b[i] as number), 0);

describe('second-order MAML meta-gradient', () => {
  it('matches finite differences on a tiny regression net (MSE, 2 inner steps)', async () => {
    const l = learner({ inputDim: 1, hidden: [6, 5], outputDim: 1 }, 'mse', {
      innerLr: 0.05,
      innerSteps: 2,
    });
    const batch = sinusoidBatch(3, 3, 5, 5);
    const g = await metaGrad(l, batch);
    const dirs = randomDirs(6, g.length, 11);
    // Two errors bound ε. Rounding: f is float32 (relative error ~6e-8, |f| ≲ 10 here), so
    // the difference quotient carries ~6e-7/(2ε) ≈ 1e-3 at ε = 3e-4. Kinks: a ReLU unit whose
    // pre-activation is within ε·|v| of zero makes the quotient mix two linear pieces; with
    // ε = 1e-3 one direction here was off by 3% for that reason and converged as ε shrank.
    // Hence ε = 3e-4 with atol 5e-3 + rtol 1e-2 on derivatives of order 0.1–10.
    const fd = fdDirectional(l, batch, dirs, 3e-4);
    assertAllClose(
      dirs.map((d) => dot(g, d)),
      fd,
      { rtol: 1e-2, atol: 5e-3, label: 'g·v vs finite differences' },
    );
    l.dispose();
  });

  it('matches finite differences for softmax cross-entropy (classification)', async () => {
    const l = learner({ inputDim: 2, hidden: [8], outputDim: 3 }, 'ce', {
      innerLr: 0.5,
      innerSteps: 1,
    });
    const batch = blobBatch(5, 2, 3, 2, 3);
    const g = await metaGrad(l, batch);
    const dirs = randomDirs(6, g.length, 12);
    const fd = fdDirectional(l, batch, dirs, 1e-3);
    assertAllClose(
      dirs.map((d) => dot(g, d)),
      fd,
      { rtol: 1e-2, atol: 2e-3, label: 'g·v vs finite differences' },
    );
    l.dispose();
  });

  it('differs from the first-order gradient (the second-order terms are really there)', async () => {
    const spec = { inputDim: 1, hidden: [40, 40], outputDim: 1 };
    const batch = sinusoidBatch(4, 5, 10, 10);
    const g2 = await metaGrad(learner(spec, 'mse', {}), batch);
    const g1 = await metaGrad(learner(spec, 'mse', {}, 'batched', true), batch);
    const diff = Math.max(...g2.map((v, i) => Math.abs(v - (g1[i] as number))));
    expect(diff).toBeGreaterThan(1e-3);
  });

  it('batched equals the per-task loop to 1e-4 at meta-batch 25', async () => {
    const spec = { inputDim: 1, hidden: [40, 40], outputDim: 1 };
    const batch = sinusoidBatch(9, 25, 10, 10);
    for (const firstOrder of [false, true]) {
      const a = await metaGrad(learner(spec, 'mse', {}, 'batched', firstOrder), batch);
      const b = await metaGrad(learner(spec, 'mse', {}, 'loop', firstOrder), batch);
      assertAllClose(a, b, {
        atol: 1e-4,
        rtol: 0,
        label: `batched vs loop (firstOrder=${firstOrder})`,
      });
    }
  });
});

describe('first-order MAML', () => {
  it('equals MAML with the second-order terms removed (inner gradient stopped)', async () => {
    const spec = { inputDim: 1, hidden: [20, 20], outputDim: 1 };
    const batch = sinusoidBatch(8, 4, 10, 10);
    for (const innerSteps of [1, 3]) {
      const fo = learner(spec, 'mse', { innerSteps }, 'batched', true);
      const g1 = await metaGrad(fo, batch);
      const so = learner(spec, 'mse', { innerSteps });
      const stopped = tf.tidy(() => {
        const t = toTensors(batch);
        const { grads } = tf.variableGrads(() => so.metaObjective(so.params, t, true), so.params);
        return tf.concat(so.params.map((p) => tf.reshape(grads[p.name] as tf.Tensor, [-1])));
      });
      assertAllClose(g1, (await stopped.data()) as Float32Array, {
        atol: 1e-5,
        rtol: 1e-4,
        label: `innerSteps=${innerSteps}`,
      });
      stopped.dispose();
    }
  });
});

describe('hand-derived meta-gradient (layout "batched")', () => {
  const cases: { spec: MlpSpec; kind: LossKind; innerSteps: number; innerLr: number }[] = [
    {
      spec: { inputDim: 1, hidden: [40, 40], outputDim: 1 },
      kind: 'mse',
      innerSteps: 1,
      innerLr: 0.01,
    },
    {
      spec: { inputDim: 1, hidden: [12, 9, 7], outputDim: 1 },
      kind: 'mse',
      innerSteps: 3,
      innerLr: 0.05,
    },
    { spec: { inputDim: 2, hidden: [8], outputDim: 3 }, kind: 'ce', innerSteps: 2, innerLr: 0.5 },
    {
      spec: { inputDim: 2, hidden: [16, 16], outputDim: 3 },
      kind: 'ce',
      innerSteps: 0,
      innerLr: 0.5,
    },
  ];
  for (const c of cases)
    for (const firstOrder of [false, true])
      it(`equals tfjs's tape: ${c.kind}, hidden ${c.spec.hidden.join('-')}, ${c.innerSteps} inner steps, ${firstOrder ? 'first' : 'second'} order`, async () => {
        const batch = c.kind === 'mse' ? sinusoidBatch(5, 6, 10, 10) : blobBatch(6, 5, 3, 2, 3);
        const over = { innerSteps: c.innerSteps, innerLr: c.innerLr };
        const mine = learner(c.spec, c.kind, over, 'batched', firstOrder);
        const tape = learner(c.spec, c.kind, over, 'tape', firstOrder);
        const [a, b] = [await metaGrad(mine, batch), await metaGrad(tape, batch)];
        const scale = Math.max(...b.map(Math.abs));
        assertAllClose(a, b, { atol: 1e-5 * scale, rtol: 1e-4, label: 'explicit vs tape' });
        const loss = (l: MamlLearner) =>
          tf.tidy(() => l.metaGradient(toTensors(batch)).loss.dataSync()[0] as number);
        expect(loss(mine)).toBeCloseTo(loss(tape), 5);
        mine.dispose();
        tape.dispose();
      });

  it('needs far fewer kernels than the tape (the reason it exists)', async () => {
    const spec = { inputDim: 1, hidden: [40, 40], outputDim: 1 };
    const batch = sinusoidBatch(3, 25, 10, 10);
    const kernels = async (layout: Layout, firstOrder: boolean) => {
      const l = learner(spec, 'mse', {}, layout, firstOrder);
      const p = await tf.profile(() => l.step(batch).dispose());
      l.dispose();
      return p.kernels.length;
    };
    for (const firstOrder of [false, true]) {
      const [mine, tape] = [
        await kernels('batched', firstOrder),
        await kernels('tape', firstOrder),
      ];
      expect(mine).toBeLessThan(0.6 * tape);
    }
  });
});
