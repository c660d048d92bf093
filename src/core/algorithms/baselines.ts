/**
 * The two baselines users compare meta-learning against.
 *
 * Joint pre-training: one network trained with Adam on all meta-train tasks
 * pooled (every support and query example of each meta-batch), no inner
 * loop. For regression it fits the average function of the family (the MAML
 * paper's "pretrained" baseline). For classification, labels are relabelled
 * per episode, so pooling them would teach nothing; it learns one head over
 * all meta-train classes instead, and at evaluation that head is replaced by
 * a zero N-way head that fine-tuning learns (the "Baseline" of Chen et al.
 * 2019, A Closer Look at Few-shot Classification).
 *
 * From scratch: a freshly initialized network, fine-tuned on the support set.
 * It has nothing to train; evaluation adapts its random init.
 */
import * as tf from '@tensorflow/tfjs';
import type { EpisodeBatch } from '../data/types';
import type { BatchTensors } from './batch';
import { lossPerTask, toTensors } from './batch';
import type { LearnerInit } from './learner';
import { Learner } from './learner';
import { headStart, isConv, modelForward, paramShapes, type ModelSpec } from '../models/model';
import { crossEntropyPerTask } from '../ops';

export class PretrainLearner extends Learner {
  readonly algorithm = 'pretrain' as const;
  /** conv nets: nearest prototype on the features, then the head fine-tuned (Chen et al.) */
  readonly adaptStyle: 'finetune' | 'proto-head';

  constructor(init: LearnerInit) {
    super(init, 'meta');
    this.adaptStyle = isConv(init.spec) ? 'proto-head' : 'finetune';
  }

  override step(batch: EpisodeBatch): tf.Scalar {
    return tf.tidy(() => {
      const t = toTensors(batch);
      if (this.lossKind === 'ce') return this.classStep(batch, t);
      return this.stepTensors(t);
    });
  }

  /** Regression: MSE over the pooled support and query points. */
  protected stepTensors(t: BatchTensors): tf.Scalar {
    const x = tf.concat([t.sx, t.qx], 1);
    const y = tf.concat([t.sy, t.qy], 1);
    const { value, grads } = tf.variableGrads(
      () =>
        tf.mean(
          lossPerTask('mse', modelForward(this.spec, this.params, x, { hidden: this.dropout }), y),
        ) as tf.Scalar,
      this.params,
    );
    this.applyGrads(this.params.map((p) => grads[p.name] as tf.Tensor));
    return value;
  }

  /** Classification: cross-entropy over the global meta-train classes. */
  private classStep(batch: EpisodeBatch, t: BatchTensors): tf.Scalar {
    if (!batch.supportClass || !batch.queryClass)
      throw new Error('pre-training needs the global class of each example');
    const C = this.spec.outputDim;
    const x = tf.concat([t.sx, t.qx], 1);
    const cls = tf.concat(
      [
        tf.tensor2d(batch.supportClass, [batch.tasks, batch.support], 'int32'),
        tf.tensor2d(batch.queryClass, [batch.tasks, batch.query], 'int32'),
      ],
      1,
    );
    const y = tf.oneHot(cls, C).toFloat() as tf.Tensor3D;
    const { value, grads } = tf.variableGrads(
      () =>
        tf.mean(
          crossEntropyPerTask(modelForward(this.spec, this.params, x, { hidden: this.dropout }), y),
        ) as tf.Scalar,
      this.params,
    );
    this.applyGrads(this.params.map((p) => grads[p.name] as tf.Tensor));
    return value;
  }
}

/**
 * Params for evaluating a pre-trained classifier on N-way episodes: the body
 * as trained, the output layer replaced by zeros (N outputs).
 */
export function withFreshHead(
  arrays: Float32Array[],
  spec: ModelSpec,
  ways: number,
): { spec: ModelSpec; arrays: Float32Array[] } {
  const headSpec: ModelSpec = { ...spec, outputDim: ways };
  const shapes = paramShapes(headSpec);
  const body = arrays.slice(0, headStart(spec));
  const w = shapes[shapes.length - 2] as number[];
  const b = shapes[shapes.length - 1] as number[];
  return {
    spec: headSpec,
    arrays: [
      ...body,
      new Float32Array((w[0] as number) * (w[1] as number)),
      new Float32Array(b[0] as number),
    ],
  };
}
