/**
 * One new task, adapted by the engine itself: the reference the CLI's `adapt`
 * and `monitor` print and the embeddable adapter (src/adapter) is checked
 * against. Plain gradient descent on the support loss at the inner learning
 * rate — every weight ('finetune'; Meta-SGD with its learned rates), the last
 * layer on the body's features ('head', ANIL), or the encoder against its own
 * support prototypes ('protonet') — then the query outputs: standardized
 * predictions (regression), logits (classification; ProtoNet: −‖f(x) − c_k‖²).
 *
 * Inputs are already encoded (core/export/encode-rows.ts). Ownership: every
 * tensor is made and freed here; results are plain arrays.
 */
import * as tf from '@tensorflow/tfjs';
import { innerStep } from '../algorithms/inner-loop';
import { lossPerTask, type LossKind } from '../algorithms/batch';
import { protoQueryLogits } from '../algorithms/protonet';
import { forward } from '../models/mlp';
import { weightsAndRates } from '../train/adaptation-trace';
import type { MlpSpec } from '../spec/model';
import type { CardAdaptStyle } from './card-types';

export interface NewTask {
  /** [n × inputDim] encoded support inputs */
  supportX: Float32Array;
  /** [n × outputDim] standardized targets or one-hot labels */
  supportY: Float32Array;
  outputDim: number;
  /** [m × inputDim] encoded queries */
  queryX: Float32Array;
}

export interface NewTaskModel {
  spec: MlpSpec;
  arrays: Float32Array[];
  style: CardAdaptStyle;
  lossKind: LossKind;
}

/** Query outputs [m × outputs] after `steps` steps at rate `lr` (row-major). */
export async function adaptNewTask(
  model: NewTaskModel,
  task: NewTask,
  steps: number,
  lr: number,
): Promise<{ outputs: Float32Array; width: number }> {
  const d = model.spec.inputDim;
  const n = task.supportX.length / d;
  const m = task.queryX.length / d;
  const res = tf.tidy(() => {
    const sx = tf.tensor3d(task.supportX, [1, n, d]);
    const sy = tf.tensor3d(task.supportY, [1, n, task.outputDim]);
    const qx = tf.tensor3d(task.queryX, [1, m, d]);
    const { weights, rateAt } = weightsAndRates(model, lr);
    if (model.style === 'protonet') {
      let p = weights;
      const loss = (q: tf.Tensor[]) => lossPerTask('ce', protoQueryLogits(q, sx, sy, sx), sy);
      for (let s = 0; s < steps; s++) p = innerStep(p, loss, rateAt(s));
      return protoQueryLogits(p, sx, sy, qx);
    }
    if (model.style === 'head') {
      const body = weights.slice(0, -2);
      const feats = (x: tf.Tensor3D) =>
        forward([...body, ...weights.slice(-2)], x, { embedOnly: true });
      const fs = feats(sx);
      const fq = feats(qx);
      let head = weights.slice(-2);
      const headRate = (s: number) => {
        const r = rateAt(s);
        return typeof r === 'number' ? r : r.slice(-2);
      };
      const loss = (h: tf.Tensor[]) => lossPerTask(model.lossKind, forward(h, fs), sy);
      for (let s = 0; s < steps; s++) head = innerStep(head, loss, headRate(s));
      return forward(head, fq);
    }
    let p = weights;
    const loss = (q: tf.Tensor[]) => lossPerTask(model.lossKind, forward(q, sx), sy);
    for (let s = 0; s < steps; s++) p = innerStep(p, loss, rateAt(s));
    return forward(p, qx);
  });
  const width = res.shape[2];
  // asynchronous readback: on a GPU backend dataSync would stall the pipeline
  const outputs = (await res.data()) as Float32Array;
  res.dispose();
  return { outputs, width };
}
