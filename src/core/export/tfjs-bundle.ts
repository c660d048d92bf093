/**
 * The TensorFlow.js export as files: `model.json` and `model.weights.bin`
 * (tfjs-layers.ts), `adaptation.json`, the card the embeddable adapter
 * (src/adapter) and the CLI read, and for Meta-SGD `inner_lr.weights.bin`,
 * its learned rates (raw float32 little-endian, one per weight, in the
 * weights' shapes and order: kernel [in, out] then bias, layer by layer).
 * Plain data in, bytes out: the caller (CLI, worker) maps its session to a
 * TfjsExportInput (sessions/export-input.ts), so the engine does not depend
 * on the session format.
 *
 * The card written here holds the fields of AdapterCard (card-types.ts), a
 * subset of the full card of the safetensors / Python export; once both
 * branches are merged this file can write the full card instead.
 */
import type { AlgorithmName, TrainConfig } from '../spec/config';
import {
  hasLearnedLr,
  isConv,
  weightTensorCount,
  weightsSpec,
  type ConvSpec,
  type ModelSpec,
} from '../spec/model';
import {
  CARD_FILE,
  CARD_FORMAT,
  CARD_VERSION,
  LABEL_ORDER,
  RATES_BIN,
  type AdapterCard,
  type CardAdaptStyle,
  type CardFeature,
} from './card-types';
import { rateStats, stepRateTable, styleOf } from './card';
import {
  BATCH_NORM_NOTE_TFJS,
  CONV_BN_EPSILON,
  exportTfjsLayers,
  MODEL_JSON,
  tfjsUnsupportedReason,
  WEIGHTS_BIN,
} from './tfjs-layers';

/** What the export needs of a session (field names as the full card's ExportInput). */
export interface TfjsExportInput {
  name: string;
  config: Pick<
    TrainConfig,
    'algorithm' | 'innerLr' | 'evalInnerSteps' | 'shots' | 'ways' | 'queries'
  >;
  spec: ModelSpec;
  /** in the engine's order (weights, then Meta-SGD's rates) */
  arrays: Float32Array[];
  data: {
    kind: 'regression' | 'classification';
    /** the target column the data named, if any */
    targetColumn: string | null;
    /** CSV: the meta-train encoding; null for built-ins (their inputs are used as they are) */
    normalization: {
      features: CardFeature[];
      target: { column: string; mean: number; std: number } | null;
      inputDim: number;
    } | null;
  };
  evaluation: AdapterCard['evaluation'];
}

/** How a model of this algorithm adapts (as the engine's evaluation does; see card.ts). */
export function adaptStyleOfAlgorithm(a: AlgorithmName, conv = false): CardAdaptStyle {
  return styleOf(a, conv);
}

const RATES_LAYOUT =
  'float32 little-endian, one rate per weight, in the shapes and order of the model’s trainable weights (Dense kernel [in, out], then bias, layer by layer); step: θ ← θ − rate ⊙ ∇L_support(θ)';

function modelOf(spec: ModelSpec): NonNullable<AdapterCard['model']> {
  if (!isConv(spec))
    return {
      architecture: 'mlp',
      weights: MODEL_JSON,
      layout: 'tf.sequential of Dense layers (kernel [in, out], bias), ReLU between, linear output',
    };
  return {
    architecture: 'conv4',
    weights: MODEL_JSON,
    layout: `tf.sequential, NHWC input [${spec.imageShape.height}, ${spec.imageShape.width}, ${spec.imageShape.channels}]: 4 × [Conv2D(${spec.filters} filters, 3×3, padding same, no bias), BatchNormalization, ReLU, MaxPooling2D(2, valid)], Flatten${spec.outputDim > 0 ? `, Dense(${spec.outputDim})` : ' (the embedding is the output)'}`,
    batchNorm: { statistics: 'batch', epsilon: CONV_BN_EPSILON, note: BATCH_NORM_NOTE_TFJS },
  };
}

function imageInput(spec: ConvSpec): AdapterCard['input'] {
  const { height, width, channels } = spec.imageShape;
  return {
    features: [],
    inputDim: height * width * channels,
    image: {
      height,
      width,
      channels,
      rows: 'one image a row, flattened row-major as [height, width, channels], values in [0, 1] (ink 1 on blank 0 for line drawings); the images of one predict call are normalized together',
    },
  };
}

/** A built-in family's inputs as they are, named x (or x1, x2, …). */
function rawFeatures(inputDim: number): CardFeature[] {
  return Array.from({ length: inputDim }, (_, i) => ({
    column: inputDim === 1 ? 'x' : `x${i + 1}`,
    type: 'numeric' as const,
    mean: 0,
    std: 1,
  }));
}

export function adapterCard(e: TfjsExportInput): AdapterCard {
  const spec = weightsSpec(e.spec);
  const conv = isConv(spec);
  const c = e.config;
  const norm = e.data.normalization;
  const regression = e.data.kind === 'regression';
  const column = norm?.target?.column ?? e.data.targetColumn ?? (regression ? 'y' : 'label');
  const style = adaptStyleOfAlgorithm(c.algorithm, conv);
  const learned = hasLearnedLr(e.spec) ? e.arrays.slice(weightTensorCount(e.spec)) : null;
  return {
    format: CARD_FORMAT,
    version: CARD_VERSION,
    name: e.name,
    algorithm: c.algorithm,
    model: modelOf(spec),
    adaptation: {
      style,
      innerLr: c.innerLr,
      learnedInnerLr: learned
        ? { file: RATES_BIN, ...rateStats(learned), layout: RATES_LAYOUT }
        : null,
      stepRates: stepRateTable(e.spec, e.arrays),
      // the engine's evaluation does not fine-tune a conv ProtoNet: its adaptation is the prototypes
      steps: conv && style === 'protonet' ? 0 : c.evalInnerSteps,
      loss: regression ? 'mse' : 'cross-entropy',
    },
    task: {
      kind: e.data.kind,
      ways: regression ? null : c.ways,
      shots: c.shots,
      queries: c.queries,
    },
    input: conv
      ? imageInput(spec)
      : { features: norm ? norm.features : rawFeatures(spec.inputDim), inputDim: spec.inputDim },
    target: regression
      ? { column, mean: norm?.target?.mean ?? 0, std: norm?.target?.std ?? 1 }
      : { column, labels: null, labelOrder: LABEL_ORDER },
    evaluation: e.evaluation,
  };
}

/** Why this session cannot be exported to TensorFlow.js, or null. */
export function tfjsExportProblem(e: Pick<TfjsExportInput, 'spec' | 'config'>): string | null {
  if (e.config.algorithm === 'metasgd' && !hasLearnedLr(e.spec))
    return 'this Meta-SGD model has no learned inner rates to export';
  return tfjsUnsupportedReason(e.spec);
}

/** The learned rates as one little-endian float32 file, in the weights' order. */
function ratesBin(rates: readonly Float32Array[]): Uint8Array {
  const n = rates.reduce((s, r) => s + r.length, 0);
  const out = new Uint8Array(4 * n);
  const view = new DataView(out.buffer);
  let o = 0;
  for (const r of rates) for (const v of r) view.setFloat32(4 * o++, v, true);
  return out;
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2) + '\n');

/** The files, by name (three, four with Meta-SGD's rates). */
export async function tfjsExportFiles(e: TfjsExportInput): Promise<Record<string, Uint8Array>> {
  const problem = tfjsExportProblem(e);
  if (problem) throw new Error(problem);
  const files = await exportTfjsLayers(e.spec, e.arrays);
  const out: Record<string, Uint8Array> = {
    [MODEL_JSON]: json(files.modelJson),
    [WEIGHTS_BIN]: files.weights,
  };
  if (hasLearnedLr(e.spec)) out[RATES_BIN] = ratesBin(e.arrays.slice(weightTensorCount(e.spec)));
  out[CARD_FILE] = json(adapterCard(e));
  return out;
}
