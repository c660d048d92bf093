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
 * card's encoding is applied here; an image model (Conv-4) takes one row of
 * pixels per image instead (card.input.image). adapt() runs the card's
 * procedure (plain gradient descent on the support loss at its inner rate —
 * Meta-SGD: its learned rate per weight, elementwise; MAML++: its learned
 * rate per step and weight tensor — `steps` times, on every weight, the last
 * layer only for ANIL, or ProtoNet's prototypes) and returns an AdaptedTask
 * holding its own weights; the adapter is unchanged, so one adapter serves
 * many tasks. The numbers equal the app's and the CLI's (tested to 1e-6 for
 * MLPs, 1e-5 for Conv-4).
 *
 * The network runs here as a function of its weights (network.ts), read from
 * the Layers model, so gradient steps can change them; for Conv-4 that means
 * batch norm with the batch's own statistics, as the engine and the card
 * say: the support set while adapting, and the rows of one predict() call
 * when predicting — predict a task's queries together, as the engine's
 * evaluation does; one image alone is normalized by its own statistics.
 *
 * Ownership: the adapter owns the initialization tensors (and Meta-SGD's
 * rates) and each AdaptedTask its adapted ones; dispose() frees them.
 */
import * as tf from '@tensorflow/tfjs';
import {
  checkAdapterCard,
  CARD_FILE,
  type AdapterCard,
  type CardAdaptStyle,
} from '../core/export/card-types';
import {
  encodeFeatures,
  encodeTargets,
  featureColumns,
  restoreTarget,
  type FeatureRow,
} from '../core/export/encode-rows';
import { networkOf, splitRates, type Network } from './network';

export type { AdapterCard, FeatureRow };

export interface Support {
  /** one row of raw cells per example, in `adapter.columns` order */
  x: readonly FeatureRow[];
  /** numbers (regression) or labels (classification) */
  y: readonly (number | string)[];
}

export interface AdaptOptions {
  /**
   * gradient steps (default: the card's adaptation.steps); a conv ProtoNet
   * takes none whatever this says, as in the engine's evaluation
   */
  steps?: number;
  /**
   * one step size for every step and weight (default: the card's innerLr,
   * Meta-SGD's learned rates, or MAML++'s stepRates)
   */
  lr?: number;
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

/**
 * A step size: one for all, one per weight tensor (MAML++), or one tensor of
 * rates per weight tensor, elementwise (Meta-SGD).
 */
type Rate = number | readonly number[] | readonly tf.Tensor[];

/** One step of plain gradient descent. */
function sgd(params: tf.Tensor[], f: (p: tf.Tensor[]) => tf.Scalar, lr: Rate): tf.Tensor[] {
  const g = tf.grads((...p: tf.Tensor[]) => f(p))(params);
  return params.map((p, i) => {
    const r = typeof lr === 'number' ? lr : (lr[i] as number | tf.Tensor);
    return tf.sub(p, tf.mul(r, g[i] as tf.Tensor));
  });
}

/**
 * The step size of step s: `lr` (given, or the card's innerLr), Meta-SGD's
 * learned rates, or MAML++'s learned row for that step (the last row past the
 * table's end), one rate per weight tensor; `tail` keeps the rates of the
 * last tensors only (ANIL's head).
 */
function rateOf(
  card: AdapterCard,
  lr: number | undefined,
  learned: readonly tf.Tensor[] | null,
): (s: number, tail?: number) => Rate {
  const table = card.adaptation.stepRates;
  if (lr === undefined && learned) return (_, tail) => (tail ? learned.slice(-tail) : learned);
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

  /**
   * The network's raw outputs per row: classification logits (ProtoNet:
   * −‖f(x) − c_k‖²), standardized regression outputs.
   */
  logits(x: readonly FeatureRow[]): number[][] {
    const d = this.card.input.inputDim;
    const res = tf.tidy(() =>
      this.predictFn(tf.tensor2d(encodeFeatures(this.card, x), [x.length, d])),
    );
    const rows = res.arraySync();
    res.dispose();
    return rows;
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
  /** the feature columns a row lists, in order (none for an image model: a row is its pixels) */
  readonly columns: string[];

  constructor(
    readonly card: AdapterCard,
    private readonly net: Network,
    private readonly weights: tf.Tensor[],
    /** Meta-SGD: one rate tensor per weight tensor; null otherwise */
    private readonly rates: tf.Tensor[] | null = null,
  ) {
    this.columns = featureColumns(card);
  }

  adapt(support: Support, opts: AdaptOptions = {}): AdaptedTask {
    const card = this.card;
    const net = this.net;
    const style: CardAdaptStyle = card.adaptation.style;
    // a conv ProtoNet adapts by its prototypes alone: the engine's evaluation never fine-tunes it
    const steps = style === 'protonet' && net.isConv ? 0 : (opts.steps ?? card.adaptation.steps);
    const lr = rateOf(card, opts.lr, this.rates);
    if (support.x.length !== support.y.length || support.x.length === 0)
      throw new Error('the support set needs as many targets as rows, and at least one');
    const kind = card.task.kind;
    const prototypeStyle = style === 'protonet' || style === 'proto-head';
    const enc = encodeTargets(card, support.y, prototypeStyle ? null : net.outputDim(this.weights));
    const d = card.input.inputDim;
    const n = support.x.length;
    const sxData = encodeFeatures(card, support.x);
    let predictFn: (x: tf.Tensor2D) => tf.Tensor2D;
    const w = this.weights;
    const h0 = net.headStart;
    const embed = (p: readonly tf.Tensor[], x: tf.Tensor2D) => net.forward(p, x, true);
    // every tensor kept is a fresh copy, so disposing the task never frees the adapter's weights
    const copies = (ts: tf.Tensor[]) => ts.map((t) => tf.clone(t));
    const kept = tf.tidy(() => {
      const sx = tf.tensor2d(sxData, [n, d]);
      const sy = tf.tensor2d(enc.y, [n, enc.outputDim]);
      if (style === 'protonet') {
        let p: tf.Tensor[] = w;
        const f = (q: tf.Tensor[]) => {
          const e = net.forward(q, sx);
          return loss('classification', protoLogits(e, e, sy), sy);
        };
        for (let s = 0; s < steps; s++) p = sgd(p, f, lr(s));
        return copies([...p, net.forward(p, sx), sy]);
      }
      if (style === 'head' || style === 'proto-head') {
        const feats = embed(w, sx);
        let head: tf.Tensor[];
        if (style === 'proto-head') {
          // the nearest-prototype classifier as a linear head: W = 2cᵀ, b = −‖c‖²
          const c = tf.div(tf.matMul(sy, feats, true, false), tf.expandDims(tf.sum(sy, 0), -1));
          head = [tf.mul(2, tf.transpose(c)), tf.neg(tf.sum(tf.mul(c, c), -1))];
        } else head = w.slice(h0);
        const f = (h: tf.Tensor[]) => loss(kind, net.head(h, feats), sy);
        for (let s = 0; s < steps; s++) head = sgd(head, f, lr(s, head.length));
        return copies(head);
      }
      let p: tf.Tensor[] = w;
      const f = (q: tf.Tensor[]) => loss(kind, net.forward(q, sx), sy);
      for (let s = 0; s < steps; s++) p = sgd(p, f, lr(s));
      return copies(p);
    });
    if (style === 'protonet') {
      const p = kept.slice(0, -2);
      const es = kept[kept.length - 2] as tf.Tensor2D;
      const sy = kept[kept.length - 1] as tf.Tensor2D;
      predictFn = (x) => protoLogits(net.forward(p, x), es, sy);
    } else if (style === 'head' || style === 'proto-head') {
      predictFn = (x) => net.head(kept, embed(w, x));
    } else {
      predictFn = (x) => net.forward(kept, x);
    }
    return new AdaptedTask(card, enc.labels, kept, predictFn);
  }

  dispose(): void {
    tf.dispose(this.weights);
    if (this.rates) tf.dispose(this.rates);
  }
}

/**
 * Where the model's files are: its model.json URL, or tfjs IO handlers, the
 * card and (Meta-SGD) the rates file's bytes or URL (Node, tests).
 */
export type AdapterSource =
  | string
  | {
      model: string | tf.io.IOHandler;
      card: AdapterCard | string;
      rates?: string | Uint8Array;
    };

/**
 * Loads an exported model. A URL names model.json; the card is the
 * adaptation.json next to it, and Meta-SGD's rates the file the card names,
 * next to it too.
 */
export async function loadAdapter(source: AdapterSource): Promise<Adapter> {
  const modelSrc = typeof source === 'string' ? source : source.model;
  const near = (file: string) =>
    typeof source === 'string' ? new URL(file, new URL(source, baseUrl())).href : null;
  const cardSrc = typeof source === 'string' ? (near(CARD_FILE) as string) : source.card;
  const [model, cardJson] = await Promise.all([
    tf.loadLayersModel(modelSrc),
    typeof cardSrc === 'string' ? fetchJson(cardSrc) : Promise.resolve(cardSrc),
  ]);
  try {
    const card = checkAdapterCard(cardJson);
    const file = card.adaptation.learnedInnerLr?.file;
    let rates: Uint8Array | null = null;
    if (file) {
      if (!file.endsWith('.bin'))
        throw new Error(
          `adaptation.json names ${file} for the learned rates, the PyTorch export's file: use the card of the TensorFlow.js export (its rates are in a .bin file)`,
        );
      const ratesSrc = (typeof source === 'string' ? undefined : source.rates) ?? near(file);
      if (ratesSrc == null)
        throw new Error(`this model adapts with learned rates: give their file (${file}) as rates`);
      rates = typeof ratesSrc === 'string' ? await fetchBytes(ratesSrc) : ratesSrc;
    }
    const { net, weights } = networkOf(model);
    try {
      return new Adapter(card, net, weights, rates && splitRates(rates, weights));
    } catch (e) {
      tf.dispose(weights);
      throw e;
    }
  } finally {
    model.dispose();
  }
}

function baseUrl(): string {
  return typeof location !== 'undefined' ? location.href : 'file:///';
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}
