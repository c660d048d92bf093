/**
 * The adaptation card (adaptation.json): everything needed to use an
 * exported model the way it was meta-trained to be used. A meta-learned
 * initialization is only half a model; the other half is its adaptation
 * procedure (step size or learned rates, number of steps, loss, what is
 * adapted) and the encoding of inputs and targets. The Python folder's
 * adapt.py and train.py read nothing else.
 *
 * Plain data in, plain JSON out: the caller (CLI, worker) maps its session
 * document to an ExportInput, so the engine does not depend on the session
 * format.
 */
import type { AlgorithmName, TrainConfig } from '../spec/config';
import { BUILTIN_DESCRIPTIONS, isBuiltinName } from '../spec/builtin';
import {
  hasLearnedLr,
  isConv,
  layerSizes,
  stepRatesOf,
  weightsSpec,
  type ConvSpec,
  type ImageShape,
  type ModelSpec,
} from '../spec/model';

export const CARD_FORMAT = 'meta-learning-playground/adaptation-card';
export const CARD_VERSION = 1;
export const WEIGHTS_FILE = 'model.safetensors';
export const RATES_FILE = 'inner_lr.safetensors';

export type FeatureEncoding =
  | { column: string; type: 'numeric'; mean: number; std: number }
  | { column: string; type: 'categorical'; categories: string[] };

/** What an export needs of a session, as plain data. */
export interface ExportInput {
  name: string;
  appVersion: string;
  config: TrainConfig;
  spec: ModelSpec;
  /** in the engine's order (weights, then Meta-SGD's rates) */
  arrays: Float32Array[];
  data: {
    source: 'builtin' | 'csv' | 'images';
    name: string;
    sha256: string;
    kind: 'regression' | 'classification';
    /** CSV column roles as trained (task, target, features, split, mode); null for built-ins */
    schema: Record<string, unknown> | null;
    /** CSV: the meta-train encoding; null for built-ins (their inputs are used as they are) */
    normalization: {
      features: FeatureEncoding[];
      target: { column: string; mean: number; std: number } | null;
      inputDim: number;
    } | null;
    /** classification: the distinct target values of the data, when known */
    labels: string[] | null;
    options?: Record<string, unknown>;
  };
  history: { stepsDone: number; bestStep: number };
  /** the session's recorded evaluation, as stored (null when never evaluated) */
  evaluation: {
    metric: 'mse' | 'accuracy';
    steps: number[];
    episodes: number;
    shots: number;
    innerLr: number;
    seed: number;
    models: Record<
      string,
      { mean: (number | null)[]; ci95: (number | null)[]; median: (number | null)[] }
    >;
  } | null;
}

export type AdaptationStyle = 'finetune' | 'head' | 'protonet' | 'proto-head';

export interface AdaptationCard {
  format: typeof CARD_FORMAT;
  version: typeof CARD_VERSION;
  name: string;
  exportedBy: string;
  algorithm: AlgorithmName;
  model:
    | {
        architecture: 'mlp';
        /** [input, hidden…, output] */
        layers: number[];
        activation: 'relu';
        weights: string;
        layout: string;
      }
    | {
        architecture: 'conv4';
        image: ImageShape;
        filters: number;
        /** head outputs; 0 = no head (the embedding is the output) */
        outputDim: number;
        weights: string;
        layout: string;
      };
  adaptation: {
    style: AdaptationStyle;
    description: string;
    /** α of plain SGD; Meta-SGD: the starting value its learned rates were meta-trained from */
    innerLr: number;
    /** Meta-SGD: one learned rate per weight, in a file named like the weights */
    learnedInnerLr: { file: string; min: number; max: number; mean: number } | null;
    /**
     * MAML++: the learned rate of adaptation step s (row) for weight tensor i
     * (column, the weights file's order); steps past the last row use the
     * last row. Replaces innerLr when present.
     */
    stepRates: number[][] | null;
    /** adaptation steps for a new task (the validation setting) */
    steps: number;
    /** inner steps per task during meta-training */
    innerStepsTraining: number;
    order: 'second' | 'first' | 'none';
    loss: 'mse' | 'cross-entropy';
  };
  task: {
    kind: 'regression' | 'classification';
    ways: number | null;
    shots: number;
    queries: number;
  };
  input: { features: FeatureEncoding[]; inputDim: number; image?: ImageShape & { rows: string } };
  target:
    | { column: string; mean: number; std: number }
    | { column: string; labels: string[] | null; labelOrder: string };
  data: {
    source: 'builtin' | 'csv' | 'images';
    name: string;
    sha256: string;
    family?: string;
    description?: string;
    options?: Record<string, unknown>;
    schema?: Record<string, unknown>;
  };
  training: {
    metaSteps: number;
    stepsDone: number;
    bestStep: number;
    metaBatch: number;
    metaLr: number;
    metaOptimizer: TrainConfig['metaOptimizer'];
    weightDecay: number;
    cosineSchedule: boolean;
    innerSteps: number;
    seed: number;
    hidden: number[];
  };
  evaluation: {
    protocol: string;
    metric: 'mse' | 'accuracy';
    steps: number[];
    episodes: number;
    shots: number;
    innerLr: number;
    seed: number;
    results: NonNullable<ExportInput['evaluation']>['models'];
  } | null;
}

const ORDER: Record<AlgorithmName, AdaptationCard['adaptation']['order']> = {
  maml: 'second',
  metasgd: 'second',
  anil: 'second',
  fomaml: 'first',
  reptile: 'first',
  protonet: 'none',
  pretrain: 'none',
  scratch: 'none',
};

const STYLE_WORDS: Record<AdaptationStyle, string> = {
  finetune:
    'Plain gradient descent on the mean support loss, all weights: θ ← θ − α ∇L_support(θ), repeated `steps` times (Meta-SGD: α is the learned per-weight rate, elementwise; MAML++: α of step s and weight tensor i is stepRates[s][i]).',
  head: 'ANIL: the body is fixed; gradient descent on the last linear layer only, on the support loss of the body’s features (the last hidden ReLU).',
  'proto-head':
    'A head set from the support prototypes of the body’s features (weights 2c_k, bias −‖c_k‖²), then gradient descent on that head.',
  protonet:
    'Prototypical Networks: logits are −‖f(x) − c_k‖² for the class means c_k of the support embeddings; with steps > 0 the encoder is first fine-tuned by gradient descent on the support set classified against its own prototypes.',
};

export function styleOf(a: AlgorithmName, conv: boolean): AdaptationStyle {
  if (a === 'protonet') return 'protonet';
  if (a === 'anil') return 'head';
  // untrained and pre-trained conv nets: a prototype head on the features, then fine-tuned
  return conv && (a === 'pretrain' || a === 'scratch') ? 'proto-head' : 'finetune';
}

function modelOf(spec: ModelSpec): AdaptationCard['model'] {
  if (isConv(spec))
    return {
      architecture: 'conv4',
      image: { ...spec.imageShape },
      filters: spec.filters,
      outputDim: spec.outputDim,
      weights: WEIGHTS_FILE,
      layout:
        'state_dict of torch.nn.Sequential of 4 × [Conv2d(3×3, padding 1, bias=False), BatchNorm2d(track_running_stats=False), ReLU, MaxPool2d(2)], Flatten, Linear (module 17, when outputDim > 0); conv weight OIHW; input NCHW; batch norm uses each forward pass’s own statistics',
    };
  return {
    architecture: 'mlp',
    layers: layerSizes(spec),
    activation: 'relu',
    weights: WEIGHTS_FILE,
    layout:
      'state_dict of torch.nn.Sequential(Linear, ReLU, …, Linear): module 2l is layer l, Linear.weight [out, in], float32 little-endian',
  };
}

/** The input encoding of a built-in family: its raw inputs, named x (or x1, x2, …). */
function builtinFeatures(inputDim: number): FeatureEncoding[] {
  return Array.from({ length: inputDim }, (_, i) => ({
    column: inputDim === 1 ? 'x' : `x${i + 1}`,
    type: 'numeric' as const,
    mean: 0,
    std: 1,
  }));
}

export function rateStats(arrays: readonly Float32Array[]): {
  min: number;
  max: number;
  mean: number;
} {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const a of arrays)
    for (const v of a) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      n++;
    }
  return { min, max, mean: n ? sum / n : 0 };
}

/** MAML++'s [steps, weight tensors] table (the last array) as rows, or null. */
export function stepRateTable(spec: ModelSpec, arrays: readonly Float32Array[]): number[][] | null {
  const S = stepRatesOf(spec);
  if (!S) return null;
  const table = arrays[arrays.length - 1] as Float32Array;
  const P = table.length / S;
  return Array.from({ length: S }, (_, s) => Array.from(table.subarray(s * P, (s + 1) * P)));
}

function imageInput(spec: ConvSpec): AdaptationCard['input'] {
  const { height, width, channels } = spec.imageShape;
  return {
    features: [],
    inputDim: height * width * channels,
    image: {
      ...spec.imageShape,
      rows: 'one image a row, flattened row-major as [height, width, channels], values in [0, 1] (ink 1 on blank 0 for line drawings); reshape to NCHW for PyTorch',
    },
  };
}

export function adaptationCard(e: ExportInput): AdaptationCard {
  const spec = weightsSpec(e.spec);
  const conv = isConv(spec);
  const style = styleOf(e.config.algorithm, conv);
  const c = e.config;
  const learned = hasLearnedLr(e.spec) ? e.arrays.slice(e.arrays.length / 2) : null;
  const builtin = e.data.source === 'builtin';
  const norm = e.data.normalization;
  const features = norm ? norm.features : conv ? [] : builtinFeatures(spec.inputDim);
  const regression = e.data.kind === 'regression';
  const targetColumn =
    norm?.target?.column ??
    (typeof e.data.schema?.target === 'string' ? e.data.schema.target : regression ? 'y' : 'label');
  const ev = e.evaluation;
  return {
    format: CARD_FORMAT,
    version: CARD_VERSION,
    name: e.name,
    exportedBy: `Meta-Learning Playground ${e.appVersion}`,
    algorithm: c.algorithm,
    model: modelOf(spec),
    adaptation: {
      style,
      description: STYLE_WORDS[style],
      innerLr: c.innerLr,
      learnedInnerLr: learned ? { file: RATES_FILE, ...rateStats(learned) } : null,
      stepRates: stepRateTable(e.spec, e.arrays),
      steps: c.evalInnerSteps,
      innerStepsTraining: c.innerSteps,
      order: ORDER[c.algorithm],
      loss: regression ? 'mse' : 'cross-entropy',
    },
    task: {
      kind: e.data.kind,
      ways: regression ? null : c.ways,
      shots: c.shots,
      queries: c.queries,
    },
    input: conv ? imageInput(spec) : { features, inputDim: spec.inputDim },
    target: regression
      ? {
          column: targetColumn,
          mean: norm?.target?.mean ?? 0,
          std: norm?.target?.std ?? 1,
        }
      : {
          column: targetColumn,
          labels: e.data.labels,
          labelOrder:
            'a new task’s support labels, sorted, are the outputs 0…N−1 (any order works: meta-training relabelled the classes at random in every episode)',
        },
    data: {
      source: e.data.source,
      name: e.data.name,
      sha256: e.data.sha256,
      ...(builtin && isBuiltinName(e.data.name)
        ? { family: e.data.name, description: BUILTIN_DESCRIPTIONS[e.data.name] }
        : {}),
      ...(e.data.options && Object.keys(e.data.options).length ? { options: e.data.options } : {}),
      ...(e.data.schema ? { schema: e.data.schema } : {}),
    },
    training: {
      metaSteps: c.metaSteps,
      stepsDone: e.history.stepsDone,
      bestStep: e.history.bestStep,
      metaBatch: c.metaBatch,
      metaLr: c.metaLr,
      metaOptimizer: c.metaOptimizer,
      weightDecay: c.weightDecay,
      cosineSchedule: c.cosineSchedule,
      innerSteps: c.innerSteps,
      seed: c.seed,
      hidden: [...c.hidden],
    },
    evaluation: ev
      ? {
          protocol: `${ev.episodes} held-out ${regression ? '' : `${c.ways}-way `}${ev.shots}-shot tasks (meta-test split), each model adapted with inner lr ${ev.innerLr} (Meta-SGD: its learned rates) and scored on the task's queries after each listed number of steps; mean, 95% interval half-width and median of the query ${ev.metric === 'mse' ? 'MSE in original units' : 'accuracy'}; seed ${ev.seed}`,
          metric: ev.metric,
          steps: [...ev.steps],
          episodes: ev.episodes,
          shots: ev.shots,
          innerLr: ev.innerLr,
          seed: ev.seed,
          results: ev.models,
        }
      : null,
  };
}
