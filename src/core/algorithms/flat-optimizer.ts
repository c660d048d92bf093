/**
 * The meta-optimizers (Adam, Adagrad, SGD with momentum) over all
 * parameters at once, as one flat vector, with optional L2 weight decay and
 * a cosine schedule of the learning rate.
 *
 * Why flat: tfjs's own optimizers update each variable with its own
 * kernels (tf.train.adam: 14 per variable, 88 for a 6-tensor MLP, more than
 * half of a hand-derived first-order MAML step on backends where every
 * kernel costs tens of microseconds). Here the gradients are concatenated
 * once and the slots live in flat tensors, so the cost does not grow with
 * depth.
 *
 * The rules are tfjs's (the tests follow tf.train.* step for step):
 * - Adam: m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², θ ← θ − lr_t m/(√v + ε_t)
 *   with the bias corrections folded into two scalars computed in JS
 *   (lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ), ε_t = ε·√(1−β2ᵗ), the same step as
 *   lr·m̂/(√v̂+ε));
 * - Adagrad: a ← a + g² (a starts at 0.1), θ ← θ − lr g/√(a + ε);
 * - SGD with momentum μ = 0.9: u ← μ u + g, θ ← θ − lr u.
 * Weight decay λ (L2 penalty ½λ‖θ‖²) adds λθ to the gradient before the
 * rule, for the parameters `decay` marks (Meta-SGD's learned rates are not
 * decayed: pulling a step size to 0 switches adaptation off, it does not
 * regularize the initialization). lr is scheduledLr(…) at the step count.
 *
 * Saved state: the step count, then each slot per parameter in params
 * order. Adam's is tfjs Adam's layout (iterations, first moments, second
 * moments), so checkpoints written before this module existed still load.
 *
 * Ownership: the optimizer owns its slot tensors and frees them in dispose();
 * apply() reads the gradients and frees its temporaries.
 */
import * as tf from '@tensorflow/tfjs';
import type { MetaOptimizerName } from '../spec/config';
import { scheduledLr } from './schedule';

export interface OptimizerState {
  name: string;
  arrays: Float32Array[];
  shapes: number[][];
}

export interface FlatOptimizerOptions {
  kind: MetaOptimizerName;
  learningRate: number;
  /** λ of the L2 penalty; 0 = off */
  weightDecay?: number;
  /** which params weight decay applies to (params order); all when absent */
  decay?: readonly boolean[];
  /** cosine schedule over this many steps; constant rate when absent */
  cosineSteps?: number;
  beta1?: number;
  beta2?: number;
}

/** Saved-state names, one per rule (Adam's is tfjs's). */
const STATE_NAMES: Record<MetaOptimizerName, string> = {
  adam: 'Adam',
  adagrad: 'Adagrad',
  'sgd-momentum': 'Momentum',
};
const SLOTS: Record<MetaOptimizerName, number> = { adam: 2, adagrad: 1, 'sgd-momentum': 1 };
export const MOMENTUM = 0.9;
export const ADAGRAD_INITIAL = 0.1;

export class FlatOptimizer {
  private readonly sizes: number[];
  private readonly total: number;
  /** the flat slots: Adam [m, v], Adagrad [a], momentum [u]; empty before the first step */
  private slots: tf.Tensor1D[] = [];
  private t = 0;
  readonly kind: MetaOptimizerName;
  readonly learningRate: number;

  constructor(
    private readonly params: readonly tf.Variable[],
    private readonly opts: FlatOptimizerOptions,
  ) {
    this.kind = opts.kind;
    this.learningRate = opts.learningRate;
    this.sizes = params.map((p) => p.size);
    this.total = this.sizes.reduce((a, b) => a + b, 0);
  }

  /** Updates applied so far. */
  get steps(): number {
    return this.t;
  }

  /** The learning rate the next apply() uses. */
  currentLr(): number {
    const o = this.opts;
    return scheduledLr(o.learningRate, this.t + 1, o.cosineSteps ?? 1, o.cosineSteps !== undefined);
  }

  /** One update with gradients in params order. */
  apply(grads: readonly tf.Tensor[]): void {
    const lr = this.currentLr();
    this.t++;
    const slots = tf.tidy(() => {
      let g = tf.concat(grads.map((x) => tf.reshape(x, [-1]))) as tf.Tensor1D;
      const wd = this.opts.weightDecay ?? 0;
      if (wd > 0) g = tf.add(g, tf.mul(this.decayedFlat(), wd));
      const { delta, next } = this.rule(g, lr);
      let o = 0;
      this.params.forEach((p, i) => {
        const n = this.sizes[i] as number;
        p.assign(tf.add(p, tf.reshape(tf.slice(delta, o, n), p.shape)));
        o += n;
      });
      return next.map((s) => tf.keep(s));
    });
    this.slots.forEach((s) => s.dispose());
    this.slots = slots;
  }

  /** The params as one vector, zero where weight decay does not apply. */
  private decayedFlat(): tf.Tensor1D {
    const mask = this.opts.decay;
    return tf.concat(
      this.params.map((p, i) =>
        mask && !mask[i] ? tf.zeros([p.size]) : tf.reshape(p as tf.Tensor, [-1]),
      ),
    ) as tf.Tensor1D;
  }

  /** A slot before the first step: Adagrad's accumulator starts at 0.1, the others at 0. */
  private initialSlot(): tf.Tensor1D {
    return tf.fill([this.total], this.kind === 'adagrad' ? ADAGRAD_INITIAL : 0) as tf.Tensor1D;
  }

  private rule(g: tf.Tensor1D, lr: number): { delta: tf.Tensor1D; next: tf.Tensor1D[] } {
    const eps = tf.backend().epsilon();
    switch (this.kind) {
      case 'adam': {
        const b1 = this.opts.beta1 ?? 0.9;
        const b2 = this.opts.beta2 ?? 0.999;
        const c1 = 1 - b1 ** this.t;
        const c2 = Math.sqrt(1 - b2 ** this.t);
        const [m0, v0] = this.slots.length ? this.slots : [this.initialSlot(), this.initialSlot()];
        const m = tf.add(tf.mul(m0 as tf.Tensor1D, b1), tf.mul(g, 1 - b1)) as tf.Tensor1D;
        const v = tf.add(
          tf.mul(v0 as tf.Tensor1D, b2),
          tf.mul(tf.square(g), 1 - b2),
        ) as tf.Tensor1D;
        const delta = tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps * c2)), (-lr * c2) / c1);
        return { delta: delta as tf.Tensor1D, next: [m, v] };
      }
      case 'adagrad': {
        const a0 = this.slots[0] ?? this.initialSlot();
        const a = tf.add(a0, tf.square(g)) as tf.Tensor1D;
        const delta = tf.mul(tf.div(g, tf.sqrt(tf.add(a, eps))), -lr);
        return { delta: delta as tf.Tensor1D, next: [a] };
      }
      case 'sgd-momentum': {
        const u0 = this.slots[0] ?? this.initialSlot();
        const u = tf.add(tf.mul(u0, MOMENTUM), g) as tf.Tensor1D;
        return { delta: tf.mul(u, -lr) as tf.Tensor1D, next: [u] };
      }
    }
  }

  async state(): Promise<OptimizerState> {
    const shapes = this.params.map((p) => p.shape);
    const k = SLOTS[this.kind];
    const first = this.kind === 'adagrad' ? ADAGRAD_INITIAL : 0;
    const flats = await Promise.all(
      Array.from({ length: k }, async (_, j) => {
        const s = this.slots[j];
        // before the first step: the starting values
        return s ? ((await s.data()) as Float32Array) : new Float32Array(this.total).fill(first);
      }),
    );
    const split = (a: Float32Array) => {
      let o = 0;
      return this.sizes.map((n) => a.slice(o, (o += n)));
    };
    return {
      name: STATE_NAMES[this.kind],
      arrays: [Float32Array.of(this.t), ...flats.flatMap((f) => split(f))],
      shapes: [[], ...Array.from({ length: k }, () => shapes).flat()],
    };
  }

  setState(state: OptimizerState): void {
    const name = STATE_NAMES[this.kind];
    if (state.name !== name)
      throw new Error(
        `the saved optimizer state (${state.name}) does not match this run's optimizer (${name}): start a new run to change the optimizer`,
      );
    const P = this.params.length;
    const k = SLOTS[this.kind];
    if (state.arrays.length === 1) {
      this.dispose();
      this.t = Math.round(state.arrays[0]?.[0] ?? 0);
      return;
    }
    if (state.arrays.length !== 1 + k * P)
      throw new Error('optimizer state does not match the model');
    for (let j = 0; j < k; j++)
      this.params.forEach((p, i) => {
        if (state.arrays[1 + j * P + i]?.length !== p.size)
          throw new Error('optimizer state does not match the model');
      });
    const join = (parts: Float32Array[]) => {
      const out = new Float32Array(this.total);
      let o = 0;
      for (const a of parts) {
        out.set(a, o);
        o += a.length;
      }
      return tf.tensor1d(out);
    };
    this.dispose();
    this.t = Math.round(state.arrays[0]?.[0] ?? 0);
    this.slots = Array.from({ length: k }, (_, j) =>
      join(state.arrays.slice(1 + j * P, 1 + (j + 1) * P)),
    );
  }

  dispose(): void {
    this.slots.forEach((s) => s.dispose());
    this.slots = [];
  }
}
