/**
 * The MLP as a TensorFlow.js Layers model: `model.json` (topology + weights
 * manifest) and one `model.weights.bin`, which `tf.loadLayersModel` reads in a
 * page or in Node, and from which Keras and TFLite follow with the standard
 * tensorflowjs converter.
 *
 * The topology is built by tfjs itself (tf.sequential of Dense layers, saved
 * through a custom save handler) rather than written by hand, so it is exactly
 * what this tfjs version reads back. Dense kernels are [in, out], the engine's
 * layout, so the weights go over unchanged: ReLU on hidden layers, a linear
 * output (logits for classification, standardized targets for regression).
 *
 * Conv-4 is Conv2D (3×3, 'same', no bias) → BatchNormalization → ReLU →
 * MaxPooling2D (2×2, 'valid') four times, Flatten and, with a head, Dense: the
 * engine's NHWC layout (kernels [3, 3, in, F], rows flattened HWC), so its
 * weights go over unchanged too. Its batch norm is the engine's transductive
 * kind — every forward pass normalized by its own batch statistics — which a
 * Keras BatchNormalization layer does only in training mode: call the model
 * with `model.apply(x, {training: true})` (Keras: `model(x, training=True)`);
 * `predict` would use the moving statistics, written as placeholders (0 and 1)
 * that the engine never had. The card says so (BATCH_NORM_NOTE_TFJS).
 *
 * Not in these files: Meta-SGD's learned rates (they are not weights of the
 * network; tfjs-bundle.ts writes them next to them).
 *
 * Ownership: every tensor made here is disposed here. No DOM: runs in Node and
 * in the worker.
 */
import * as tf from '@tensorflow/tfjs';
import {
  CONV_BLOCKS,
  PER_BLOCK,
  isConv,
  layerSizes,
  paramShapes,
  weightsSpec,
  type ConvSpec,
  type MlpSpec,
  type ModelSpec,
} from '../spec/model';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'model.weights.bin';

/** What tf.io's model.json holds (the fields we write). */
export interface LayersModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: tf.io.ModelJSON['modelTopology'];
  weightsManifest: tf.io.WeightsManifestConfig;
}

export interface TfjsLayersFiles {
  modelJson: LayersModelJson;
  /** the float32 weights, little-endian, in manifest order */
  weights: Uint8Array;
}

/** The engine's batch-norm epsilon (models/conv4.ts), written into the BatchNormalization layers. */
export const CONV_BN_EPSILON = 1e-5;

/** What the card says about the conv net's batch norm in the TensorFlow.js export. */
export const BATCH_NORM_NOTE_TFJS =
  'transductive: every forward pass is normalized by the statistics of its own batch (the support set while adapting, the images of one predict call when predicting), never running averages, as the engine does; run the Layers model in training mode, model.apply(x, {training: true}) (Keras: model(x, training=True)); its moving_mean / moving_variance are unused placeholders (0, 1)';

/** Why a model cannot be exported as a Layers model, or null when it can. */
export function tfjsUnsupportedReason(spec: ModelSpec): string | null {
  if (isConv(spec) && (spec.imageShape.height < 16 || spec.imageShape.width < 16))
    return `Conv-4 needs images of at least 16 × 16 pixels (four 2×2 pools), not ${spec.imageShape.height} × ${spec.imageShape.width}`;
  return null;
}

/** Layer names fixed here so two exports of the same model are byte-identical. */
export const denseName = (i: number) => `dense_${i + 1}`;

/** The MLP's Dense layers and their weights ([W, b] per layer). */
function mlpLayers(spec: MlpSpec, tensors: readonly tf.Tensor[]): LayerWeights[] {
  const sizes = layerSizes(spec);
  const out: LayerWeights[] = [];
  for (let l = 0; l + 1 < sizes.length; l++)
    out.push({
      layer: tf.layers.dense({
        units: sizes[l + 1] as number,
        activation: l + 2 < sizes.length ? 'relu' : 'linear',
        name: denseName(l),
        ...(l === 0 ? { inputShape: [sizes[0] as number] } : {}),
      }),
      weights: [tensors[2 * l] as tf.Tensor, tensors[2 * l + 1] as tf.Tensor],
    });
  return out;
}

/**
 * Conv-4's layers and their weights. Batch norm: [γ, β] and the moving
 * statistics as placeholders (see the file comment); `extra` collects those
 * for disposal.
 */
function convLayers(
  spec: ConvSpec,
  tensors: readonly tf.Tensor[],
  extra: tf.Tensor[],
): LayerWeights[] {
  const { height, width, channels } = spec.imageShape;
  const out: LayerWeights[] = [];
  for (let b = 0; b < CONV_BLOCKS; b++) {
    const i = b * PER_BLOCK;
    out.push({
      layer: tf.layers.conv2d({
        filters: spec.filters,
        kernelSize: 3,
        strides: 1,
        padding: 'same',
        useBias: false,
        dataFormat: 'channelsLast',
        name: `conv_${b + 1}`,
        ...(b === 0 ? { inputShape: [height, width, channels] } : {}),
      }),
      weights: [tensors[i] as tf.Tensor],
    });
    const zeros = tf.zeros([spec.filters]);
    const ones = tf.ones([spec.filters]);
    extra.push(zeros, ones);
    out.push({
      layer: tf.layers.batchNormalization({
        axis: -1,
        epsilon: CONV_BN_EPSILON,
        name: `batch_norm_${b + 1}`,
      }),
      weights: [tensors[i + 1] as tf.Tensor, tensors[i + 2] as tf.Tensor, zeros, ones],
    });
    out.push({ layer: tf.layers.reLU({ name: `relu_${b + 1}` }), weights: [] });
    out.push({
      layer: tf.layers.maxPooling2d({
        poolSize: 2,
        strides: 2,
        padding: 'valid',
        name: `max_pool_${b + 1}`,
      }),
      weights: [],
    });
  }
  out.push({ layer: tf.layers.flatten({ name: 'flatten' }), weights: [] });
  if (spec.outputDim > 0) {
    const h = CONV_BLOCKS * PER_BLOCK;
    out.push({
      layer: tf.layers.dense({ units: spec.outputDim, activation: 'linear', name: 'head' }),
      weights: [tensors[h] as tf.Tensor, tensors[h + 1] as tf.Tensor],
    });
  }
  return out;
}

interface LayerWeights {
  layer: tf.layers.Layer;
  /** in the layer's own weight order (Keras: trainable, then non-trainable) */
  weights: tf.Tensor[];
}

/**
 * Builds the files of a Layers model from the engine's weights (learned rates,
 * if any, are left out: `arrays` may hold them after the weights).
 */
export async function exportTfjsLayers(
  spec: ModelSpec,
  arrays: readonly Float32Array[],
): Promise<TfjsLayersFiles> {
  const reason = tfjsUnsupportedReason(spec);
  if (reason) throw new Error(reason);
  const net = weightsSpec(spec);
  const shapes = paramShapes(net);
  const tensors = shapes.map((s, i) => {
    const a = arrays[i];
    if (!a) throw new Error(`missing weights for parameter ${i}`);
    return tf.tensor(a, s);
  });
  const extra: tf.Tensor[] = [];
  const model = tf.sequential({ name: isConv(net) ? 'meta_learned_conv4' : 'meta_learned_mlp' });
  try {
    const layers = isConv(net) ? convLayers(net, tensors, extra) : mlpLayers(net, tensors);
    for (const l of layers) model.add(l.layer);
    // per layer: a model's own weight list puts every trainable weight before any moving statistic
    for (const l of layers) if (l.weights.length) l.layer.setWeights(l.weights);
    let saved: tf.io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const art = saved as tf.io.ModelArtifacts | null;
    if (!art?.weightSpecs || !art.weightData) throw new Error('tfjs saved no weights');
    const data = art.weightData;
    const buffer = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
    return {
      modelJson: {
        format: 'layers-model',
        generatedBy: `meta-learning-playground (TensorFlow.js ${tf.version_core})`,
        convertedBy: null,
        modelTopology: art.modelTopology as tf.io.ModelJSON['modelTopology'],
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: art.weightSpecs }],
      },
      weights: new Uint8Array(buffer),
    };
  } finally {
    tf.dispose(tensors);
    tf.dispose(extra);
    model.dispose();
  }
}

/**
 * An IO handler that serves the two files from memory, for
 * tf.loadLayersModel in tests and in the CLI (no HTTP, no file system).
 */
export function memoryHandler(files: TfjsLayersFiles): tf.io.IOHandler {
  const w = files.weights;
  const buffer = w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer;
  const manifest = files.modelJson.weightsManifest[0];
  if (!manifest) throw new Error('model.json has no weights manifest');
  return tf.io.fromMemory({
    modelTopology: files.modelJson.modelTopology,
    weightSpecs: manifest.weights,
    weightData: buffer,
  });
}
