/**
 * "Draw to adapt" in the worker: the kept model (its best-on-validation
 * weights, as the adaptation panel and the CLI use) adapts to the person's
 * drawn support set and classifies the drawn query.
 *
 * - ProtoNet: a prototype per symbol (the mean embedding of its examples)
 *   and a softmax over −‖q − c‖²;
 * - MAML-family (first-order MAML, Reptile, Meta-SGD with its learned rates):
 *   the evaluation's inner loop, `evalInnerSteps` steps of gradient descent
 *   at the inner rate on the support cross-entropy, then the query's logits;
 * - ANIL: the same steps on the head only, over the body's features.
 *
 * Batch norm uses the statistics of the images in the forward pass (as in
 * training), so a lone query would be normalised by itself: the query is
 * therefore passed through the network together with the support images and
 * its row is read out. A model with a head has as many outputs as the N it
 * was trained on; fewer drawn symbols use the first outputs (labels are
 * one-hot over all of them, the softmax is over the drawn ones).
 *
 * Ownership: all tensors live in one tf.tidy; one readback of the probabilities.
 */
import * as tf from '@tensorflow/tfjs';
import { lossPerTask } from '../core/algorithms/batch';
import { innerStep } from '../core/algorithms/inner-loop';
import { protoLogits, prototypes } from '../core/algorithms/protonet';
import { DataError, type ImageShape } from '../core/data/types';
import { linearHead } from '../core/models/conv4';
import { headStart, modelForward } from '../core/models/model';
import { weightsAndRates } from '../core/train/adaptation-trace';
import type { TrainConfig } from '../core/spec/config';
import type { TrainedModel } from '../core/train/trainer';
import type { DrawAdaptation, DrawClassifyCommand, DrawPrediction } from './draw-types';

/** Symbols a ProtoNet accepts (a model with a head: as many as its outputs). */
export const MAX_DRAW_SYMBOLS = 10;
export const MAX_DRAW_EXAMPLES = 100;

type Ok = Extract<DrawPrediction, { ok: true }>;

/** The largest number of symbols the model can tell apart. */
export function drawSymbolLimit(model: Pick<TrainedModel, 'spec' | 'adaptStyle'>): number {
  return model.adaptStyle === 'protonet' ? MAX_DRAW_SYMBOLS : model.spec.outputDim;
}

function check(cmd: DrawClassifyCommand, shape: ImageShape, limit: number): void {
  if (shape.channels !== 1)
    throw new DataError('Drawings are grayscale: this model was trained on colour images.');
  const D = shape.height * shape.width;
  const N = cmd.symbols;
  const n = cmd.supportSymbol.length;
  if (!Number.isInteger(N) || N < 2)
    throw new DataError('Define at least two symbols to tell apart.');
  if (N > limit)
    throw new DataError(
      `This model tells apart at most ${limit} symbols (it was meta-trained ${limit}-way); ${N} were drawn.`,
    );
  if (n > MAX_DRAW_EXAMPLES)
    throw new DataError(`At most ${MAX_DRAW_EXAMPLES} examples can be drawn; there are ${n}.`);
  if (cmd.support.length !== n * D || cmd.query.length !== D)
    throw new DataError(
      `Drawings must be ${shape.height}×${shape.width} images, the size this model was trained on.`,
    );
  for (let k = 0; k < N; k++) {
    if (!cmd.supportSymbol.includes(k))
      throw new DataError(`Symbol ${k + 1} has no example yet: draw one and add it.`);
  }
  if (cmd.supportSymbol.some((k) => !Number.isInteger(k) || k < 0 || k >= N))
    throw new DataError('Every example must belong to one of the symbols.');
  for (const a of [cmd.support, cmd.query]) {
    for (const v of a) {
      if (!(v >= 0 && v <= 1)) throw new DataError('Drawing pixels must lie between 0 and 1.');
    }
  }
}

/** The logits of the query over the model's classes (or the N prototypes), [1, 1, C]. */
function queryLogits(
  model: TrainedModel,
  config: TrainConfig,
  sx: tf.Tensor3D,
  sy: tf.Tensor3D,
  qx: tf.Tensor3D,
): { logits: tf.Tensor3D; adaptation: DrawAdaptation } {
  const n = sx.shape[1];
  // support and query in one forward pass: batch norm sees the support set's statistics
  const all = tf.concat([sx, qx], 1);
  const lastRow = (t: tf.Tensor3D) => tf.slice(t, [0, n, 0], [1, 1, -1]);
  const supportRows = (t: tf.Tensor3D) => tf.slice(t, [0, 0, 0], [1, n, -1]);
  const { weights, rateAt } = weightsAndRates(model, config.innerLr);
  const steps = config.evalInnerSteps;
  const lr = config.innerLr;
  if (model.adaptStyle === 'protonet') {
    // the whole network is the encoder, as in training (an MLP's last layer is the embedding)
    const emb = modelForward(model.spec, weights, all);
    const logits = protoLogits(lastRow(emb), prototypes(supportRows(emb), sy));
    return { logits, adaptation: { kind: 'prototypes' } };
  }
  if (model.adaptStyle === 'head' || model.adaptStyle === 'proto-head') {
    const emb = modelForward(model.spec, weights, all, { embedOnly: true });
    const fs = supportRows(emb);
    let head = weights.slice(headStart(model.spec));
    const out = (h: tf.Tensor[], f: tf.Tensor3D) => linearHead(f, h[0]!, h[1]!);
    for (let s = 0; s < steps; s++)
      head = innerStep(head, (h) => lossPerTask('ce', out(h, fs), sy), lr);
    return { logits: out(head, lastRow(emb)), adaptation: { kind: 'head', steps, lr } };
  }
  let fast = weights;
  for (let s = 0; s < steps; s++)
    fast = innerStep(
      fast,
      (p) => lossPerTask('ce', modelForward(model.spec, p, sx), sy),
      rateAt(s),
    );
  const logits = lastRow(modelForward(model.spec, fast, all));
  return { logits, adaptation: { kind: 'finetune', steps, lr } };
}

/**
 * Adapts `model` (its best weights) to the drawn support set and classifies
 * the query. Bad input throws a DataError whose message is for the person.
 */
export async function classifyDrawing(
  model: TrainedModel,
  config: TrainConfig,
  shape: ImageShape,
  cmd: DrawClassifyCommand,
  now: () => number = () => performance.now(),
): Promise<Ok> {
  const limit = drawSymbolLimit(model);
  check(cmd, shape, limit);
  const t0 = now();
  const N = cmd.symbols;
  const n = cmd.supportSymbol.length;
  const D = shape.height * shape.width;
  // one-hot over the head's outputs (ProtoNet: over the N prototypes)
  const C = model.adaptStyle === 'protonet' ? N : limit;
  let adaptation: DrawAdaptation = { kind: 'prototypes' };
  const probs = tf.tidy(() => {
    const sx = tf.tensor3d(cmd.support, [1, n, D]);
    const sy = tf.oneHot(tf.tensor1d(cmd.supportSymbol, 'int32'), C).toFloat();
    const qx = tf.tensor3d(cmd.query, [1, 1, D]);
    const r = queryLogits(model, config, sx, tf.reshape(sy, [1, n, C]), qx);
    adaptation = r.adaptation;
    return tf.softmax(tf.reshape(tf.slice(r.logits, [0, 0, 0], [1, 1, N]), [N]));
  });
  const p = Array.from(await probs.data());
  probs.dispose();
  if (p.some((v) => !Number.isFinite(v)))
    throw new DataError('The model gave no finite answer for this drawing.');
  let predicted = 0;
  p.forEach((v, k) => {
    if (v > (p[predicted] as number)) predicted = k;
  });
  return {
    requestId: cmd.requestId,
    ok: true,
    probabilities: p,
    predicted,
    adaptation,
    algorithm: config.algorithm,
    ms: now() - t0,
  };
}

/** What answers a `draw-classify` command: a prediction, or why there is none. */
export async function answerDrawing(
  runs: {
    busy(): Promise<boolean>;
    readonly kept: {
      config: TrainConfig;
      model: TrainedModel;
      state: { best: { arrays: Float32Array[] } };
    } | null;
  },
  shape: ImageShape | undefined,
  cmd: DrawClassifyCommand,
): Promise<DrawPrediction> {
  const refuse = (message: string): DrawPrediction => ({
    requestId: cmd.requestId,
    ok: false,
    message,
  });
  if (await runs.busy()) return refuse('Stop the run before drawing: the model is still training.');
  const kept = runs.kept;
  if (!kept) return refuse('Train a model first (or open a session).');
  if (!shape) return refuse('Drawing needs a model trained on images, such as Omniglot.');
  try {
    return await classifyDrawing(
      { ...kept.model, arrays: kept.state.best.arrays },
      kept.config,
      shape,
      cmd,
    );
  } catch (e) {
    if (e instanceof DataError) return refuse(e.message);
    throw e;
  }
}
