/**
 * The meta-optimizers against hand computations of their first steps, the
 * cosine schedule's values, weight decay's exact effect on the update, and
 * resuming Adagrad and momentum from saved state. (Adam against
 * tf.train.adam: flat-adam.test.ts.)
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADAGRAD_INITIAL,
  FlatOptimizer,
  MOMENTUM,
  type FlatOptimizerOptions,
} from '../../../src/core/algorithms/flat-optimizer';
import { scheduledLr } from '../../../src/core/algorithms/schedule';
import { metaOptimizerFor } from '../../../src/core/algorithms/learner';
import { defaultConfig } from '../../../src/core/spec/config';
import { useCpu } from '../../helpers/tf-cpu';

beforeAll(useCpu);

let counter = 0;
/** θ = [1, −2] and [0.5] as two variables. */
function theta(): tf.Variable[] {
  return [
    tf.variable(tf.tensor1d([1, -2]), true, `flat-opt-test/${counter++}`),
    tf.variable(tf.tensor1d([0.5]), true, `flat-opt-test/${counter++}`),
  ];
}
const G1 = [[0.5, -1], [2]];
const G2 = [[-0.25, 0.5], [1]];

async function run(opts: FlatOptimizerOptions, grads: number[][][]): Promise<number[]> {
  const vars = theta();
  const opt = new FlatOptimizer(vars, opts);
  for (const g of grads) tf.tidy(() => opt.apply(g.map((x) => tf.tensor1d(x))));
  const out = (await Promise.all(vars.map((v) => v.data()))).flatMap((a) => Array.from(a));
  opt.dispose();
  vars.forEach((v) => v.dispose());
  return out;
}

const EPS = 1e-7; // tfjs's float32 epsilon on the CPU backend
const close = (a: number[], b: number[], digits = 6) =>
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, digits));

describe('meta-optimizers: two steps by hand', () => {
  const th0 = [1, -2, 0.5];
  const g1 = G1.flat();
  const g2 = G2.flat();

  it('SGD with momentum 0.9: u1 = g1, u2 = 0.9 u1 + g2, θ −= lr·u', async () => {
    const lr = 0.1;
    const u1 = g1;
    const u2 = g2.map((g, i) => MOMENTUM * (u1[i] as number) + g);
    const want = th0.map((t, i) => t - lr * (u1[i] as number) - lr * (u2[i] as number));
    close(await run({ kind: 'sgd-momentum', learningRate: lr }, [G1, G2]), want);
  });

  it('Adagrad: a starts at 0.1, a += g², θ −= lr·g/√(a + ε)', async () => {
    const lr = 0.5;
    const a1 = g1.map((g) => ADAGRAD_INITIAL + g * g);
    const a2 = a1.map((a, i) => a + (g2[i] as number) ** 2);
    const want = th0.map(
      (t, i) =>
        t -
        (lr * (g1[i] as number)) / Math.sqrt((a1[i] as number) + EPS) -
        (lr * (g2[i] as number)) / Math.sqrt((a2[i] as number) + EPS),
    );
    close(await run({ kind: 'adagrad', learningRate: lr }, [G1, G2]), want);
  });

  it('Adam: bias-corrected moments', async () => {
    const lr = 0.01;
    const [b1, b2] = [0.9, 0.999];
    let m = th0.map(() => 0);
    let v = th0.map(() => 0);
    const th = [...th0];
    [g1, g2].forEach((g, k) => {
      const t = k + 1;
      m = m.map((x, i) => b1 * x + (1 - b1) * (g[i] as number));
      v = v.map((x, i) => b2 * x + (1 - b2) * (g[i] as number) ** 2);
      th.forEach((_, i) => {
        const mh = (m[i] as number) / (1 - b1 ** t);
        const vh = (v[i] as number) / (1 - b2 ** t);
        th[i] = (th[i] as number) - (lr * mh) / (Math.sqrt(vh) + EPS);
      });
    });
    close(await run({ kind: 'adam', learningRate: lr }, [G1, G2]), th, 5);
  });

  it('Adagrad and momentum follow tf.train.* step for step', async () => {
    for (const [kind, ref] of [
      ['adagrad', () => tf.train.adagrad(0.3)],
      ['sgd-momentum', () => tf.train.momentum(0.3, MOMENTUM)],
    ] as const) {
      const mine = theta();
      const theirs = theta();
      const opt = new FlatOptimizer(mine, { kind, learningRate: 0.3 });
      const r = ref();
      for (let s = 0; s < 8; s++) {
        const g = (vs: tf.Variable[]) => vs.map((v, i) => tf.add(tf.mul(v, 0.7), Math.sin(s + i)));
        tf.tidy(() => opt.apply(g(mine)));
        tf.tidy(() => {
          const gs = g(theirs);
          r.applyGradients(theirs.map((v, i) => ({ name: v.name, tensor: gs[i] as tf.Tensor })));
        });
      }
      const a = (await Promise.all(mine.map((v) => v.data()))).flatMap((x) => Array.from(x));
      const b = (await Promise.all(theirs.map((v) => v.data()))).flatMap((x) => Array.from(x));
      close(a, b, 5);
      opt.dispose();
      r.dispose();
    }
  });
});

describe('weight decay', () => {
  it('adds λθ to the gradient: one SGD-momentum step moves θ by exactly −lr·λ·θ more', async () => {
    const lr = 0.1;
    const wd = 0.01;
    const plain = await run({ kind: 'sgd-momentum', learningRate: lr }, [G1]);
    const decayed = await run({ kind: 'sgd-momentum', learningRate: lr, weightDecay: wd }, [G1]);
    const th0 = [1, -2, 0.5];
    close(
      decayed.map((v, i) => v - (plain[i] as number)),
      th0.map((t) => -lr * wd * t),
      7,
    );
  });

  it('skips the parameters the mask excludes (Meta-SGD rates)', async () => {
    const opts = { kind: 'sgd-momentum' as const, learningRate: 0.1, weightDecay: 0.5 };
    const plain = await run(opts, [G1]);
    const masked = await run({ ...opts, decay: [true, false] }, [G1]);
    const full = await run({ ...opts, weightDecay: 0 }, [G1]);
    expect(masked[2]).toBeCloseTo(full[2] as number, 7);
    expect(masked[0]).toBeCloseTo(plain[0] as number, 7);
    // the learner's optimizer: 4 weight tensors decayed, their 4 learned rates not
    const spec = { inputDim: 1, hidden: [2], outputDim: 1, learnedLr: true };
    const vars = Array.from({ length: 8 }, () =>
      tf.variable(tf.ones([1]), true, `wd/${counter++}`),
    );
    const config = {
      ...defaultConfig('metasgd'),
      metaOptimizer: 'sgd-momentum' as const,
      metaLr: 1,
      weightDecay: 0.1,
    };
    const opt = metaOptimizerFor(vars, config, spec);
    tf.tidy(() => opt.apply(vars.map(() => tf.zeros([1]))));
    const after = (await Promise.all(vars.map((v) => v.data()))).map((a) => a[0] as number);
    close(after, [0.9, 0.9, 0.9, 0.9, 1, 1, 1, 1], 6);
    opt.dispose();
    vars.forEach((v) => v.dispose());
  });
});

describe('cosine schedule', () => {
  it('goes from the base rate through half of it to near 0, and stays at 0 past the end', () => {
    expect(scheduledLr(0.01, 1, 100, true)).toBe(0.01);
    expect(scheduledLr(0.01, 51, 100, true)).toBeCloseTo(0.005, 12);
    expect(scheduledLr(0.01, 26, 100, true)).toBeCloseTo(0.01 * 0.5 * (1 + Math.SQRT1_2), 12);
    expect(scheduledLr(0.01, 100, 100, true)).toBeCloseTo(
      0.01 * 0.5 * (1 + Math.cos((Math.PI * 99) / 100)),
      12,
    );
    expect(scheduledLr(0.01, 500, 100, true)).toBe(0);
    expect(scheduledLr(0.01, 77, 100, false)).toBe(0.01);
  });

  it('is what the optimizer steps with, and it resumes from the saved step count', async () => {
    const vars = theta();
    const opts = { kind: 'sgd-momentum' as const, learningRate: 1, cosineSteps: 4 };
    const opt = new FlatOptimizer(vars, opts);
    const seen: number[] = [];
    for (let s = 0; s < 3; s++) {
      seen.push(opt.currentLr());
      tf.tidy(() => opt.apply(G1.map((x) => tf.tensor1d(x))));
    }
    expect(seen).toEqual([1, scheduledLr(1, 2, 4, true), scheduledLr(1, 3, 4, true)]);
    const again = new FlatOptimizer(vars, opts);
    again.setState(await opt.state());
    expect(again.currentLr()).toBe(scheduledLr(1, 4, 4, true));
    opt.dispose();
    again.dispose();
  });
});

describe('saved state', () => {
  it('continues Adagrad and momentum exactly, and refuses another optimizer’s state', async () => {
    for (const kind of ['adagrad', 'sgd-momentum'] as const) {
      const a = theta();
      const b = theta();
      const through = new FlatOptimizer(a, { kind, learningRate: 0.2 });
      const first = new FlatOptimizer(b, { kind, learningRate: 0.2 });
      const grads = [G1, G2, G1, G2];
      for (const g of grads.slice(0, 2)) {
        tf.tidy(() => through.apply(g.map((x) => tf.tensor1d(x))));
        tf.tidy(() => first.apply(g.map((x) => tf.tensor1d(x))));
      }
      const resumed = new FlatOptimizer(b, { kind, learningRate: 0.2 });
      resumed.setState(await first.state());
      first.dispose();
      for (const g of grads.slice(2)) {
        tf.tidy(() => through.apply(g.map((x) => tf.tensor1d(x))));
        tf.tidy(() => resumed.apply(g.map((x) => tf.tensor1d(x))));
      }
      const va = (await Promise.all(a.map((v) => v.data()))).flatMap((x) => Array.from(x));
      const vb = (await Promise.all(b.map((v) => v.data()))).flatMap((x) => Array.from(x));
      expect(vb).toEqual(va);
      const adam = new FlatOptimizer(b, { kind: 'adam', learningRate: 0.2 });
      const saved = await resumed.state();
      expect(() => adam.setState(saved)).toThrow(/does not match this run's optimizer \(Adam\)/);
      adam.dispose();
      through.dispose();
      resumed.dispose();
    }
  });
});
