/**
 * The method registry: which network each method trains on a given source,
 * and the factory that builds its Learner. Everything else talks to methods
 * only through the Learner interface.
 */
import type { TaskSource } from '../data/types';
import { DataError } from '../data/types';
import { isConv, type ModelSpec } from '../models/model';
import {
  CONV_MAML_MESSAGE,
  CONV_METASGD_MESSAGE,
  backboneOf,
  filtersOf,
  usesPerStepRates,
  type AlgorithmName,
  type TrainConfig,
} from '../spec/config';
import type { LossKind } from './batch';
import type { Layout, Learner } from './learner';
import { MamlLearner } from './maml';
import { ReptileLearner } from './reptile';
import { ProtoNetLearner } from './protonet';
import { PretrainLearner } from './baselines';
import { AnilLearner } from './anil';
import { MetaSgdLearner } from './meta-sgd';
import { ConvFoMamlLearner, ConvReptileLearner } from './conv-finetune';
import { FusedWasmMamlLearner, fusedWasmUnsupported } from './fused-wasm-maml';

export type { Learner, Layout, AdaptStyle, OptimizerState } from './learner';

export function lossKindOf(source: Pick<TaskSource, 'kind'>): LossKind {
  return source.kind === 'regression' ? 'mse' : 'ce';
}

/** The network an algorithm trains on this source. */
export function specFor(
  algorithm: AlgorithmName,
  source: Pick<TaskSource, 'kind' | 'inputDim' | 'classCount' | 'imageShape'>,
  config: Pick<TrainConfig, 'hidden' | 'ways' | 'backbone' | 'filters'> &
    Partial<Pick<TrainConfig, 'perStepRates' | 'innerSteps'>>,
): ModelSpec {
  const out = source.kind === 'regression' ? 1 : config.ways;
  if (backboneOf(config) === 'conv4') {
    if (algorithm === 'metasgd') throw new DataError(CONV_METASGD_MESSAGE);
    if (!source.imageShape)
      throw new DataError(
        'The conv net needs image tasks; this dataset has feature rows: pick the MLP.',
      );
    const outputDim =
      algorithm === 'protonet'
        ? 0
        : algorithm === 'pretrain' && source.kind === 'classification'
          ? Math.max(1, source.classCount('train'))
          : out;
    return { kind: 'conv4', imageShape: source.imageShape, filters: filtersOf(config), outputDim };
  }
  if (algorithm === 'protonet') {
    // The encoder's last "hidden" size is the embedding width; its output layer is linear.
    const hidden = config.hidden.slice(0, -1);
    return {
      inputDim: source.inputDim,
      hidden,
      outputDim: config.hidden[config.hidden.length - 1] as number,
    };
  }
  if (algorithm === 'pretrain' && source.kind === 'classification') {
    return {
      inputDim: source.inputDim,
      hidden: config.hidden,
      outputDim: Math.max(1, source.classCount('train')),
    };
  }
  const mlp = { inputDim: source.inputDim, hidden: config.hidden, outputDim: out };
  if (algorithm === 'metasgd') return { ...mlp, learnedLr: true };
  // MAML++ per-step rates: one row of per-layer rates per training inner step
  if (usesPerStepRates({ algorithm, perStepRates: config.perStepRates }))
    return { ...mlp, stepRates: config.innerSteps ?? 1 };
  return mlp;
}

export function createLearner(
  algorithm: AlgorithmName,
  args: {
    config: TrainConfig;
    spec: ModelSpec;
    lossKind: LossKind;
    layout?: Layout;
    initial: Float32Array[];
    /**
     * 'wasm-fused': MAML and first-order MAML on the MLP take their
     * meta-gradient from our WASM SIMD kernels (fused-wasm-maml.ts); anything
     * they do not cover gets the tfjs learner, and onFallback hears why.
     */
    engine?: 'tfjs' | 'wasm-fused';
    onFallback?: (reason: string) => void;
    /**
     * 'wasm-fused' only: 2 shares each meta-batch between this thread and a
     * helper thread (kernels/wasm/threads.ts; in Node useNodeBackend — or
     * useNodeHelperThreads — registers worker_threads first). Where that
     * cannot run, steps run on one thread and onFallback hears why (maybe
     * after the first steps, when the helper fails to start).
     */
    threads?: 1 | 2;
    /** why `threads: 2` runs on one thread after all; onFallback when not given */
    onThreadsFallback?: (reason: string) => void;
  },
): Learner {
  const init = { ...args, layout: args.layout ?? 'batched' };
  const conv = isConv(args.spec);
  if (args.engine === 'wasm-fused') {
    const why = fusedWasmUnsupported(algorithm, args.config, args.spec);
    if (why === null)
      return new FusedWasmMamlLearner(init, {
        firstOrder: algorithm === 'fomaml',
        threads: args.threads ?? 1,
        ...((args.onThreadsFallback ?? args.onFallback)
          ? { onThreadsFallback: args.onThreadsFallback ?? args.onFallback }
          : {}),
      });
    args.onFallback?.(why);
  }
  switch (algorithm) {
    case 'maml':
      if (conv) throw new DataError(CONV_MAML_MESSAGE);
      return new MamlLearner(init, { firstOrder: false });
    case 'fomaml':
      return conv ? new ConvFoMamlLearner(init) : new MamlLearner(init, { firstOrder: true });
    case 'reptile':
      return conv ? new ConvReptileLearner(init) : new ReptileLearner(init);
    case 'anil':
      return new AnilLearner(init);
    case 'metasgd':
      if (conv) throw new DataError(CONV_METASGD_MESSAGE);
      return new MetaSgdLearner(init);
    case 'protonet':
      if (args.lossKind !== 'ce')
        throw new Error('Prototypical Networks classify: pick a classification dataset.');
      return new ProtoNetLearner(init);
    case 'pretrain':
      return new PretrainLearner(init);
    case 'scratch':
      throw new Error('training from scratch has nothing to meta-train');
  }
}
