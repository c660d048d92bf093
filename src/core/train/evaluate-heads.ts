/**
 * The adaptation traces evaluate.ts delegates: head-only fine-tuning ('head',
 * ANIL; 'proto-head', pre-trained and untrained conv nets) for any backbone,
 * and the conv net's 'protonet' and full 'finetune' styles.
 *
 * 'proto-head' starts from the nearest-prototype classifier written as a
 * linear head on the body's features — W = 2cᵀ, b = −‖c‖², whose logits
 * differ from −‖q − c‖² by −‖q‖², the same for every class — so step 0 is
 * the prototype classifier and later steps fine-tune it (Chen et al. 2019's
 * Baseline++ idea with the prototype as the starting point).
 *
 * The conv net cannot carry a task axis (see conv4.ts): 'finetune' adapts
 * each task in turn and scores the query only at `scoreSteps` (a query
 * forward costs as much as several support steps); unscored steps are NaN.
 * 'protonet' on a conv net is not fine-tuned: its adaptation is the
 * prototypes, so every step reports step 0.
 *
 * With `keepLogits` a trace also returns the query outputs after the last
 * step, [B, Q, N] (the image adaptation view shows each query's predicted
 * class and probability from them; evaluations leave it off).
 *
 * Ownership: all tensors are created under the caller's tf.tidy, except the
 * per-task loop, which tidies each task and keeps only its [S+1] rows (and
 * its last query outputs when asked).
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchTensors, LossKind } from '../algorithms/batch';
import { lossPerTask, sliceTask } from '../algorithms/batch';
import { innerStep } from '../algorithms/inner-loop';
import { protoLogits, protoQueryLogits, prototypes } from '../algorithms/protonet';
import { adaptOneTask } from '../algorithms/conv-finetune';
import { linearHead } from '../models/conv4';
import { tileParams } from '../models/mlp';
import { headStart, modelForward, paramShapes, type ModelSpec } from '../models/model';
import { accuracyPerTask, msePerTask } from '../ops';

export interface TraceModel {
  spec: ModelSpec;
  arrays: Float32Array[];
  adaptStyle: 'finetune' | 'protonet' | 'head' | 'proto-head';
}

/** A type alias, not an interface, so tf.tidy accepts it as a TensorContainer. */
export type Trace = {
  metric: tf.Tensor2D;
  loss: tf.Tensor2D;
  /** query outputs after the last step, [B, Q, N]; only when asked for */
  logits?: tf.Tensor3D;
};

const metricOf = (kind: LossKind, out: tf.Tensor3D, y: tf.Tensor3D) =>
  kind === 'mse' ? msePerTask(out, y) : accuracyPerTask(out, y);

function tensorsOf(model: TraceModel): tf.Tensor[] {
  const shapes = paramShapes(model.spec);
  return model.arrays.map((a, i) => tf.tensor(a, shapes[i]));
}

/** 'head' and 'proto-head': the body embeds once, the B heads adapt as one batched computation. */
export function headTrace(
  model: TraceModel,
  t: BatchTensors,
  kind: LossKind,
  S: number,
  lr: number,
  keepLogits = false,
): Trace {
  const params = tensorsOf(model);
  const B = t.sx.shape[0];
  const fs = modelForward(model.spec, params, t.sx, { embedOnly: true });
  const fq = modelForward(model.spec, params, t.qx, { embedOnly: true });
  let head: tf.Tensor[];
  if (model.adaptStyle === 'proto-head') {
    const c = prototypes(fs, t.sy); // [B, N, d]
    head = [tf.mul(2, tf.transpose(c, [0, 2, 1])), tf.neg(tf.sum(tf.mul(c, c), -1))];
  } else {
    head = tileParams(params.slice(headStart(model.spec)), B);
  }
  const out = (h: tf.Tensor[], f: tf.Tensor3D) => linearHead(f, h[0]!, h[1]!);
  const metric: tf.Tensor1D[] = [];
  const loss: tf.Tensor1D[] = [];
  let last: tf.Tensor3D | undefined;
  for (let s = 0; s <= S; s++) {
    const q = out(head, fq);
    loss.push(lossPerTask(kind, q, t.qy));
    metric.push(metricOf(kind, q, t.qy));
    if (s === S) last = q;
    if (s < S) head = innerStep(head, (h) => lossPerTask(kind, out(h, fs), t.sy), lr);
  }
  return {
    metric: tf.stack(metric) as tf.Tensor2D,
    loss: tf.stack(loss) as tf.Tensor2D,
    ...(keepLogits && last ? { logits: last } : {}),
  };
}

/** Conv net, 'protonet' or 'finetune' (see the file comment). */
export function convTrace(
  model: TraceModel,
  t: BatchTensors,
  kind: LossKind,
  S: number,
  lr: number,
  scoreSteps?: readonly number[],
  keepLogits = false,
): Trace {
  const params = tensorsOf(model);
  if (model.adaptStyle === 'protonet') {
    const q = protoQueryLogits(params, t.sx, t.sy, t.qx, model.spec);
    const l = lossPerTask(kind, q, t.qy);
    const m = metricOf(kind, q, t.qy);
    return {
      metric: tf.stack(Array.from({ length: S + 1 }, () => m)) as tf.Tensor2D,
      loss: tf.stack(Array.from({ length: S + 1 }, () => l)) as tf.Tensor2D,
      ...(keepLogits ? { logits: q } : {}),
    };
  }
  const scored = new Set(scoreSteps ?? Array.from({ length: S + 1 }, (_, s) => s));
  if (keepLogits) scored.add(S);
  const B = t.sx.shape[0];
  const rows: tf.Tensor2D[] = [];
  const lastOut: tf.Tensor3D[] = [];
  for (let b = 0; b < B; b++) {
    const kept = tf.tidy(() => {
      const task = sliceTask(t, b);
      let fast = params;
      const cols: tf.Tensor1D[] = [];
      let last: tf.Tensor3D | null = null;
      for (let s = 0; s <= S; s++) {
        if (scored.has(s)) {
          const q = modelForward(model.spec, fast, task.qx);
          cols.push(tf.concat([metricOf(kind, q, task.qy), lossPerTask(kind, q, task.qy)]));
          if (s === S) last = q;
        } else {
          cols.push(tf.fill([2], NaN) as tf.Tensor1D);
        }
        if (s < S) fast = adaptOneTask(model.spec, fast, task.sx, task.sy, kind, 1, lr);
      }
      const row = tf.stack(cols) as tf.Tensor2D; // [S+1, 2]
      return keepLogits && last ? [row, last] : [row];
    });
    rows.push(kept[0] as tf.Tensor2D);
    if (kept[1]) lastOut.push(kept[1] as tf.Tensor3D);
  }
  const all = tf.stack(rows, 2); // [S+1, 2, B]
  const [metric, loss] = tf.unstack(all, 1);
  return {
    metric: metric as tf.Tensor2D,
    loss: loss as tf.Tensor2D,
    ...(keepLogits ? { logits: tf.concat(lastOut, 0) as tf.Tensor3D } : {}),
  };
}

/** Prototype logits of the conv net's features (used by tests to check 'proto-head' at step 0). */
export function protoLogitsOf(spec: ModelSpec, params: tf.Tensor[], t: BatchTensors): tf.Tensor3D {
  const f = (x: tf.Tensor3D) => modelForward(spec, params, x, { embedOnly: true });
  return protoLogits(f(t.qx), prototypes(f(t.sx), t.sy));
}
