/**
 * The part of the adaptation card (`adaptation.json`) that the embeddable
 * adapter and the CLI's `adapt` / `monitor` read: how a new task is encoded
 * (features, target) and how the network adapts to it (style, step size,
 * steps, loss). Plain data, no tfjs, so a page can import the types.
 *
 * The field names and shapes are those of the full card written next to the
 * safetensors / Python export (core/export/card.ts on the exportpy branch):
 * this is a structural subset of it, so the full card satisfies
 * AdapterCard and either file can sit next to a TensorFlow.js model.
 *
 * Labels: a new task's distinct support labels, sorted (code-unit order, as
 * JavaScript and Python sort strings), are the outputs 0…N−1; meta-training
 * relabelled the classes at random in every episode, so any fixed order works.
 */

export const CARD_FORMAT = 'meta-learning-playground/adaptation-card';
export const CARD_VERSION = 1;
export const CARD_FILE = 'adaptation.json';

export type CardFeature =
  | { column: string; type: 'numeric'; mean: number; std: number }
  | { column: string; type: 'categorical'; categories: string[] };

/**
 * finetune: every weight; head: the last layer only (ANIL); protonet:
 * prototypes of the embedding; proto-head (pre-trained and untrained conv
 * nets): a head set from the support prototypes, then fine-tuned.
 */
export type CardAdaptStyle = 'finetune' | 'head' | 'protonet' | 'proto-head';

/** Meta-SGD's learned rates in the TensorFlow.js export: raw float32, the weights' shapes and order. */
export const RATES_BIN = 'inner_lr.weights.bin';

export interface AdapterCard {
  format: typeof CARD_FORMAT;
  version: typeof CARD_VERSION;
  name: string;
  algorithm: string;
  /** the network (absent in cards written before conv nets exported to TensorFlow.js) */
  model?: {
    architecture: 'mlp' | 'conv4';
    weights: string;
    layout: string;
    /** Conv-4: how its batch norm normalizes (always the batch's own statistics) */
    batchNorm?: { statistics: 'batch'; epsilon: number; note: string };
  };
  adaptation: {
    style: CardAdaptStyle;
    /** α of plain SGD */
    innerLr: number;
    /**
     * Meta-SGD's per-weight rates, in a file next to the card: RATES_BIN in the
     * TensorFlow.js export (read by the adapter), inner_lr.safetensors in the
     * PyTorch one. They replace innerLr.
     */
    learnedInnerLr: {
      file: string;
      min: number;
      max: number;
      mean: number;
      layout?: string;
    } | null;
    /**
     * MAML++: stepRates[s][i] is the rate of step s for weight tensor i
     * (kernels and biases in order); past the last row, the last row. Absent
     * in cards written before it existed.
     */
    stepRates?: number[][] | null;
    /** adaptation steps for a new task (the validation setting) */
    steps: number;
    loss: 'mse' | 'cross-entropy';
  };
  task: {
    kind: 'regression' | 'classification';
    ways: number | null;
    shots: number;
    queries: number;
  };
  /**
   * model inputs: one numeric input per numeric column, one-hot inputs per
   * categorical column; image models: no columns, one row of inputDim pixels
   * per image (`image` says how)
   */
  input: { features: CardFeature[]; inputDim: number; image?: CardImage };
  target:
    | { column: string; mean: number; std: number }
    | { column: string; labels: string[] | null; labelOrder: string };
  /** the session's meta-test figures, when it was evaluated */
  evaluation?: {
    metric: 'mse' | 'accuracy';
    steps: number[];
    results: Record<string, { mean: (number | null)[] }>;
  } | null;
}

export interface CardImage {
  height: number;
  width: number;
  channels: 1 | 3;
  rows: string;
}

/** A cell of a new example: a number for a numeric column, text for a categorical one. */
export type CardCell = number | string | null;

export const LABEL_ORDER =
  'a new task’s support labels, sorted, are the outputs 0…N−1 (any order works: meta-training relabelled the classes at random in every episode)';

/** Checks the fields the adapter reads, with a message that names the first one missing. */
export function checkAdapterCard(value: unknown): AdapterCard {
  const c = value as Partial<AdapterCard> | null;
  const fail = (what: string) => {
    throw new Error(`adaptation.json: ${what}`);
  };
  if (!c || typeof c !== 'object') return fail('not a JSON object');
  if (c.format !== CARD_FORMAT) fail(`format is not "${CARD_FORMAT}"`);
  if (c.version !== CARD_VERSION) fail(`version ${String(c.version)} is not ${CARD_VERSION}`);
  const a = c.adaptation;
  if (!a || !(a.innerLr > 0) || !Number.isInteger(a.steps) || a.steps < 0)
    fail('adaptation needs innerLr > 0 and whole steps ≥ 0');
  const table = a?.stepRates;
  if (
    table != null &&
    (!Array.isArray(table) ||
      table.length === 0 ||
      !table.every((r) => Array.isArray(r) && r.every((v) => typeof v === 'number')))
  )
    fail('adaptation.stepRates must be rows of numbers (one row per step)');
  const rates = a?.learnedInnerLr;
  if (rates != null && typeof rates.file !== 'string')
    fail('adaptation.learnedInnerLr.file must name the rates file');
  if (!c.task || (c.task.kind !== 'regression' && c.task.kind !== 'classification'))
    fail('task.kind must be regression or classification');
  if (!c.input || !Array.isArray(c.input.features)) fail('input.features is missing');
  if (!c.target || typeof c.target.column !== 'string') fail('target.column is missing');
  return c as AdapterCard;
}
