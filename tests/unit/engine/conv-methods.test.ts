/**
 * The methods on the conv net: each gradient against finite differences of
 * the loss it claims to differentiate (ProtoNet's query loss, ANIL's full
 * inner-loop objective, first-order MAML's query loss at the adapted
 * weights, Reptile's step), second-order MAML refused with the reason, and
 * no tensor left behind from one step to the next.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLearner, specFor } from '../../../src/core/algorithms/index';
import { AnilLearner } from '../../../src/core/algorithms/anil';
import { ConvFoMamlLearner, adaptOneTask } from '../../../src/core/algorithms/conv-finetune';
import { lossPerTask, sliceTask, toTensors } from '../../../src/core/algorithms/batch';
import { protoLossPerTask } from '../../../src/core/algorithms/protonet';
import { initParamArrays, modelForward, type ModelSpec } from '../../../src/core/models/model';
import {
  CONV_MAML_MESSAGE,
  defaultConfig,
  validateConfig,
  type AlgorithmName,
  type TrainConfig,
} from '../../../src/core/spec/config';
import { Rng } from '../../../src/core/rng';
import type { EpisodeBatch } from '../../../src/core/data/types';
import { useCpu } from '../../helpers/tf-cpu';
import { assertAllClose } from '../../helpers/allclose';
import { SyntheticImageSource } from '../../helpers/image-source';

beforeAll(useCpu);

const source = new SyntheticImageSource({ side: 28, noise: 0.1 });
const shape = { ways: 3, shots: 4, queries: 4 };

function make(algorithm: AlgorithmName, over: Partial<TrainConfig> = {}, src = source) {
  const config: TrainConfig = {
    ...defaultConfig(algorithm),
    backbone: 'conv4',
    filters: 32,
    ...shape,
    metaBatch: 2,
    ...over,
  };
  const spec = { ...specFor(algorithm, src, config), filters: 3 } as ModelSpec;
  const learner = createLearner(algorithm, {
    config,
    spec,
    lossKind: 'ce',
    initial: initParamArrays(spec, new Rng(4)),
  });
  return { learner, spec, config };
}

/** Random unit directions over all params, as tensors in params order. */
function directions(params: readonly tf.Tensor[], count: number, seed: number): tf.Tensor[][] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const raw = params.map((p) => Float32Array.from({ length: p.size }, () => rng.normal()));
    const norm = Math.sqrt(raw.reduce((s, a) => s + a.reduce((t, v) => t + v * v, 0), 0));
    return raw.map((a, i) =>
      tf.tensor(
        a.map((v) => v / norm),
        params[i]!.shape,
      ),
    );
  });
}

/** g·v for each direction v, and the central difference of f along v. */
function compare(
  grads: tf.Tensor[],
  params: readonly tf.Tensor[],
  f: (p: tf.Tensor[]) => tf.Scalar,
  eps: number,
): { analytic: number[]; numeric: number[] } {
  return tf.tidy(() => {
    const dirs = directions(params, 4, 17);
    const at = (v: tf.Tensor[], s: number) =>
      f(params.map((p, i) => tf.add(p, tf.mul(s, v[i]!)))).dataSync()[0]!;
    return {
      analytic: dirs.map((v) =>
        grads.reduce((s, g, i) => s + tf.sum(tf.mul(g, v[i]!)).dataSync()[0]!, 0),
      ),
      numeric: dirs.map((v) => (at(v, eps) - at(v, -eps)) / (2 * eps)),
    };
  });
}

/**
 * Finite differences on a conv net in float32 need a well-conditioned case:
 * batch norm over a handful of tiny feature maps is strongly curved and
 * max-pool switches sit close by, so on 16×16 images with 2 shots the
 * central difference wandered (0.029, 0.005, −0.0002, 0.0005 at ε = 3e-2 …
 * 1e-3 for a true 0.012; our conv gradient equals tfjs's own exactly, see
 * conv.test.ts). On 28×28 images with 4 shots and 4 queries per class the
 * differences at ε = 1e-3 and 3e-4 agree with each other to ~1%.
 */
const EPS = 1e-3;
const TOL = { atol: 2e-3, rtol: 2e-2 };

const batchOf = (seed: number): EpisodeBatch => source.sample('train', 2, shape, new Rng(seed));

describe('methods on Conv-4', () => {
  it('ProtoNet: the gradient of the query loss matches finite differences', () => {
    const { learner, spec } = make('protonet');
    const t = toTensors(batchOf(1));
    const loss = (p: tf.Tensor[]) => tf.mean(protoLossPerTask(p, t, spec)) as tf.Scalar;
    const grads = tf.grads((...p: tf.Tensor[]) => loss(p))(learner.params);
    const { analytic, numeric } = compare(grads, learner.params, loss, EPS);
    assertAllClose(analytic, numeric, { ...TOL, label: 'g·v vs FD' });
    learner.dispose();
  });

  it('ANIL: the meta-gradient matches finite differences of the full inner-loop objective', () => {
    const { learner } = make('anil', { innerSteps: 2, innerLr: 0.5 });
    const anil = learner as AnilLearner;
    const t = toTensors(batchOf(2));
    const { grads } = tf.variableGrads(() => anil.metaObjective(anil.params, t), anil.params);
    const g = anil.params.map((p) => grads[p.name]!);
    const { analytic, numeric } = compare(g, anil.params, (p) => anil.metaObjective(p, t), EPS);
    assertAllClose(analytic, numeric, { ...TOL, label: 'g·v vs FD' });
    // the body's gradient is really there (ANIL learns the features)
    expect(
      Math.max(...g.slice(0, 12).map((x) => tf.max(tf.abs(x)).dataSync()[0]!)),
    ).toBeGreaterThan(1e-4);
    learner.dispose();
  });

  it('ANIL on an MLP: the same check (second order through the head)', () => {
    const config = { ...defaultConfig('anil'), ways: 3, innerSteps: 2, innerLr: 0.5 };
    const spec: ModelSpec = { inputDim: 784, hidden: [8], outputDim: 3 };
    const anil = new AnilLearner({
      config,
      spec,
      lossKind: 'ce',
      layout: 'batched',
      initial: initParamArrays(spec, new Rng(2)),
    });
    const t = toTensors(batchOf(3));
    const { grads } = tf.variableGrads(() => anil.metaObjective(anil.params, t), anil.params);
    const g = anil.params.map((p) => grads[p.name]!);
    const { analytic, numeric } = compare(g, anil.params, (p) => anil.metaObjective(p, t), EPS);
    assertAllClose(analytic, numeric, { ...TOL, label: 'g·v vs FD' });
    anil.dispose();
  });

  it('first-order MAML: the meta-gradient is the query-loss gradient at the adapted weights', () => {
    const { learner, spec, config } = make('fomaml', { innerSteps: 1, innerLr: 0.3 });
    const fo = learner as ConvFoMamlLearner;
    const t = toTensors(batchOf(4));
    const { grads } = fo.metaGradient(t);
    // per task: θ'_b fixed, L_q,b(θ'_b + ε v) differentiated numerically; the mean over tasks
    const fast = [0, 1].map((b) => {
      const task = sliceTask(t, b);
      return { task, p: adaptOneTask(spec, fo.params, task.sx, task.sy, 'ce', 1, config.innerLr) };
    });
    const dirs = directions(fo.params, 3, 5);
    const qLoss = (p: tf.Tensor[], task: typeof t) =>
      tf.mean(lossPerTask('ce', modelForward(spec, p, task.qx), task.qy)).dataSync()[0]!;
    const eps = EPS;
    const numeric = dirs.map(
      (v) =>
        fast.reduce((s, { task, p }) => {
          const at = (k: number) =>
            qLoss(
              p.map((x, i) => tf.add(x, tf.mul(k, v[i]!))),
              task,
            );
          return s + (at(eps) - at(-eps)) / (2 * eps);
        }, 0) / 2,
    );
    const analytic = dirs.map((v) =>
      grads.reduce((s, g, i) => s + tf.sum(tf.mul(g, v[i]!)).dataSync()[0]!, 0),
    );
    assertAllClose(analytic, numeric, { ...TOL, label: 'g·v vs FD' });
    learner.dispose();
  });

  it('Reptile: one inner step moves θ by ε·(−α ∇L_support), checked by finite differences', async () => {
    const { learner, spec } = make('reptile', {
      innerSteps: 1,
      innerLr: 0.1,
      metaLr: 0.5,
      metaBatch: 1,
    });
    const batch = source.sample('train', 1, shape, new Rng(6));
    const t = toTensors(batch);
    const before = learner.params.map((p) => tf.clone(p));
    learner.step(batch).dispose();
    const step = learner.params.map((p, i) => tf.sub(p, before[i]!));
    // step = −ε α ∇L_s(θ): so step · v / (−ε α) is the directional derivative of L_s
    const sLoss = (p: tf.Tensor[]) =>
      tf.mean(lossPerTask('ce', modelForward(spec, p, t.sx), t.sy)) as tf.Scalar;
    const asGrad = step.map((s) => tf.div(s, -0.05));
    const { analytic, numeric } = compare(asGrad, before, sLoss, EPS);
    assertAllClose(analytic, numeric, { ...TOL, label: 'step·v vs FD' });
    learner.dispose();
  });

  it('refuses second-order MAML on the conv net and says why', () => {
    const config = { ...defaultConfig('maml'), backbone: 'conv4' as const };
    expect(validateConfig(config)).toContain(CONV_MAML_MESSAGE);
    expect(CONV_MAML_MESSAGE).toMatch(/second derivative of conv2d/);
    const spec = specFor('maml', source, config);
    expect(() =>
      createLearner('maml', {
        config,
        spec,
        lossKind: 'ce',
        initial: initParamArrays(spec, new Rng(1)),
      }),
    ).toThrow(/first-order MAML, ANIL .* or Prototypical Networks/);
  });

  it('leaves no tensor behind from one step to the next (every conv method)', async () => {
    const small = new SyntheticImageSource({ side: 16 });
    for (const algorithm of ['protonet', 'fomaml', 'reptile', 'anil', 'pretrain'] as const) {
      const { learner } = make(algorithm, { innerSteps: 1 }, small);
      const rng = new Rng(8);
      const counts: number[] = [];
      for (let s = 0; s < 3; s++) {
        const loss = learner.step(small.sample('train', 2, shape, rng));
        await loss.data();
        loss.dispose();
        counts.push(tf.memory().numTensors);
      }
      expect(counts[2], algorithm).toBe(counts[1]);
      learner.dispose();
    }
  });
});
