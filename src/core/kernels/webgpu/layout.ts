/**
 * Where every number of the fused WebGPU meta-step lives: pure arithmetic on
 * the layer sizes, shared by the WGSL generator (which bakes the offsets in
 * as constants) and the host code (which sizes and fills the buffers). No
 * GPU, no tfjs: unit-tested in Node.
 *
 * Buffers (all f32):
 * - params: region 0 is θ (the meta-parameters, [W0, b0, W1, b1, …] flat,
 *   W row-major [in, out] as in mlp.ts); then per task b and inner step
 *   s = 1…S the fast weights θ_{b,s}, at P · (1 + b·S + s − 1).
 * - data: per task one block [sx, sy, qx, qy], each row-major [n, d].
 * - scratch: per task one block: for each inner step its support trace
 *   (hidden activations, output or softmax, and the backward pass's dz per
 *   layer), the query trace, the R-pass buffers of the Hessian-vector
 *   product, the adjoint V and H·V (P each), the row losses and the task's
 *   loss.
 */

export interface MlpShape {
  /** [input, hidden…, output] */
  dims: number[];
  /** support rows per task */
  nS: number;
  /** query rows per task */
  nQ: number;
  /** inner SGD steps during meta-training (≥ 0) */
  steps: number;
}

export interface TraceLayout {
  /** offset of the activation a[l] for l = 1…L−1 (index 0 unused: a[0] is the input in data) */
  act: number[];
  /** network output (MSE) or its softmax (cross-entropy), [n, out] */
  out: number;
  /** dz[l] of the backward pass, [n, dims[l+1]], l = 0…L−1 */
  dz: number[];
  size: number;
}

export interface Layout {
  dims: number[];
  layers: number;
  /** total parameter count P */
  P: number;
  /** offset of W_l and b_l in a params block */
  wOff: number[];
  bOff: number[];
  /** floats per task in data and its four parts */
  dataSize: number;
  sx: number;
  sy: number;
  qx: number;
  qy: number;
  /** support trace of inner step s starts at scratch offset s · support.size */
  support: TraceLayout;
  query: TraceLayout;
  queryBase: number;
  /** R-forward activations ra[l] (l = 1…L−1) and the two R-backward buffers */
  ra: number[];
  rd: [number, number];
  V: number;
  HV: number;
  /** per-row losses of the query set */
  rowLoss: number;
  loss: number;
  /** floats per task in scratch */
  scratchSize: number;
}

function traceLayout(dims: number[], n: number, base: number): TraceLayout {
  const L = dims.length - 1;
  let o = base;
  const act: number[] = [0];
  for (let l = 1; l < L; l++) {
    act.push(o);
    o += n * (dims[l] as number);
  }
  const out = o;
  o += n * (dims[L] as number);
  const dz: number[] = [];
  for (let l = 0; l < L; l++) {
    dz.push(o);
    o += n * (dims[l + 1] as number);
  }
  return { act, out, dz, size: o - base };
}

export function layoutOf(s: MlpShape): Layout {
  const { dims, nS, nQ, steps } = s;
  const L = dims.length - 1;
  if (L < 1) throw new Error('an MLP needs at least one layer');
  const wOff: number[] = [];
  const bOff: number[] = [];
  let P = 0;
  for (let l = 0; l < L; l++) {
    const i = dims[l] as number;
    const o = dims[l + 1] as number;
    wOff.push(P);
    P += i * o;
    bOff.push(P);
    P += o;
  }
  const din = dims[0] as number;
  const dout = dims[L] as number;
  const sx = 0;
  const sy = sx + nS * din;
  const qx = sy + nS * dout;
  const qy = qx + nQ * din;
  const dataSize = qy + nQ * dout;
  const support = traceLayout(dims, nS, 0);
  const queryBase = steps * support.size;
  const query = traceLayout(dims, nQ, queryBase);
  let o = queryBase + query.size;
  const ra: number[] = [0];
  for (let l = 1; l < L; l++) {
    ra.push(o);
    o += nS * (dims[l] as number);
  }
  const widest = Math.max(...dims.slice(1));
  const rd: [number, number] = [o, o + nS * widest];
  o += 2 * nS * widest;
  const V = o;
  o += P;
  const HV = o;
  o += P;
  const rowLoss = o;
  o += nQ;
  const loss = o;
  o += 1;
  return {
    dims,
    layers: L,
    P,
    wOff,
    bOff,
    dataSize,
    sx,
    sy,
    qx,
    qy,
    support,
    query,
    queryBase,
    ra,
    rd,
    V,
    HV,
    rowLoss,
    loss,
    scratchSize: o,
  };
}

/** Bytes of each buffer for B tasks. */
export function bufferBytes(l: Layout, steps: number, B: number) {
  return {
    params: 4 * l.P * (1 + B * steps),
    data: 4 * l.dataSize * B,
    scratch: 4 * l.scratchSize * B,
  };
}

/** One task-batched episode set packed as the data buffer wants it (per task: sx, sy, qx, qy). */
export function packData(
  l: Layout,
  b: {
    tasks: number;
    support: number;
    query: number;
    supportX: Float32Array;
    supportY: Float32Array;
    queryX: Float32Array;
    queryY: Float32Array;
  },
  out: Float32Array,
): void {
  const din = l.dims[0] as number;
  const dout = l.dims[l.layers] as number;
  const nS = b.support;
  const nQ = b.query;
  for (let t = 0; t < b.tasks; t++) {
    const base = t * l.dataSize;
    out.set(b.supportX.subarray(t * nS * din, (t + 1) * nS * din), base + l.sx);
    out.set(b.supportY.subarray(t * nS * dout, (t + 1) * nS * dout), base + l.sy);
    out.set(b.queryX.subarray(t * nQ * din, (t + 1) * nQ * din), base + l.qx);
    out.set(b.queryY.subarray(t * nQ * dout, (t + 1) * nQ * dout), base + l.qy);
  }
}
