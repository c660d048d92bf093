/**
 * WGSL of the fused MLP meta-step, generated per network shape (layer sizes,
 * support and query rows, inner steps, loss, first or second order) with
 * every offset of layout.ts baked in as a constant.
 *
 * Two kernels make one meta-step, whatever the number of inner steps:
 * - `taskKernel`: one workgroup per task does the whole of that task's
 *   meta-gradient — S inner SGD steps on the support set (forward, output
 *   gradient, backward, fast weights), the query pass and its backward pass
 *   (the adjoint V, scaled 1/B), and for second order the reverse sweep
 *   V ← V − α H_s V over the inner steps, H_s V by Pearlmutter's R-operator.
 *   The maths is models/mlp-grads.ts and algorithms/maml.ts element by
 *   element; the phases are separated by storageBarrier() (every loop bound
 *   is a constant, so the barriers sit in uniform control flow).
 * - `reduceKernel`: one invocation per parameter sums the tasks' V (the
 *   meta-gradient), adds weight decay and applies the meta-optimizer (Adam,
 *   Adagrad or SGD with momentum, flat-optimizer.ts's rules); invocation 0
 *   also writes the mean query loss.
 *
 * Inside a phase each invocation owns whole output elements (strided by the
 * workgroup size), so no atomics are needed and sums run in a fixed order.
 */
import type { Layout, MlpShape } from './layout';

export type LossKind = 'mse' | 'ce';

export interface KernelKey extends MlpShape {
  kind: LossKind;
  firstOrder: boolean;
}

/** Invocations per workgroup of the task kernel (the default limit is 256). */
export const TASK_WORKGROUP = 128;
/** Invocations per workgroup of the reduce kernel. */
export const REDUCE_WORKGROUP = 64;

/** Uniforms shared by both kernels: 8 four-byte fields. */
export const UNIFORM_FLOATS = 8;
export const OPTIMIZER_KIND = { adam: 0, adagrad: 1, 'sgd-momentum': 2 } as const;
/** The reduce kernel's kind that writes the meta-gradient and the loss and leaves θ alone. */
export const GRADIENT_ONLY = 3;

const UNIFORMS = /* wgsl */ `
struct U {
  B: u32,
  kind: u32,
  alpha: f32,
  // Adam: −lr·√(1−β2ᵗ)/(1−β1ᵗ); Adagrad and momentum: −lr
  scale: f32,
  b1: f32,
  b2: f32,
  // Adam: ε·√(1−β2ᵗ); Adagrad: ε
  eps: f32,
  wd: f32,
}`;

const u = (n: number) => `${n}u`;
/** An f32 literal (always with a point or an exponent, so WGSL never reads it as an integer). */
const f = (x: number) => (Number.isInteger(x) ? `${x}.0` : `${x}`);

/** A source of rows [n, width]: the array and the base expression. */
interface Rows {
  arr: 'dat' | 'scr';
  base: string;
}

function forwardLayer(
  l: Layout,
  layer: number,
  n: number,
  input: Rows,
  p: string,
  out: string,
  relu: boolean,
): string {
  const i = l.dims[layer] as number;
  const o = l.dims[layer + 1] as number;
  return `
  for (var e = lid; e < ${u(n * o)}; e += WG) {
    let r = e / ${u(o)};
    let j = e % ${u(o)};
    var acc = prm[${p} + ${u(l.bOff[layer] as number)} + j];
    for (var k = 0u; k < ${u(i)}; k++) {
      acc += ${input.arr}[${input.base} + r * ${u(i)} + k] * prm[${p} + ${u(l.wOff[layer] as number)} + k * ${u(o)} + j];
    }
    scr[${out} + e] = ${relu ? 'max(acc, 0.0)' : 'acc'};
  }
  storageBarrier();`;
}

/** The trace's forward pass: activations and the output (or its softmax, with the output gradient). */
function forward(l: Layout, n: number, x: string, p: string, T: string, trace: Layout['support']) {
  let code = '';
  for (let layer = 0; layer < l.layers; layer++) {
    const input: Rows =
      layer === 0
        ? { arr: 'dat', base: x }
        : { arr: 'scr', base: `${T} + ${u(trace.act[layer] as number)}` };
    const last = layer === l.layers - 1;
    const out = last ? `${T} + ${u(trace.out)}` : `${T} + ${u(trace.act[layer + 1] as number)}`;
    code += forwardLayer(l, layer, n, input, p, out, !last);
  }
  return code;
}

/**
 * ∂(scale · loss)/∂out into dz[L−1]; the query pass also writes each row's
 * loss and the task's mean loss. Cross-entropy replaces the output by its
 * softmax (the R-pass needs it) and takes log p from log-sum-exp.
 */
function outputGrad(
  l: Layout,
  kind: LossKind,
  n: number,
  y: string,
  T: string,
  trace: Layout['support'],
  scale: string,
  lossAt: string | null,
): string {
  const o = l.dims[l.layers] as number;
  const out = `${T} + ${u(trace.out)}`;
  const dz = `${T} + ${u(trace.dz[l.layers - 1] as number)}`;
  const rowLoss = lossAt ? `scr[${lossAt.split('|')[0]} + r] = rl;` : '';
  let code: string;
  if (kind === 'mse')
    code = `
  for (var r = lid; r < ${u(n)}; r += WG) {
    var rl = 0.0;
    for (var j = 0u; j < ${u(o)}; j++) {
      let e = scr[${out} + r * ${u(o)} + j] - dat[${y} + r * ${u(o)} + j];
      rl += e * e / ${o}.0;
      scr[${dz} + r * ${u(o)} + j] = e * (2.0 * ${scale} / ${n * o}.0);
    }
    ${rowLoss}
  }
  storageBarrier();`;
  else
    code = `
  for (var r = lid; r < ${u(n)}; r += WG) {
    var m = scr[${out} + r * ${u(o)}];
    for (var j = 1u; j < ${u(o)}; j++) { m = max(m, scr[${out} + r * ${u(o)} + j]); }
    var sum = 0.0;
    for (var j = 0u; j < ${u(o)}; j++) { sum += exp(scr[${out} + r * ${u(o)} + j] - m); }
    let lse = log(sum);
    var rl = 0.0;
    for (var j = 0u; j < ${u(o)}; j++) {
      let logp = scr[${out} + r * ${u(o)} + j] - m - lse;
      let yj = dat[${y} + r * ${u(o)} + j];
      let pj = exp(logp);
      rl -= yj * logp;
      scr[${out} + r * ${u(o)} + j] = pj;
      scr[${dz} + r * ${u(o)} + j] = (pj - yj) * (${scale} / ${n}.0);
    }
    ${rowLoss}
  }
  storageBarrier();`;
  if (lossAt) {
    const [rows, loss] = lossAt.split('|') as [string, string];
    code += `
  if (lid == 0u) {
    var t = 0.0;
    for (var r = 0u; r < ${u(n)}; r++) { t += scr[${rows} + r]; }
    scr[${loss}] = t / ${n}.0;
  }`;
  }
  return code;
}

/**
 * The backward pass from dz[L−1]: each layer's weight and bias gradient goes
 * to `write` (an inner step writes the fast weights p − α g, the query pass
 * the adjoint V), then dz of the layer below through the ReLU mask.
 */
function backward(
  l: Layout,
  n: number,
  x: string,
  p: string,
  T: string,
  trace: Layout['support'],
  write: (offset: string, g: string) => string,
): string {
  let code = '';
  for (let layer = l.layers - 1; layer >= 0; layer--) {
    const i = l.dims[layer] as number;
    const o = l.dims[layer + 1] as number;
    const a =
      layer === 0
        ? { arr: 'dat', base: x }
        : { arr: 'scr', base: `${T} + ${u(trace.act[layer] as number)}` };
    const dz = `${T} + ${u(trace.dz[layer] as number)}`;
    code += `
  for (var e = lid; e < ${u(i * o)}; e += WG) {
    let k = e / ${u(o)};
    let j = e % ${u(o)};
    var g = 0.0;
    for (var r = 0u; r < ${u(n)}; r++) {
      g += ${a.arr}[${a.base} + r * ${u(i)} + k] * scr[${dz} + r * ${u(o)} + j];
    }
    ${write(`${u(l.wOff[layer] as number)} + e`, 'g')}
  }
  for (var j = lid; j < ${u(o)}; j += WG) {
    var g = 0.0;
    for (var r = 0u; r < ${u(n)}; r++) { g += scr[${dz} + r * ${u(o)} + j]; }
    ${write(`${u(l.bOff[layer] as number)} + j`, 'g')}
  }`;
    if (layer > 0) {
      const below = `${T} + ${u(trace.dz[layer - 1] as number)}`;
      code += `
  for (var e = lid; e < ${u(n * i)}; e += WG) {
    let r = e / ${u(i)};
    let k = e % ${u(i)};
    var acc = 0.0;
    if (scr[${a.base} + e] > 0.0) {
      for (var j = 0u; j < ${u(o)}; j++) {
        acc += scr[${dz} + r * ${u(o)} + j] * prm[${p} + ${u(l.wOff[layer] as number)} + k * ${u(o)} + j];
      }
    }
    scr[${below} + e] = acc;
  }`;
    }
    code += `
  storageBarrier();`;
  }
  return code;
}

/**
 * H·V at inner step s's params p (support set, loss scale 1) into HV, then
 * V ← V − α H·V: the R-forward (directional derivatives ra of the
 * activations), R of the output gradient, and the R-backward, as
 * hessianVector in mlp-grads.ts.
 */
function hessianVector(l: Layout, kind: LossKind, n: number, x: string, p: string, T: string) {
  const tr = l.support;
  const L = l.layers;
  const V = `S0 + ${u(l.V)}`;
  const HV = `S0 + ${u(l.HV)}`;
  const rd = l.rd.map((o) => `S0 + ${u(o)}`);
  const actOf = (layer: number) =>
    layer === 0
      ? { arr: 'dat', base: x }
      : { arr: 'scr', base: `${T} + ${u(tr.act[layer] as number)}` };
  let code = '';
  for (let layer = 0; layer < L; layer++) {
    const i = l.dims[layer] as number;
    const o = l.dims[layer + 1] as number;
    const a = actOf(layer);
    const w = u(l.wOff[layer] as number);
    const fromPrev =
      layer > 0
        ? `
    for (var k = 0u; k < ${u(i)}; k++) {
      acc += scr[S0 + ${u(l.ra[layer] as number)} + r * ${u(i)} + k] * prm[${p} + ${w} + k * ${u(o)} + j];
    }`
        : '';
    const store =
      layer < L - 1
        ? `scr[S0 + ${u(l.ra[layer + 1] as number)} + e] = select(0.0, acc, scr[${T} + ${u(tr.act[layer + 1] as number)} + e] > 0.0);`
        : `scr[${rd[0]} + e] = acc;`;
    code += `
  for (var e = lid; e < ${u(n * o)}; e += WG) {
    let r = e / ${u(o)};
    let j = e % ${u(o)};
    var acc = scr[${V} + ${u(l.bOff[layer] as number)} + j];
    for (var k = 0u; k < ${u(i)}; k++) {
      acc += ${a.arr}[${a.base} + r * ${u(i)} + k] * scr[${V} + ${w} + k * ${u(o)} + j];
    }${fromPrev}
    ${store}
  }
  storageBarrier();`;
  }
  const o = l.dims[L] as number;
  if (kind === 'mse')
    code += `
  for (var e = lid; e < ${u(n * o)}; e += WG) { scr[${rd[0]} + e] *= ${f(2 / (n * o))}; }
  storageBarrier();`;
  else
    code += `
  for (var r = lid; r < ${u(n)}; r += WG) {
    var sp = 0.0;
    for (var j = 0u; j < ${u(o)}; j++) {
      sp += scr[${T} + ${u(tr.out)} + r * ${u(o)} + j] * scr[${rd[0]} + r * ${u(o)} + j];
    }
    for (var j = 0u; j < ${u(o)}; j++) {
      let pj = scr[${T} + ${u(tr.out)} + r * ${u(o)} + j];
      let q = r * ${u(o)} + j;
      scr[${rd[0]} + q] = (pj * scr[${rd[0]} + q] - pj * sp) / ${n}.0;
    }
  }
  storageBarrier();`;
  for (let layer = L - 1; layer >= 0; layer--) {
    const i = l.dims[layer] as number;
    const o2 = l.dims[layer + 1] as number;
    const a = actOf(layer);
    const w = u(l.wOff[layer] as number);
    const cur = rd[(L - 1 - layer) % 2] as string;
    const next = rd[(L - layer) % 2] as string;
    const dz = `${T} + ${u(tr.dz[layer] as number)}`;
    const ra =
      layer > 0
        ? `
      g += scr[S0 + ${u(l.ra[layer] as number)} + r * ${u(i)} + k] * scr[${dz} + r * ${u(o2)} + j];`
        : '';
    code += `
  for (var e = lid; e < ${u(i * o2)}; e += WG) {
    let k = e / ${u(o2)};
    let j = e % ${u(o2)};
    var g = 0.0;
    for (var r = 0u; r < ${u(n)}; r++) {
      g += ${a.arr}[${a.base} + r * ${u(i)} + k] * scr[${cur} + r * ${u(o2)} + j];${ra}
    }
    scr[${HV} + ${w} + e] = g;
  }
  for (var j = lid; j < ${u(o2)}; j += WG) {
    var g = 0.0;
    for (var r = 0u; r < ${u(n)}; r++) { g += scr[${cur} + r * ${u(o2)} + j]; }
    scr[${HV} + ${u(l.bOff[layer] as number)} + j] = g;
  }`;
    if (layer > 0)
      code += `
  for (var e = lid; e < ${u(n * i)}; e += WG) {
    let r = e / ${u(i)};
    let k = e % ${u(i)};
    var acc = 0.0;
    if (scr[${a.base} + e] > 0.0) {
      for (var j = 0u; j < ${u(o2)}; j++) {
        acc += scr[${cur} + r * ${u(o2)} + j] * prm[${p} + ${w} + k * ${u(o2)} + j]
             + scr[${dz} + r * ${u(o2)} + j] * scr[${V} + ${w} + k * ${u(o2)} + j];
      }
    }
    scr[${next} + e] = acc;
  }`;
    code += `
  storageBarrier();`;
  }
  code += `
  for (var e = lid; e < ${u(l.P)}; e += WG) { scr[${V} + e] -= u.alpha * scr[${HV} + e]; }
  storageBarrier();`;
  return code;
}

/** The per-task kernel: dispatch B workgroups. */
export function taskKernel(l: Layout, key: KernelKey): string {
  const S = key.steps;
  const P = l.P;
  const sx = `D0 + ${u(l.sx)}`;
  const sy = `D0 + ${u(l.sy)}`;
  const qx = `D0 + ${u(l.qx)}`;
  const qy = `D0 + ${u(l.qy)}`;
  const fast = (s: string) => `${u(P)} * (1u + b * ${u(S)} + ${s})`;
  const inner =
    S > 0
      ? `
  for (var s = 0u; s < ${u(S)}; s++) {
    let pIn = select(${fast('s - 1u')}, 0u, s == 0u);
    let pOut = ${fast('s')};
    let T = S0 + s * ${u(l.support.size)};
    ${forward(l, key.nS, sx, 'pIn', 'T', l.support)}
    ${outputGrad(l, key.kind, key.nS, sy, 'T', l.support, '1.0', null)}
    ${backward(l, key.nS, sx, 'pIn', 'T', l.support, (o, g) => `prm[pOut + ${o}] = prm[pIn + ${o}] - u.alpha * ${g};`)}
  }`
      : '';
  const pQ = S > 0 ? fast(u(S - 1)) : '0u';
  // the query trace's offsets already include queryBase
  const TQ = 'S0';
  const query = `
  {
    let pQ = ${pQ};
    let T = ${TQ};
    let qscale = 1.0 / f32(u.B);
    ${forward(l, key.nQ, qx, 'pQ', 'T', l.query)}
    ${outputGrad(l, key.kind, key.nQ, qy, 'T', l.query, 'qscale', `S0 + ${u(l.rowLoss)}|S0 + ${u(l.loss)}`)}
    ${backward(l, key.nQ, qx, 'pQ', 'T', l.query, (o, g) => `scr[S0 + ${u(l.V)} + ${o}] = ${g};`)}
  }`;
  const reverse =
    !key.firstOrder && S > 0
      ? `
  for (var t = 0u; t < ${u(S)}; t++) {
    let s = ${u(S - 1)} - t;
    let p = select(${fast('s - 1u')}, 0u, s == 0u);
    let T = S0 + s * ${u(l.support.size)};
    ${hessianVector(l, key.kind, key.nS, sx, 'p', 'T')}
  }`
      : '';
  return `${UNIFORMS}
@group(0) @binding(0) var<storage, read_write> prm: array<f32>;
@group(0) @binding(1) var<storage, read> dat: array<f32>;
@group(0) @binding(2) var<storage, read_write> scr: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
const WG = ${u(TASK_WORKGROUP)};

@compute @workgroup_size(${TASK_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.x;
  let S0 = b * ${u(l.scratchSize)};
  let D0 = b * ${u(l.dataSize)};
${inner}
${query}
${reverse}
}
`;
}

/** The reduce + meta-optimizer kernel: dispatch ceil(P / REDUCE_WORKGROUP) workgroups. */
export function reduceKernel(l: Layout): string {
  const P = l.P;
  return `${UNIFORMS}
@group(0) @binding(0) var<storage, read_write> prm: array<f32>;
@group(0) @binding(1) var<storage, read> scr: array<f32>;
@group(0) @binding(2) var<storage, read_write> opt: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad: array<f32>;
@group(0) @binding(4) var<storage, read_write> loss: array<f32>;
@group(0) @binding(5) var<uniform> u: U;

@compute @workgroup_size(${REDUCE_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i == 0u) {
    var t = 0.0;
    for (var b = 0u; b < u.B; b++) { t += scr[b * ${u(l.scratchSize)} + ${u(l.loss)}]; }
    loss[0] = t / f32(u.B);
  }
  if (i >= ${u(P)}) { return; }
  var g = 0.0;
  for (var b = 0u; b < u.B; b++) { g += scr[b * ${u(l.scratchSize)} + ${u(l.V)} + i]; }
  grad[i] = g;
  g += u.wd * prm[i];
  var delta = 0.0;
  if (u.kind == 0u) {
    let m = u.b1 * opt[i] + (1.0 - u.b1) * g;
    let v = u.b2 * opt[${u(P)} + i] + (1.0 - u.b2) * g * g;
    opt[i] = m;
    opt[${u(P)} + i] = v;
    delta = u.scale * (m / (sqrt(v) + u.eps));
  } else if (u.kind == 1u) {
    let a = opt[i] + g * g;
    opt[i] = a;
    delta = u.scale * (g / sqrt(a + u.eps));
  } else if (u.kind == 2u) {
    let m = 0.9 * opt[i] + g;
    opt[i] = m;
    delta = u.scale * m;
  }
  prm[i] = prm[i] + delta;
}
`;
}
