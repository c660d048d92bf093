/**
 * Adam as a FlatOptimizer (flat-optimizer.ts), under the name the engine
 * used before the other meta-optimizers existed.
 */
import type * as tf from '@tensorflow/tfjs';
import { FlatOptimizer } from './flat-optimizer';

export type { OptimizerState } from './flat-optimizer';

export class FlatAdam extends FlatOptimizer {
  constructor(params: readonly tf.Variable[], learningRate: number, beta1 = 0.9, beta2 = 0.999) {
    super(params, { kind: 'adam', learningRate, beta1, beta2 });
  }
}
