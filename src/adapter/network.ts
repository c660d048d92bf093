/**
 * The exported network as the adapter runs it: a pure function of its
 * trainable weights, read from a loaded Layers model, so that gradient steps
 * can change the weights (a Layers model holds its own). It knows the layers
 * the exports write (core/export/tfjs-layers.ts): Dense (ReLU or linear) for
 * the MLP, and Conv-4's Conv2D (3×3, 'same', no bias) → BatchNormalization →
 * ReLU → MaxPooling2D (2×2, 'valid'), Flatten, Dense. Anything else is
 * refused by name.
 *
 * Weights, in the engine's order: per layer its trainable weights (Dense:
 * kernel [in, out], bias; Conv2D: kernel [3, 3, in, F]; BatchNormalization:
 * γ, β). Batch norm uses the statistics of the batch it is given, computed as
 * models/conv4.ts does (mean over every image and position of the batch,
 * biased variance, the layer's epsilon): the engine's transductive batch norm,
 * not the layer's moving statistics.
 *
 * The convolution is the engine's conv3x3 (core/models/conv-op.ts, tfjs
 * only): its filter gradient is its own, so adaptation also runs on tfjs's
 * WASM backend, which has no Conv2DBackpropFilter kernel.
 *
 * Ownership: forward allocates (call it inside tf.tidy); networkOf returns
 * weight copies the caller owns.
 */
import * as tf from '@tensorflow/tfjs';
import { conv3x3 } from '../core/models/conv-op';

type Op =
  | { kind: 'dense'; relu: boolean }
  | { kind: 'conv' }
  | { kind: 'bn'; epsilon: number }
  | { kind: 'relu' }
  | { kind: 'pool' }
  | { kind: 'flatten' };

const WEIGHTS_OF: Record<Op['kind'], number> = {
  dense: 2,
  conv: 1,
  bn: 2,
  relu: 0,
  pool: 0,
  flatten: 0,
};

/** A layer config value as JSON, for the refusal message. */
const show = (v: unknown) => JSON.stringify(v);

function same(a: unknown, b: readonly number[]): boolean {
  const arr = Array.isArray(a) ? a : [a, a];
  return arr.length === b.length && arr.every((v, i) => v === b[i]);
}

function opOf(layer: tf.layers.Layer): Op | null {
  const cls = layer.getClassName();
  const c = layer.getConfig();
  const refuse = (what: string): never => {
    throw new Error(
      `model.json: layer ${layer.name} (${cls}) has ${what}, which the adapter does not run`,
    );
  };
  switch (cls) {
    case 'InputLayer':
      return null;
    case 'Dense':
      if (c.activation !== 'relu' && c.activation !== 'linear')
        refuse(`activation ${show(c.activation)}`);
      if (c.useBias === false) refuse('no bias');
      return { kind: 'dense', relu: c.activation === 'relu' };
    case 'Conv2D':
      if (
        !same(c.kernelSize, [3, 3]) ||
        !same(c.strides, [1, 1]) ||
        c.padding !== 'same' ||
        c.useBias !== false ||
        c.dataFormat !== 'channelsLast' ||
        !same(c.dilationRate, [1, 1]) ||
        c.activation !== 'linear'
      )
        refuse('other settings than 3×3, stride 1, padding same, no bias, channels last, linear');
      return { kind: 'conv' };
    case 'BatchNormalization':
      if (c.center === false || c.scale === false || (c.axis !== -1 && c.axis !== 3))
        refuse('other settings than γ and β over the last axis');
      return { kind: 'bn', epsilon: c.epsilon as number };
    case 'ReLU':
      if (c.maxValue != null) refuse(`maxValue ${show(c.maxValue)}`);
      return { kind: 'relu' };
    case 'MaxPooling2D':
      if (!same(c.poolSize, [2, 2]) || !same(c.strides, [2, 2]) || c.padding !== 'valid')
        refuse('other settings than 2×2, stride 2, padding valid');
      return { kind: 'pool' };
    case 'Flatten':
      return { kind: 'flatten' };
    default:
      return refuse('a layer type');
  }
}

export class Network {
  /** index of the first weight of the last Dense layer (the head); weights.length when none */
  readonly headStart: number;
  readonly isConv: boolean;
  private readonly lastDense: number;

  constructor(
    private readonly ops: readonly Op[],
    /** one example's shape: [d] (MLP) or [H, W, C] (images, NHWC) */
    readonly inputShape: readonly number[],
  ) {
    this.lastDense = ops.map((o) => o.kind).lastIndexOf('dense');
    this.headStart = ops
      .slice(0, this.lastDense < 0 ? ops.length : this.lastDense)
      .reduce((s, o) => s + WEIGHTS_OF[o.kind], 0);
    this.isConv = ops.some((o) => o.kind === 'conv');
  }

  /** Outputs of the network's last layer. */
  outputDim(weights: readonly tf.Tensor[]): number {
    const last = weights[weights.length - 1] as tf.Tensor;
    return last.shape[last.rank - 1] as number;
  }

  /**
   * x [n, d] → outputs [n, out]; with embedOnly, the input of the last Dense
   * layer (the body's features; the whole network when it has no Dense).
   */
  forward(weights: readonly tf.Tensor[], x: tf.Tensor2D, embedOnly = false): tf.Tensor2D {
    const n = x.shape[0];
    let h: tf.Tensor = this.inputShape.length === 3 ? tf.reshape(x, [n, ...this.inputShape]) : x;
    let p = 0;
    const next = () => weights[p++] as tf.Tensor;
    for (let i = 0; i < this.ops.length; i++) {
      const op = this.ops[i] as Op;
      if (embedOnly && i === this.lastDense) break;
      switch (op.kind) {
        case 'dense': {
          const W = next();
          h = tf.add(tf.matMul(h as tf.Tensor2D, W as tf.Tensor2D), next());
          if (op.relu) h = tf.relu(h);
          break;
        }
        case 'conv':
          h = conv3x3(h as tf.Tensor4D, next() as tf.Tensor4D);
          break;
        case 'bn':
          h = batchNorm(h as tf.Tensor4D, next(), next(), op.epsilon);
          break;
        case 'relu':
          h = tf.relu(h);
          break;
        case 'pool':
          h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
          break;
        case 'flatten':
          h = tf.reshape(h, [n, -1]);
          break;
      }
    }
    return h as tf.Tensor2D;
  }

  /** The last Dense layer, [W, b], on features [n, d]. */
  head(head: readonly tf.Tensor[], feats: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(feats, head[0] as tf.Tensor2D), head[1] as tf.Tensor) as tf.Tensor2D;
  }
}

/** Batch norm over the whole batch (every image and position), as models/conv4.ts computes it. */
function batchNorm(h: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor4D {
  const shape = h.shape;
  const flat = tf.reshape(h, [1, -1, shape[3]]);
  const mean = tf.mean(flat, 1, true);
  const centered = tf.sub(flat, mean);
  const variance = tf.mean(tf.mul(centered, centered), 1, true);
  const normed = tf.mul(centered, tf.rsqrt(tf.add(variance, eps)));
  return tf.reshape(tf.add(tf.mul(normed, gamma), beta), shape);
}

/** The network of a loaded Layers model and copies of its trainable weights, in order. */
export function networkOf(model: tf.LayersModel): { net: Network; weights: tf.Tensor[] } {
  const ops: Op[] = [];
  const layers: tf.layers.Layer[] = [];
  for (const layer of model.layers) {
    const op = opOf(layer);
    if (!op) continue;
    ops.push(op);
    layers.push(layer);
  }
  const shape = model.inputs[0]?.shape.slice(1) ?? [];
  if (!shape.every((s): s is number => typeof s === 'number') || ![1, 3].includes(shape.length))
    throw new Error(`model.json: input shape [${shape.join(', ')}] is not [d] or [H, W, C]`);
  const weights = layers.flatMap((l, i) => {
    const ws = l.trainableWeights;
    if (ws.length !== WEIGHTS_OF[(ops[i] as Op).kind])
      throw new Error(`model.json: layer ${l.name} has ${ws.length} trainable weights`);
    return ws.map((v) => tf.clone(v.read()));
  });
  return { net: new Network(ops, shape), weights };
}

/**
 * Meta-SGD's rates from their file (raw float32 little-endian), one tensor
 * per weight tensor in the same shapes.
 */
export function splitRates(bytes: Uint8Array, weights: readonly tf.Tensor[]): tf.Tensor[] {
  const total = weights.reduce((s, w) => s + w.size, 0);
  if (bytes.byteLength !== 4 * total)
    throw new Error(
      `the learned rates file has ${bytes.byteLength} bytes; this model's ${total} weights need ${4 * total}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  return weights.map((w) => {
    const a = new Float32Array(w.size);
    for (let i = 0; i < a.length; i++) a[i] = view.getFloat32(4 * o++, true);
    return tf.tensor(a, w.shape);
  });
}
