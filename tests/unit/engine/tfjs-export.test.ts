/**
 * The TensorFlow.js Layers export: tf.loadLayersModel reads the files back
 * and its predictions equal the engine's forward pass, for a regression MLP
 * and a classification MLP (logits), to 1e-6, and for Conv-4 (run in
 * training mode, so batch norm uses the batch's statistics as the engine's
 * does) to 1e-5.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { forward } from '../../../src/core/models/mlp';
import { initParamArrays } from '../../../src/core/models/model';
import { Rng } from '../../../src/core/rng';
import { convForward, convInitArrays } from '../../../src/core/models/conv4';
import { paramShapes, type ConvSpec, type MlpSpec } from '../../../src/core/spec/model';
import {
  exportTfjsLayers,
  memoryHandler,
  tfjsUnsupportedReason,
} from '../../../src/core/export/tfjs-layers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function engineForward(spec: MlpSpec, arrays: Float32Array[], x: number[][]): Float32Array {
  const shapes = paramShapes(spec);
  return tf.tidy(() => {
    const params = arrays.map((a, i) => tf.tensor(a, shapes[i]));
    const n = x.length;
    return forward(params, tf.tensor3d([x], [1, n, spec.inputDim])).dataSync() as Float32Array;
  });
}

describe.each<[string, MlpSpec]>([
  ['regression 1-40-40-1', { inputDim: 1, hidden: [40, 40], outputDim: 1 }],
  ['classification 3-16-5', { inputDim: 3, hidden: [16], outputDim: 5 }],
])('tfjs Layers export (%s)', (_, spec) => {
  it('loads with tf.loadLayersModel and predicts like the engine to 1e-6', async () => {
    const arrays = initParamArrays(spec, new Rng(7));
    // non-zero biases, so a bias dropped or misplaced shows
    arrays.forEach((a, i) => {
      if (i % 2 === 1) for (let j = 0; j < a.length; j++) a[j] = 0.1 * (j + 1);
    });
    const files = await exportTfjsLayers(spec, arrays);
    expect(files.modelJson.format).toBe('layers-model');
    expect(files.modelJson.weightsManifest[0]?.paths).toEqual(['./model.weights.bin']);
    const values = arrays.reduce((s, a) => s + a.length, 0);
    expect(files.weights.byteLength).toBe(4 * values);

    const model = await tf.loadLayersModel(memoryHandler(files));
    const rng = new Rng(3);
    const x = Array.from({ length: 9 }, () =>
      Array.from({ length: spec.inputDim }, () => rng.uniform(-5, 5)),
    );
    const got = tf.tidy(() => (model.predict(tf.tensor2d(x)) as tf.Tensor).dataSync());
    const want = engineForward(spec, arrays, x);
    expect(got.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++)
      worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)));
    expect(worst).toBeLessThan(1e-6);
    model.dispose();
  });
});

it('exports the same bytes twice (layer names are fixed)', async () => {
  const spec: MlpSpec = { inputDim: 2, hidden: [4], outputDim: 1 };
  const arrays = initParamArrays(spec, new Rng(1));
  const a = await exportTfjsLayers(spec, arrays);
  const b = await exportTfjsLayers(spec, arrays);
  expect(JSON.stringify(a.modelJson)).toBe(JSON.stringify(b.modelJson));
});

describe.each<[string, ConvSpec]>([
  [
    '5-way head',
    { kind: 'conv4', imageShape: { height: 28, width: 28, channels: 1 }, filters: 8, outputDim: 5 },
  ],
  [
    'embedding only, RGB 20 × 24',
    { kind: 'conv4', imageShape: { height: 20, width: 24, channels: 3 }, filters: 4, outputDim: 0 },
  ],
])('tfjs Layers export of Conv-4 (%s)', (_, spec) => {
  it('loads with tf.loadLayersModel and, in training mode, predicts like the engine to 1e-5', async () => {
    const arrays = convInitArrays(spec, new Rng(9));
    // γ and β away from 1 and 0, and a head bias, so a swapped or dropped one shows
    arrays.forEach((a, i) => {
      if (a.length === spec.filters || i === 13)
        for (let j = 0; j < a.length; j++) a[j] = (i % 3 === 1 ? 1 : 0) + 0.05 * (j + 1) - 0.1;
    });
    const files = await exportTfjsLayers(spec, arrays);
    const model = await tf.loadLayersModel(memoryHandler(files));
    const { height, width, channels } = spec.imageShape;
    const d = height * width * channels;
    const rng = new Rng(4);
    const n = 6;
    const x = Float32Array.from({ length: n * d }, () => rng.uniform(0, 1));
    const shapes = paramShapes(spec);
    const [got, want, infer] = tf.tidy(() => {
      const img = tf.tensor4d(x, [n, height, width, channels]);
      const train = model.apply(img, { training: true }) as tf.Tensor;
      const pred = model.predict(img) as tf.Tensor;
      const params = arrays.map((a, i) => tf.tensor(a, shapes[i]));
      const eng = convForward(spec, params, tf.tensor3d(x, [1, n, d]));
      return [train.dataSync(), eng.dataSync(), pred.dataSync()];
    });
    expect(got.length).toBe(want.length);
    let worst = 0;
    let inferWorst = 0;
    for (let i = 0; i < got.length; i++) {
      worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)));
      inferWorst = Math.max(inferWorst, Math.abs((infer[i] as number) - (want[i] as number)));
    }
    expect(worst).toBeLessThan(1e-5);
    // inference mode uses the placeholder moving statistics: not the engine's numbers
    expect(inferWorst).toBeGreaterThan(1e-3);
    const bn = model.getLayer('batch_norm_1').getConfig();
    expect(bn.epsilon).toBe(1e-5);
    model.dispose();
  });
});

it('refuses a Conv-4 on images too small for four pools', () => {
  expect(
    tfjsUnsupportedReason({
      kind: 'conv4',
      imageShape: { height: 12, width: 28, channels: 1 },
      filters: 32,
      outputDim: 5,
    }),
  ).toMatch(/at least 16 × 16/);
});
