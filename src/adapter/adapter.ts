/**
 * The embeddable adapter: a meta-learned model exported to TensorFlow.js
 * (model.json + model.weights.bin + adaptation.json) adapted to a new task in
 * any page, with tfjs as the only dependency.
 *
 *   const adapter = await loadAdapter('model/model.json');
 *   const task = adapter.adapt({ x: [[0.5], [1.2]], y: [0.3, 0.9] });
 *   task.predict([[0.7]]); // → [0.51…] (regression) or ['cat'] (classification)
 *
 * Rows list one cell per feature column (adapter.columns), raw values: the
 * card's encoding is applied here. adapt() runs the card's procedure (plain
 * gradient descent on the support loss at its inner rate — MAML++: its
 * learned rate per step and weight tensor — `steps` times, on
 * every weight, the last layer only for ANIL, or ProtoNet's prototypes) and
 * returns an AdaptedTask holding its own weights; the adapter is unchanged,
 * so one adapter serves many tasks. The numbers equal the app's and the
 * CLI's (tested to 1e-6).
 *
 * Ownership: the adapter owns the initialization tensors and each AdaptedTask
 * its adapted ones; dispose() frees them.
 */
import * as tf from '@tensorflow/tfjs';
import { checkAdapterCard, CARD_FILE, type AdapterCard } from '../core/export/card-types';
import {
  encodeFeatures,
  encodeTargets,
  featureColumns,
  restoreTarget,
  type FeatureRow,
} from '../core/export/encode-rows';

export type { AdapterCard, FeatureRow };

export interface Support {
  /** one row of raw cells per example, in `adapter.columns` order */
  x: readonly FeatureRow[];
  /** numbers (regression) or labels (classification) */
  y: readonly (number | string)[];
}

export interface AdaptOptions {
  /** gradient steps (default: the card's adaptation.steps) */
  steps?: number;
  /** one step size for every step and weight (default: the card's innerLr, or MAML++'s stepRates) */
  lr?: number;
}

/** x [n, d] through the MLP [W0, b0, …]: ReLU between layers, linear output. */
function mlp(
  params: readonly tf.Tensor[],
  x: tf.Tensor2D,
  layers = params.length / 2,
): tf.Tensor2D {
  let h = x;
  const last = params.length / 2 - 1;
  for (let l = 0; l < layers; l++) {
    h = tf.add(tf.matMul(h, params[2 * l] as tf.Tensor2D), params[2 * l + 1] as tf.Tensor);
    if (l < last) h = tf.relu(h);
  }
  return h;
}

function loss(kind: 'regression' | 'classification', out: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  if (kind === 'regression') return tf.mean(tf.square(tf.sub(out, y))) as tf.Scalar;
  return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(out)), -1))) as tf.Scalar;
}

/** −‖e − c_k‖² for the class means c_k of the support embeddings. */
function protoLogits(eq: tf.Tensor2D, es: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  const c = tf.div(tf.matMul(y, es, true, false), tf.expandDims(tf.sum(y, 0), -1)) as tf.Tensor2D;
  const qq = tf.sum(tf.square(eq), -1, true);
  const cc = tf.expandDims(tf.sum(tf.square(c), -1), 0);
  return tf.neg(tf.add(tf.sub(qq, tf.mul(2, tf.matMul(eq, c, false, true))), cc)) as tf.Tensor2D;
}

/** One step of plain gradient descent: one rate for all, or one per tensor (MAML++). */
function sgd(
  params: tf.Tensor[],
  f: (p: tf.Tensor[]) => tf.Scalar,
  lr: number | readonly number[],
): tf.Tensor[] {
  const g = tf.grads((...p: tf.Tensor[]) => f(p))(params);
  return params.map((p, i) =>
    tf.sub(p, tf.mul(typeof lr === 'number' ? lr : (lr[i] as number), g[i] as tf.Tensor)),
  );
}

/**
 * The step size of step s: `lr` (given, or the card's innerLr), or MAML++'s
 * learned row for that step (the last row past the table's end), one rate per
 * weight tensor; `tail` keeps the rates of the last tensors only (ANIL's head).
 */
function rateOf(
  card: AdapterCard,
  lr: number | undefined,
): (s: number, tail?: number) => number | readonly number[] {
  const table = card.adaptation.stepRates;
  if (lr !== undefined || !table?.length) {
    const rate = lr ?? card.adaptation.innerLr;
    return () => rate;
  }
  return (s, tail) => {
    const row = table[Math.min(s, table.length - 1)] as number[];
    return tail ? row.slice(-tail) : row;
  };
}

export class AdaptedTask {
  /** classification: the label of each output (sorted support labels); null for regression */
  readonly labels: string[] | null;
  private readonly predictFn: (x: tf.Tensor2D) => tf.Tensor2D;

  constructor(
    private readonly card: AdapterCard,
    labels: string[] | null,
    private readonly kept: tf.Tensor[],
    predictFn: (x: tf.Tensor2D) => tf.Tensor2D,
  ) {
    this.labels = labels;
    this.predictFn = predictFn;
  }

  /**
   * Regression: predictions in the target's units, one per row.
   * Classification: the class probabilities of each row (in `labels` order).
   */
  outputs(x: readonly FeatureRow[]): number[][] {
    const d = this.card.input.inputDim;
    const res = tf.tidy(() => {
      const out = this.predictFn(tf.tensor2d(encodeFeatures(this.card, x), [x.length, d]));
      return this.labels ? tf.softmax(out) : out;
    });
    const rows = res.arraySync();
    res.dispose();
    return this.labels ? rows : rows.map((r) => [restoreTarget(this.card, r[0] as number)]);
  }

  /** Regression: a number per row; classification: the most probable label per row. */
  predict(x: readonly FeatureRow[]): number[] | string[] {
    const out = this.outputs(x);
    const labels = this.labels;
    if (!labels) return out.map((r) => r[0] as number);
    return out.map((p) => labels[p.indexOf(Math.max(...p))] as string);
  }

  dispose(): void {
    tf.dispose(this.kept);
  }
}

export class Adapter {
  /** the feature columns a row lists, in order */
  readonly columns: string[];

  constructor(
    readonly card: AdapterCard,
    private readonly weights: tf.Tensor[],
  ) {
    this.columns = featureColumns(card);
  }

  adapt(support: Support, opts: AdaptOptions = {}): AdaptedTask {
    const card = this.card;
    const steps = opts.steps ?? card.adaptation.steps;
    const lr = rateOf(card, opts.lr);
    if (support.x.length !== support.y.length || support.x.length === 0)
      throw new Error('the support set needs as many targets as rows, and at least one');
    const style = card.adaptation.style;
    const kind = card.task.kind;
    const outDim = (this.weights[this.weights.length - 1] as tf.Tensor).shape[0] as number;
    const enc = encodeTargets(card, support.y, style === 'protonet' ? null : outDim);
    const d = card.input.inputDim;
    const n = support.x.length;
    const sxData = encodeFeatures(card, support.x);
    let predictFn: (x: tf.Tensor2D) => tf.Tensor2D;
    const w = this.weights;
    // every tensor kept is a fresh copy, so disposing the task never frees the adapter's weights
    const copies = (ts: tf.Tensor[]) => ts.map((t) => tf.clone(t));
    const kept = tf.tidy(() => {
      const sx = tf.tensor2d(sxData, [n, d]);
      const sy = tf.tensor2d(enc.y, [n, enc.outputDim]);
      if (style === 'protonet') {
        let p: tf.Tensor[] = w;
        const f = (q: tf.Tensor[]) => {
          const e = mlp(q, sx);
          return loss('classification', protoLogits(e, e, sy), sy);
        };
        for (let s = 0; s < steps; s++) p = sgd(p, f, lr(s));
        return copies([...p, mlp(p, sx), sy]);
      }
      if (style === 'head') {
        const feats = mlp(w, sx, w.length / 2 - 1);
        let head = w.slice(-2);
        const f = (h: tf.Tensor[]) => loss(kind, mlp(h, feats), sy);
        for (let s = 0; s < steps; s++) head = sgd(head, f, lr(s, 2));
        return copies(head);
      }
      let p: tf.Tensor[] = w;
      const f = (q: tf.Tensor[]) => loss(kind, mlp(q, sx), sy);
      for (let s = 0; s < steps; s++) p = sgd(p, f, lr(s));
      return copies(p);
    });
    if (style === 'protonet') {
      const p = kept.slice(0, -2);
      const es = kept[kept.length - 2] as tf.Tensor2D;
      const sy = kept[kept.length - 1] as tf.Tensor2D;
      predictFn = (x) => protoLogits(mlp(p, x), es, sy);
    } else if (style === 'head') {
      predictFn = (x) => mlp(kept, mlp(w, x, w.length / 2 - 1));
    } else {
      predictFn = (x) => mlp(kept, x);
    }
    return new AdaptedTask(card, enc.labels, kept, predictFn);
  }

  dispose(): void {
    tf.dispose(this.weights);
  }
}

/** Where the model's files are: its model.json URL, or tfjs IO handlers and the card (Node, tests). */
export type AdapterSource =
  string | { model: string | tf.io.IOHandler; card: AdapterCard | string };

/**
 * Loads an exported model. A URL names model.json; the card is the
 * adaptation.json next to it.
 */
export async function loadAdapter(source: AdapterSource): Promise<Adapter> {
  const modelSrc = typeof source === 'string' ? source : source.model;
  const cardSrc =
    typeof source === 'string' ? new URL(CARD_FILE, new URL(source, baseUrl())).href : source.card;
  const [model, cardJson] = await Promise.all([
    tf.loadLayersModel(modelSrc),
    typeof cardSrc === 'string' ? fetchJson(cardSrc) : Promise.resolve(cardSrc),
  ]);
  const card = checkAdapterCard(cardJson);
  // the Dense layers' kernels and biases, in order: the engine's [W0, b0, W1, b1, …]
  const weights = model.getWeights().map((t) => tf.clone(t));
  model.dispose();
  return new Adapter(card, weights);
}

function baseUrl(): string {
  return typeof location !== 'undefined' ? location.href : 'file:///';
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}
