/**
 * Two options of second-order MAML from MAML++ (Antoniou, Edwards & Storkey
 * 2019, "How to train your MAML"), on the MLP:
 *
 * - Multi-step loss (MSL): the meta-loss weighs the query loss after every
 *   inner step, L = Σ_{k=1..S} w_k · mean_b Lq_b(θ_k,b), with the annealed
 *   weights of spec/config.ts multiStepLossWeights (plain MAML is w = e_S).
 * - Learned per-layer, per-step rates (LSLR): step s updates weight tensor i
 *   with its own scalar rate α_{s,i}, θ_{s+1,i} = θ_{s,i} − α_{s,i} ∇_i Ls(θ_s),
 *   the [S, P] table meta-trained with θ (plain MAML is α_{s,i} = α).
 *
 * Exact meta-gradient by reverse mode through the inner steps. With
 * u_k = ∂L/∂θ_k (per task), u_S = w_S ∇Lq(θ_S)/B and, going back,
 * u_s = u_{s+1} − H_s (α_s ⊙ u_{s+1}) + w_s ∇Lq(θ_s)/B   (w_0 = 0),
 * since ∂θ_{s+1}/∂θ_s = I − diag(α_s) H_s with H_s symmetric. The rates'
 * gradient is ∂L/∂α_{s,i} = −Σ_b ⟨u_{s+1,b,i}, ∇_i Ls_b(θ_s)⟩. The 'batched'
 * layout runs this with the hand-derived passes of models/mlp-grads.ts;
 * `objective` is the same loss for tfjs's tape (layouts 'tape' and 'loop').
 *
 * Ownership: everything is allocated in the caller's tidy.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchTensors, LossKind } from './batch';
import { mlpLossPerTask } from './batch';
import { innerStep, type StepSize } from './inner-loop';
import { tileParams } from '../models/mlp';
import { backward, hessianVector, lossFromTrace, outputGrad, trace } from '../models/mlp-grads';
import type { Backward, Trace } from '../models/mlp-grads';

export interface PlusOptions {
  kind: LossKind;
  steps: number;
  /** the configured α: the rate of every step when there is no rate table */
  lr: number;
  /** weights of the query losses after steps 1…S (length S; [1] when S = 0) */
  weights: readonly number[];
}

/** The step size of each inner step: the table's row s as P scalars, or α. */
function stepSizes(rates: tf.Tensor | null, S: number, lr: number): StepSize[] {
  if (!rates) return Array.from({ length: S }, () => lr);
  return tf.unstack(rates).map((row) => tf.unstack(row));
}

/** L(θ, α) of the file comment, differentiable by the tape; `rates` is the [S, P] table or null. */
export function objective(
  theta: readonly tf.Tensor[],
  rates: tf.Tensor | null,
  t: BatchTensors,
  o: PlusOptions,
): tf.Scalar {
  const B = t.sx.shape[0];
  const query = (p: tf.Tensor[]) => tf.mean(mlpLossPerTask(o.kind, p, t.qx, t.qy));
  let fast = tileParams([...theta], B);
  if (o.steps === 0) return query(fast) as tf.Scalar;
  const sizes = stepSizes(rates, o.steps, o.lr);
  let total: tf.Tensor | null = null;
  for (let s = 0; s < o.steps; s++) {
    fast = innerStep(fast, (p) => mlpLossPerTask(o.kind, p, t.sx, t.sy), sizes[s] as StepSize);
    const w = o.weights[s] ?? 0;
    if (w === 0) continue;
    const term = tf.mul(query(fast), w);
    total = total ? tf.add(total, term) : term;
  }
  return (total ?? tf.scalar(0)) as tf.Scalar;
}

const rateOf = (size: StepSize, i: number): number | tf.Tensor =>
  typeof size === 'number' ? size : (size[i] as tf.Tensor);

/**
 * The meta-gradient of `objective` from hand-derived passes: [∂θ…] and, with
 * a rate table, its gradient [S, P] last; the loss is L itself.
 */
export function explicitGradient(
  theta: readonly tf.Tensor[],
  rates: tf.Tensor | null,
  t: BatchTensors,
  o: PlusOptions,
): { loss: tf.Scalar; grads: tf.Tensor[] } {
  const { kind, steps: S, weights } = o;
  const B = t.sx.shape[0];
  const sizes = stepSizes(rates, S, o.lr);
  const inner: { params: tf.Tensor[]; tr: Trace; bw: Backward }[] = [];
  // query traces at θ_k for the weighted non-final losses (k = 1…S−1)
  const queryAt: (Trace | null)[] = new Array<Trace | null>(S + 1).fill(null);
  let fast: tf.Tensor[] = [...theta];
  for (let s = 0; s < S; s++) {
    const tr = trace(fast, t.sx, kind);
    const bw = backward(fast, tr, outputGrad(tr, t.sy, kind, 1));
    inner.push({ params: fast, tr, bw });
    const size = sizes[s] as StepSize;
    fast = fast.map((p, i) => tf.sub(p, tf.mul(rateOf(size, i), bw.grads[i] as tf.Tensor)));
    if (s + 1 < S && (weights[s] ?? 0) !== 0) queryAt[s + 1] = trace(fast, t.qx, kind);
  }
  const tq = trace(fast, t.qx, kind);
  const wLast = S === 0 ? 1 : (weights[S - 1] as number);
  let loss: tf.Tensor = tf.mul(tf.mean(lossFromTrace(tq, t.qy, kind)), wLast);
  let u = backward(fast, tq, outputGrad(tq, t.qy, kind, wLast / B)).grads;
  const dRates: tf.Tensor[][] = [];
  for (let s = S - 1; s >= 0; s--) {
    const { params, tr, bw } = inner[s]!;
    const size = sizes[s] as StepSize;
    // u is ∂L/∂θ_{s+1} here
    if (rates) dRates[s] = u.map((g, i) => tf.neg(tf.sum(tf.mul(g, bw.grads[i] as tf.Tensor))));
    const hv = hessianVector(
      params,
      u.map((g, i) => tf.mul(rateOf(size, i), g)),
      tr,
      bw,
      kind,
      1,
    );
    u = u.map((g, i) => tf.sub(g, hv[i] as tf.Tensor));
    const tqs = queryAt[s];
    if (s >= 1 && tqs) {
      const w = weights[s - 1] as number;
      loss = tf.add(loss, tf.mul(tf.mean(lossFromTrace(tqs, t.qy, kind)), w));
      const q = backward(params, tqs, outputGrad(tqs, t.qy, kind, w / B)).grads;
      u = u.map((g, i) => tf.add(g, q[i] as tf.Tensor));
    }
  }
  // θ and the rates feed every task, so their gradients sum the per-task slices.
  const grads = u.map((g) => tf.sum(g, 0));
  if (rates) grads.push(tf.stack(dRates.map((row) => tf.stack(row))));
  return { loss: loss as tf.Scalar, grads };
}
