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
 * Not exported: Conv-4 (its batch norm uses each task's own batch statistics,
 * which a Keras BatchNormalization layer at inference does not) and Meta-SGD's
 * learned rates (they are not weights of the network; see the card).
 *
 * Ownership: every tensor made here is disposed here. No DOM: runs in Node and
 * in the worker.
 */
import * as tf from '@tensorflow/tfjs';
import { isConv, layerSizes, paramShapes, weightsSpec, type ModelSpec } from '../spec/model';

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

/** Why a model cannot be exported as a Layers model, or null when it can. */
export function tfjsUnsupportedReason(spec: ModelSpec): string | null {
  if (isConv(spec))
    return 'the Conv-4 network normalizes with each task’s own batch statistics, which a Keras BatchNormalization layer does not; only MLPs export to TensorFlow.js for now';
  return null;
}

/** Layer names fixed here so two exports of the same model are byte-identical. */
export const denseName = (i: number) => `dense_${i + 1}`;

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
  if (isConv(net)) throw new Error(reason ?? 'conv');
  const sizes = layerSizes(net);
  const shapes = paramShapes(net);
  const model = tf.sequential({ name: 'meta_learned_mlp' });
  for (let l = 0; l + 1 < sizes.length; l++) {
    model.add(
      tf.layers.dense({
        units: sizes[l + 1] as number,
        activation: l + 2 < sizes.length ? 'relu' : 'linear',
        name: denseName(l),
        ...(l === 0 ? { inputShape: [sizes[0] as number] } : {}),
      }),
    );
  }
  const tensors = shapes.map((s, i) => {
    const a = arrays[i];
    if (!a) throw new Error(`missing weights for parameter ${i}`);
    return tf.tensor(a, s);
  });
  try {
    model.setWeights(tensors);
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
