/**
 * Prototypical Networks (Snell, Swersky & Zemel 2017): an MLP encoder f; each
 * class prototype is the mean embedding of its support examples, and a query
 * is classified by softmax over negative squared Euclidean distances to the
 * prototypes. Trained with Adam on the query cross-entropy.
 *
 * Batched form: supportY is one-hot [B, NK, N], so prototypes are
 * (Yᵀ · E) / K with one batched matMul, and ‖q − c‖² = ‖q‖² − 2 q·c + ‖c‖²
 * is another. The encoder's output layer is linear (the embedding).
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchTensors } from './batch';
import { sliceTask } from './batch';
import type { LearnerInit } from './learner';
import { Learner } from './learner';
import { modelForward, type ModelSpec } from '../models/model';
import type { HiddenTransform } from '../models/mlp';
import { crossEntropyPerTask } from '../ops';

/** Prototypes [B, N, d] from support embeddings [B, NK, d] and one-hot labels [B, NK, N]. */
export function prototypes(embS: tf.Tensor3D, sy: tf.Tensor3D): tf.Tensor3D {
  const counts = tf.sum(sy, 1); // [B, N]
  const sums = tf.matMul(sy, embS, true, false); // [B, N, d]
  return tf.div(sums, tf.expandDims(counts, -1)) as tf.Tensor3D;
}

/** Logits = −‖q − c‖², [B, NQ, N]. */
export function protoLogits(embQ: tf.Tensor3D, protos: tf.Tensor3D): tf.Tensor3D {
  const qq = tf.sum(tf.mul(embQ, embQ), -1, true); // [B, NQ, 1]
  const cc = tf.expandDims(tf.sum(tf.mul(protos, protos), -1), 1); // [B, 1, N]
  const qc = tf.matMul(embQ, protos, false, true); // [B, NQ, N]
  return tf.neg(tf.add(tf.sub(qq, tf.mul(2, qc)), cc)) as tf.Tensor3D;
}

/**
 * Query logits of the prototype classifier for encoder params (shared or
 * task-batched for an MLP; shared for a conv net). Without a spec: an MLP.
 */
export function protoQueryLogits(
  params: readonly tf.Tensor[],
  sx: tf.Tensor3D,
  sy: tf.Tensor3D,
  qx: tf.Tensor3D,
  spec: ModelSpec = { inputDim: 0, hidden: [], outputDim: 0 },
  hidden?: HiddenTransform,
): tf.Tensor3D {
  const f = (x: tf.Tensor3D) => modelForward(spec, params, x, { hidden });
  return protoLogits(f(qx), prototypes(f(sx), sy));
}

export function protoLossPerTask(
  params: readonly tf.Tensor[],
  t: BatchTensors,
  spec?: ModelSpec,
  hidden?: HiddenTransform,
): tf.Tensor1D {
  return crossEntropyPerTask(protoQueryLogits(params, t.sx, t.sy, t.qx, spec, hidden), t.qy);
}

export class ProtoNetLearner extends Learner {
  readonly algorithm = 'protonet' as const;
  readonly adaptStyle = 'protonet' as const;

  constructor(init: LearnerInit) {
    super(init, 'meta');
  }

  private objective(t: BatchTensors): tf.Scalar {
    if (this.layout === 'loop') {
      const B = t.sx.shape[0];
      let sum: tf.Tensor = tf.scalar(0);
      for (let b = 0; b < B; b++)
        sum = tf.add(
          sum,
          tf.sum(protoLossPerTask(this.params, sliceTask(t, b), this.spec, this.dropout)),
        );
      return tf.div(sum, B) as tf.Scalar;
    }
    return tf.mean(protoLossPerTask(this.params, t, this.spec, this.dropout)) as tf.Scalar;
  }

  protected stepTensors(t: BatchTensors): tf.Scalar {
    const { value, grads } = tf.variableGrads(() => this.objective(t), this.params);
    this.applyGrads(this.params.map((p) => grads[p.name] as tf.Tensor));
    return value;
  }
}
