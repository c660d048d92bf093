/**
 * The MAML meta-gradient of a ReLU MLP for a whole meta-batch, computed by
 * the WASM SIMD kernels of assembly/mlp.ts without tfjs: per task, S inner
 * SGD steps on the support set, the query pass, its backward pass and (second
 * order) the reverse pass through the inner steps, v ← v − α H_s v, with
 * Hessian-vector products by the R-operator. The same maths, in the same
 * order, as MamlLearner.explicitMetaGradient with models/mlp-grads.ts; tested
 * against tfjs's tape in tests/unit/kernels/fused-wasm.test.ts.
 *
 * Tasks run one after another through the same scratch buffers, and each
 * task's slice of the meta-gradient is added to one sum, so memory does not
 * grow with the meta-batch.
 *
 * Layout in the kernels' memory (float offsets, planned once per shape):
 * every layer width is padded to a multiple of 4 with zero units (see
 * assembly/mlp.ts for why they stay zero); the params are packed as
 * [W0 (p0×p1), b0 (p1), W1, b1, …]. Activations are kept per inner step
 * because the reverse pass needs each step's trace; ReLU masks are read from
 * the activations themselves.
 *
 * No tfjs here: the caller passes plain arrays and gets plain arrays back.
 */
import type { MlpKernels } from './load';

export type FusedLoss = 'mse' | 'ce';

export interface FusedShape {
  /** real layer widths: input, hidden…, output */
  widths: number[];
  tasks: number;
  support: number;
  query: number;
  innerSteps: number;
  innerLr: number;
  kind: FusedLoss;
  firstOrder: boolean;
}

export interface FusedBatch {
  supportX: Float32Array;
  supportY: Float32Array;
  queryX: Float32Array;
  queryY: Float32Array;
}

const pad4 = (n: number) => (n + 3) & ~3;

/** Float offsets of one pass's trace: activations a[0..L-1] (a[0] is x), output, softmax, dz[0..L-1]. */
interface TraceAt {
  a: number[];
  out: number;
  probs: number;
  dz: number[];
}

export class FusedMlpStep {
  readonly shape: FusedShape;
  private readonly k: MlpKernels;
  private readonly L: number;
  /** padded widths */
  private readonly p: number[];
  private readonly wOff: number[] = [];
  private readonly bOff: number[] = [];
  /** padded param count */
  private readonly P: number;
  // float offsets of the buffers
  private readonly theta: number;
  private readonly sum: number;
  private readonly sx: number;
  private readonly sy: number;
  private readonly qx: number;
  private readonly qy: number;
  /** fast params after step s (s = 1…S); index 0 is theta */
  private readonly fast: number[] = [];
  private readonly inner: TraceAt[] = [];
  private readonly q: TraceAt;
  private readonly g: number;
  private readonly v: number;
  private readonly hv: number;
  /** R-forward activations ra[1..L-1] and two scratch rows of the widest layer */
  private readonly ra: number[] = [];
  private readonly r1: number;
  private readonly r2: number;
  private f32: Float32Array;

  constructor(kernels: MlpKernels, shape: FusedShape) {
    this.k = kernels;
    this.shape = shape;
    const p = shape.widths.map(pad4);
    this.p = p;
    this.L = p.length - 1;
    let P = 0;
    for (let l = 0; l < this.L; l++) {
      this.wOff.push(P);
      P += (p[l] as number) * (p[l + 1] as number);
      this.bOff.push(P);
      P += p[l + 1] as number;
    }
    this.P = P;
    // a bump allocator over float offsets; 16-byte aligned since every size is a multiple of 4
    // starts past the kernels' static data (Mathf's tables), so no buffer sits at byte 0 either
    let top = Math.max(16, kernels.heapBase()) / 4;
    const alloc = (n: number) => {
      const at = top;
      top += pad4(n);
      return at;
    };
    const { tasks: B, support: nS, query: nQ } = shape;
    const pIn = p[0] as number;
    const pOut = p[this.L] as number;
    this.theta = alloc(P);
    this.sum = alloc(P);
    this.sx = alloc(B * nS * pIn);
    this.sy = alloc(B * nS * pOut);
    this.qx = alloc(B * nQ * pIn);
    this.qy = alloc(B * nQ * pOut);
    const traceOf = (n: number): TraceAt => ({
      a: [0, ...Array.from({ length: this.L - 1 }, (_, l) => alloc(n * (p[l + 1] as number)))],
      out: alloc(n * pOut),
      probs: alloc(n * pOut),
      dz: Array.from({ length: this.L }, (_, l) => alloc(n * (p[l + 1] as number))),
    });
    this.fast.push(this.theta);
    for (let s = 0; s < shape.innerSteps; s++) {
      this.inner.push(traceOf(nS));
      this.fast.push(alloc(P));
    }
    this.q = traceOf(nQ);
    this.g = alloc(P);
    this.v = alloc(P);
    this.hv = alloc(P);
    const widest = Math.max(...p);
    for (let l = 1; l < this.L; l++) this.ra[l] = alloc(nS * (p[l] as number));
    this.r1 = alloc(nS * widest);
    this.r2 = alloc(nS * widest);
    const bytes = top * 4;
    const have = kernels.memory.buffer.byteLength;
    if (bytes > have) kernels.memory.grow(Math.ceil((bytes - have) / 65536));
    this.f32 = new Float32Array(kernels.memory.buffer);
  }

  /** Float offset → byte offset. */
  private b(off: number): number {
    return off * 4;
  }

  /** Copies params (unpadded, tfjs shapes) into theta's padded layout. */
  private packParams(params: readonly Float32Array[]): void {
    const f = this.f32;
    f.fill(0, this.theta, this.theta + this.P);
    const w = this.shape.widths;
    for (let l = 0; l < this.L; l++) {
      const i = w[l] as number;
      const o = w[l + 1] as number;
      const po = this.p[l + 1] as number;
      const W = params[2 * l] as Float32Array;
      const bias = params[2 * l + 1] as Float32Array;
      const at = this.theta + (this.wOff[l] as number);
      for (let r = 0; r < i; r++) f.set(W.subarray(r * o, r * o + o), at + r * po);
      f.set(bias, this.theta + (this.bOff[l] as number));
    }
  }

  /** A [rows × d] block into a [rows × pd] padded block at float offset `at`. */
  private packRows(src: Float32Array, at: number, rows: number, d: number, pd: number): void {
    const f = this.f32;
    if (d === pd) {
      f.set(src.subarray(0, rows * d), at);
      return;
    }
    f.fill(0, at, at + rows * pd);
    for (let r = 0; r < rows; r++) f.set(src.subarray(r * d, r * d + d), at + r * pd);
  }

  private unpackSum(): Float32Array[] {
    const f = this.f32;
    const w = this.shape.widths;
    const out: Float32Array[] = [];
    for (let l = 0; l < this.L; l++) {
      const i = w[l] as number;
      const o = w[l + 1] as number;
      const po = this.p[l + 1] as number;
      const W = new Float32Array(i * o);
      const at = this.sum + (this.wOff[l] as number);
      for (let r = 0; r < i; r++) W.set(f.subarray(at + r * po, at + r * po + o), r * o);
      const bAt = this.sum + (this.bOff[l] as number);
      out.push(W, f.slice(bAt, bAt + o));
    }
    return out;
  }

  /** Forward pass of params θ (float offset) on x (n rows) into trace t. */
  private forward(theta: number, x: number, n: number, t: TraceAt): void {
    const k = this.k;
    t.a[0] = x;
    for (let l = 0; l < this.L; l++) {
      const i = this.p[l] as number;
      const o = this.p[l + 1] as number;
      const dst = l < this.L - 1 ? (t.a[l + 1] as number) : t.out;
      k.mm(
        this.b(dst),
        this.b(t.a[l] as number),
        this.b(theta + (this.wOff[l] as number)),
        this.b(theta + (this.bOff[l] as number)),
        n,
        i,
        o,
        0,
      );
      if (l < this.L - 1) k.relu(this.b(dst), n * o);
    }
  }

  /** ∂(scale · loss)/∂out into t.dz[L-1]; returns the task's loss. */
  private outputGrad(t: TraceAt, y: number, n: number, scale: number): number {
    const d = this.shape.widths[this.L] as number;
    const w = this.p[this.L] as number;
    const dOut = this.b(t.dz[this.L - 1] as number);
    if (this.shape.kind === 'mse')
      return (
        this.k.mseGrad(dOut, this.b(t.out), this.b(y), n, w, d, (2 * scale) / (n * d)) / (n * d)
      );
    return this.k.ceGrad(dOut, this.b(t.probs), this.b(t.out), this.b(y), n, w, d, scale / n) / n;
  }

  /** Gradient into G (float offset) from the dz[L-1] of trace t; fills the other dz. */
  private backward(theta: number, t: TraceAt, n: number, G: number): void {
    const k = this.k;
    for (let l = this.L - 1; l >= 0; l--) {
      const i = this.p[l] as number;
      const o = this.p[l + 1] as number;
      k.mmTN(
        this.b(G + (this.wOff[l] as number)),
        this.b(G + (this.bOff[l] as number)),
        this.b(t.a[l] as number),
        this.b(t.dz[l] as number),
        n,
        i,
        o,
        0,
      );
      if (l > 0)
        k.mmT(
          this.b(t.dz[l - 1] as number),
          this.b(t.dz[l] as number),
          this.b(theta + (this.wOff[l] as number)),
          this.b(t.a[l] as number),
          n,
          o,
          i,
          0,
        );
    }
  }

  /**
   * hv ← H v: the Hessian of the support loss (scale 1) at θ (trace t, its
   * backward dz) times v, by the R-operator (see models/mlp-grads.ts).
   */
  private hessianVector(theta: number, t: TraceAt, n: number): void {
    const k = this.k;
    const { L, p, v, hv } = this;
    const W = (base: number, l: number) => this.b(base + (this.wOff[l] as number));
    const bias = (base: number, l: number) => this.b(base + (this.bOff[l] as number));
    // R-forward: ra[l+1] = (a[l]·vW + vb + ra[l]·W) ⊙ mask; the output's R lands in r1.
    for (let l = 0; l < L; l++) {
      const i = p[l] as number;
      const o = p[l + 1] as number;
      const dst = l < L - 1 ? (this.ra[l + 1] as number) : this.r1;
      k.mm(this.b(dst), this.b(t.a[l] as number), W(v, l), bias(v, l), n, i, o, 0);
      if (l > 0) k.mm(this.b(dst), this.b(this.ra[l] as number), W(theta, l), 0, n, i, o, 1);
      if (l < L - 1) k.maskBy(this.b(dst), this.b(t.a[l + 1] as number), n * o);
    }
    // R of ∂loss/∂out.
    const d = this.shape.widths[L] as number;
    const pOut = p[L] as number;
    if (this.shape.kind === 'mse') k.scale(this.b(this.r1), 2 / (n * d), n * pOut);
    else k.ceR(this.b(this.r1), this.b(t.probs), n, pOut, d, 1 / n);
    // R-backward.
    let rd = this.r1;
    let next = this.r2;
    for (let l = L - 1; l >= 0; l--) {
      const i = p[l] as number;
      const o = p[l + 1] as number;
      k.mmTN(W(hv, l), bias(hv, l), this.b(t.a[l] as number), this.b(rd), n, i, o, 0);
      if (l > 0) {
        k.mmTN(W(hv, l), 0, this.b(this.ra[l] as number), this.b(t.dz[l] as number), n, i, o, 1);
        k.mmT(this.b(next), this.b(rd), W(theta, l), 0, n, o, i, 0);
        k.mmT(
          this.b(next),
          this.b(t.dz[l] as number),
          W(v, l),
          this.b(t.a[l] as number),
          n,
          o,
          i,
          1,
        );
        [rd, next] = [next, rd];
      }
    }
  }

  /**
   * The meta-gradient (summed over tasks, each task's query loss scaled by
   * 1/B, in params order and shapes) and the mean query loss after
   * adaptation, at params θ.
   *
   * `next` hands out the tasks to run (an index ≥ B ends the run): by
   * default all of them in order. Two threads sharing one atomic counter
   * each sum (still scaled by 1/B) the tasks they claim (threads.ts).
   */
  run(
    params: readonly Float32Array[],
    batch: FusedBatch,
    next?: () => number,
  ): { loss: number; grads: Float32Array[] } {
    if (this.f32.buffer !== this.k.memory.buffer) this.f32 = new Float32Array(this.k.memory.buffer);
    const { tasks: B, support: nS, query: nQ, innerSteps: S, innerLr: lr } = this.shape;
    const k = this.k;
    const w = this.shape.widths;
    const pIn = this.p[0] as number;
    const pOut = this.p[this.L] as number;
    const dIn = w[0] as number;
    const dOut = w[this.L] as number;
    this.packParams(params);
    this.packRows(batch.supportX, this.sx, B * nS, dIn, pIn);
    this.packRows(batch.supportY, this.sy, B * nS, dOut, pOut);
    this.packRows(batch.queryX, this.qx, B * nQ, dIn, pIn);
    this.packRows(batch.queryY, this.qy, B * nQ, dOut, pOut);
    this.f32.fill(0, this.sum, this.sum + this.P);
    const P = this.P;
    let loss = 0;
    let counter = 0;
    const claim = next ?? (() => counter++);
    for (let task = claim(); task < B; task = claim()) {
      const x = this.sx + task * nS * pIn;
      const y = this.sy + task * nS * pOut;
      for (let s = 0; s < S; s++) {
        const t = this.inner[s] as TraceAt;
        const at = this.fast[s] as number;
        this.forward(at, x, nS, t);
        this.outputGrad(t, y, nS, 1);
        this.backward(at, t, nS, this.g);
        k.axpy(this.b(this.fast[s + 1] as number), this.b(at), this.b(this.g), -lr, P);
      }
      const fastS = this.fast[S] as number;
      this.forward(fastS, this.qx + task * nQ * pIn, nQ, this.q);
      loss += this.outputGrad(this.q, this.qy + task * nQ * pOut, nQ, 1 / B);
      this.backward(fastS, this.q, nQ, this.v);
      if (!this.shape.firstOrder)
        for (let s = S - 1; s >= 0; s--) {
          this.hessianVector(this.fast[s] as number, this.inner[s] as TraceAt, nS);
          k.axpy(this.b(this.v), this.b(this.v), this.b(this.hv), -lr, P);
        }
      k.axpy(this.b(this.sum), this.b(this.sum), this.b(this.v), 1, P);
    }
    return { loss: loss / B, grads: this.unpackSum() };
  }
}
