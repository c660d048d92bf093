/**
 * Adam (Kingma & Ba 2015) over all parameters at once, as one flat vector.
 *
 * Why not tf.train.adam: it updates each variable with its own 14 kernels, so
 * a 6-tensor MLP costs 88 kernels a step — more than half of a hand-derived
 * first-order MAML step, on backends where every kernel costs tens of
 * microseconds whatever its size. Here the gradients are concatenated once
 * and the moments live in two flat tensors: 36 kernels for any depth.
 *
 * The update is tfjs's Adam rewritten with the bias corrections folded into
 * two scalars computed in JS (mathematically the same step:
 * lr·m̂/(√v̂+ε) = lr_t·m/(√v+ε_t), lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ), ε_t = ε·√(1−β2ᵗ)),
 * and its state is saved in tfjs Adam's layout (iterations, then the first
 * moments per parameter, then the second moments), so checkpoints and saved
 * sessions from either are interchangeable.
 */
import * as tf from '@tensorflow/tfjs';

export interface OptimizerState {
  name: string;
  arrays: Float32Array[];
  shapes: number[][];
}

export class FlatAdam {
  private readonly sizes: number[];
  private readonly total: number;
  private m: tf.Tensor1D | null = null;
  private v: tf.Tensor1D | null = null;
  private t = 0;

  constructor(
    private readonly params: readonly tf.Variable[],
    readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
  ) {
    this.sizes = params.map((p) => p.size);
    this.total = this.sizes.reduce((a, b) => a + b, 0);
  }

  /** One Adam step with gradients in params order. */
  apply(grads: readonly tf.Tensor[]): void {
    this.t++;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = Math.sqrt(1 - this.beta2 ** this.t);
    // tfjs's default epsilon is the backend's (1e-7 in float32, larger on half-float WebGL)
    const eps = tf.backend().epsilon() * c2;
    const lrT = (this.learningRate * c2) / c1;
    const [m, v] = tf.tidy(() => {
      const g = tf.concat(grads.map((x) => tf.reshape(x, [-1])));
      const m0 = this.m ?? tf.zeros([this.total]);
      const v0 = this.v ?? tf.zeros([this.total]);
      const m1 = tf.add(tf.mul(m0, this.beta1), tf.mul(g, 1 - this.beta1)) as tf.Tensor1D;
      const v1 = tf.add(
        tf.mul(v0, this.beta2),
        tf.mul(tf.square(g), 1 - this.beta2),
      ) as tf.Tensor1D;
      const delta = tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), eps)), -lrT);
      let o = 0;
      this.params.forEach((p, i) => {
        const n = this.sizes[i] as number;
        p.assign(tf.add(p, tf.reshape(tf.slice(delta, o, n), p.shape)));
        o += n;
      });
      return [tf.keep(m1), tf.keep(v1)];
    });
    this.m?.dispose();
    this.v?.dispose();
    this.m = m;
    this.v = v;
  }

  async state(): Promise<OptimizerState> {
    const shapes = this.params.map((p) => p.shape);
    const flat = async (x: tf.Tensor1D | null) =>
      x ? ((await x.data()) as Float32Array) : new Float32Array(this.total);
    const [m, v] = [await flat(this.m), await flat(this.v)];
    const split = (a: Float32Array) => {
      let o = 0;
      return this.sizes.map((n) => a.slice(o, (o += n)));
    };
    return {
      name: 'Adam',
      arrays: [Float32Array.of(this.t), ...split(m), ...split(v)],
      shapes: [[], ...shapes, ...shapes],
    };
  }

  setState(state: OptimizerState): void {
    const k = this.params.length;
    if (state.name === 'Adam' && state.arrays.length === 1) {
      // saved before the first step: tfjs keeps no moments yet
      this.dispose();
      this.t = Math.round(state.arrays[0]?.[0] ?? 0);
      return;
    }
    if (state.name !== 'Adam' || state.arrays.length !== 1 + 2 * k)
      throw new Error('optimizer state does not match the model');
    this.params.forEach((p, i) => {
      if (state.arrays[1 + i]?.length !== p.size || state.arrays[1 + k + i]?.length !== p.size)
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
    this.m = join(state.arrays.slice(1, 1 + k));
    this.v = join(state.arrays.slice(1 + k));
  }

  dispose(): void {
    this.m?.dispose();
    this.v?.dispose();
    this.m = null;
    this.v = null;
  }
}
