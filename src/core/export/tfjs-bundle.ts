/**
 * The TensorFlow.js export as files: `model.json` and `model.weights.bin`
 * (tfjs-layers.ts) and `adaptation.json`, the card the embeddable adapter
 * (src/adapter) and the CLI read. Plain data in, bytes out: the caller (CLI,
 * worker) maps its session to a TfjsExportInput (sessions/export-input.ts),
 * so the engine does not depend on the session format.
 *
 * The card written here holds the fields of AdapterCard (card-types.ts), a
 * subset of the full card of the safetensors / Python export; once both
 * branches are merged this file can write the full card instead.
 */
import type { AlgorithmName, TrainConfig } from '../spec/config';
import { weightsSpec, isConv, type ModelSpec } from '../spec/model';
import {
  CARD_FILE,
  CARD_FORMAT,
  CARD_VERSION,
  LABEL_ORDER,
  type AdapterCard,
  type CardAdaptStyle,
  type CardFeature,
} from './card-types';
import { stepRateTable } from './card';
import { exportTfjsLayers, MODEL_JSON, WEIGHTS_BIN } from './tfjs-layers';

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

export function adaptStyleOfAlgorithm(a: AlgorithmName): CardAdaptStyle {
  return a === 'protonet' ? 'protonet' : a === 'anil' ? 'head' : 'finetune';
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
  if (isConv(spec)) throw new Error('only MLPs have an adaptation card for now');
  const c = e.config;
  const norm = e.data.normalization;
  const regression = e.data.kind === 'regression';
  const column = norm?.target?.column ?? e.data.targetColumn ?? (regression ? 'y' : 'label');
  return {
    format: CARD_FORMAT,
    version: CARD_VERSION,
    name: e.name,
    algorithm: c.algorithm,
    adaptation: {
      style: adaptStyleOfAlgorithm(c.algorithm),
      innerLr: c.innerLr,
      // Meta-SGD's rates travel with the safetensors export; the tfjs adapter uses innerLr
      learnedInnerLr: null,
      stepRates: stepRateTable(e.spec, e.arrays),
      steps: c.evalInnerSteps,
      loss: regression ? 'mse' : 'cross-entropy',
    },
    task: {
      kind: e.data.kind,
      ways: regression ? null : c.ways,
      shots: c.shots,
      queries: c.queries,
    },
    input: { features: norm ? norm.features : rawFeatures(spec.inputDim), inputDim: spec.inputDim },
    target: regression
      ? { column, mean: norm?.target?.mean ?? 0, std: norm?.target?.std ?? 1 }
      : { column, labels: null, labelOrder: LABEL_ORDER },
    evaluation: e.evaluation,
  };
}

/** Why this session cannot be exported to TensorFlow.js, or null. */
export function tfjsExportProblem(e: Pick<TfjsExportInput, 'spec' | 'config'>): string | null {
  if (isConv(e.spec))
    return 'Conv-4 models do not export to TensorFlow.js yet: their batch norm uses each task’s own batch statistics, which a Keras layer does not';
  if (e.config.algorithm === 'metasgd')
    return 'Meta-SGD adapts with its learned per-weight rates, which the TensorFlow.js adapter does not read yet';
  return null;
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2) + '\n');

/** The three files, by name. */
export async function tfjsExportFiles(e: TfjsExportInput): Promise<Record<string, Uint8Array>> {
  const problem = tfjsExportProblem(e);
  if (problem) throw new Error(problem);
  const files = await exportTfjsLayers(e.spec, e.arrays);
  return {
    [MODEL_JSON]: json(files.modelJson),
    [WEIGHTS_BIN]: files.weights,
    [CARD_FILE]: json(adapterCard(e)),
  };
}
