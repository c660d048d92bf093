/**
 * AssemblyScript (not TypeScript: built by `npm run build:kernels` into
 * mlp.wasm next to this folder) — the dense kernels of the fused WASM MLP
 * meta-step (../fused-step.ts orchestrates them, one task at a time).
 *
 * Memory: the caller owns the linear memory and passes byte offsets; nothing
 * here allocates. Matrices are row-major f32. Every width along which a
 * kernel vectorizes (the `o` of mm and mmTN, the `o` of mmT's dot products)
 * is a multiple of 4: the caller pads layer widths with zero units, which
 * stay zero through every pass (zero weights and bias give a ReLU input of 0,
 * whose derivative is taken as 0, as tf.step does).
 *
 * Conventions: `acc` = 1 adds to what `out` holds, 0 overwrites it.
 */

@inline function f4(p: usize): v128 {
  return v128.load(p);
}

@inline function fma(c: v128, a: v128, b: v128): v128 {
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * out[n×o] = (acc ? out : bias ? 1·biasᵀ : 0) + A[n×i] · W[i×o].
 * Vectorized along o, 16 columns (4 registers) at a time.
 */
export function mm(out: usize, A: usize, W: usize, bias: usize, n: i32, i: i32, o: i32, acc: i32): void {
  const ob = <usize>o << 2;
  for (let r = 0; r < n; r++) {
    const rowA = A + <usize>(r * i) * 4;
    const rowO = out + <usize>(r * o) * 4;
    let j = 0;
    for (; j + 16 <= o; j += 16) {
      const oj = rowO + (<usize>j << 2);
      let c0: v128, c1: v128, c2: v128, c3: v128;
      if (acc) {
        c0 = f4(oj);
        c1 = f4(oj + 16);
        c2 = f4(oj + 32);
        c3 = f4(oj + 48);
      } else if (bias) {
        const bj = bias + (<usize>j << 2);
        c0 = f4(bj);
        c1 = f4(bj + 16);
        c2 = f4(bj + 32);
        c3 = f4(bj + 48);
      } else {
        c0 = f32x4.splat(0);
        c1 = c0;
        c2 = c0;
        c3 = c0;
      }
      let w = W + (<usize>j << 2);
      for (let k = 0; k < i; k++) {
        const a = f32x4.splat(load<f32>(rowA + (<usize>k << 2)));
        c0 = fma(c0, a, f4(w));
        c1 = fma(c1, a, f4(w + 16));
        c2 = fma(c2, a, f4(w + 32));
        c3 = fma(c3, a, f4(w + 48));
        w += ob;
      }
      v128.store(oj, c0);
      v128.store(oj + 16, c1);
      v128.store(oj + 32, c2);
      v128.store(oj + 48, c3);
    }
    for (; j < o; j += 4) {
      const oj = rowO + (<usize>j << 2);
      let c: v128 = acc ? f4(oj) : bias ? f4(bias + (<usize>j << 2)) : f32x4.splat(0);
      let w = W + (<usize>j << 2);
      for (let k = 0; k < i; k++) {
        c = fma(c, f32x4.splat(load<f32>(rowA + (<usize>k << 2))), f4(w));
        w += ob;
      }
      v128.store(oj, c);
    }
  }
}

/**
 * out[n×i] = ((acc ? out : 0) + D[n×o] · W[i×o]ᵀ) ⊙ (mask ? [mask > 0] : 1):
 * the backward pass through a layer, with the ReLU derivative of the layer
 * below read from its activations (relu(z) > 0 exactly where z > 0).
 */
export function mmT(out: usize, D: usize, W: usize, mask: usize, n: i32, o: i32, i: i32, acc: i32): void {
  const ob = <usize>o << 2;
  for (let r = 0; r < n; r++) {
    const rowD = D + <usize>r * ob;
    const rowO = out + <usize>(r * i) * 4;
    const rowM = mask + <usize>(r * i) * 4;
    for (let k = 0; k < i; k++) {
      const rowW = W + <usize>k * ob;
      let c = f32x4.splat(0);
      for (let j = 0; j < o; j += 4) {
        const jb = <usize>j << 2;
        c = fma(c, f4(rowD + jb), f4(rowW + jb));
      }
      let s =
        f32x4.extract_lane(c, 0) +
        f32x4.extract_lane(c, 1) +
        (f32x4.extract_lane(c, 2) + f32x4.extract_lane(c, 3));
      const p = rowO + (<usize>k << 2);
      if (acc) s += load<f32>(p);
      if (mask && load<f32>(rowM + (<usize>k << 2)) <= 0) s = 0;
      store<f32>(p, s);
    }
  }
}

/**
 * G[i×o] = (acc ? G : 0) + A[n×i]ᵀ · D[n×o]: a weight gradient. When gb is
 * not 0 it also writes gb[o] = (acc ? gb : 0) + Σ_r D[r] (the bias gradient).
 */
export function mmTN(G: usize, gb: usize, A: usize, D: usize, n: i32, i: i32, o: i32, acc: i32): void {
  const ob = <usize>o << 2;
  for (let k = 0; k < i; k++) {
    const rowG = G + <usize>k * ob;
    let j = 0;
    for (; j + 16 <= o; j += 16) {
      const gj = rowG + (<usize>j << 2);
      let c0: v128, c1: v128, c2: v128, c3: v128;
      if (acc) {
        c0 = f4(gj);
        c1 = f4(gj + 16);
        c2 = f4(gj + 32);
        c3 = f4(gj + 48);
      } else {
        c0 = f32x4.splat(0);
        c1 = c0;
        c2 = c0;
        c3 = c0;
      }
      let d = D + (<usize>j << 2);
      let a = A + (<usize>k << 2);
      const ib = <usize>i << 2;
      for (let r = 0; r < n; r++) {
        const s = f32x4.splat(load<f32>(a));
        c0 = fma(c0, s, f4(d));
        c1 = fma(c1, s, f4(d + 16));
        c2 = fma(c2, s, f4(d + 32));
        c3 = fma(c3, s, f4(d + 48));
        d += ob;
        a += ib;
      }
      v128.store(gj, c0);
      v128.store(gj + 16, c1);
      v128.store(gj + 32, c2);
      v128.store(gj + 48, c3);
    }
    for (; j < o; j += 4) {
      const gj = rowG + (<usize>j << 2);
      let c: v128 = acc ? f4(gj) : f32x4.splat(0);
      let d = D + (<usize>j << 2);
      let a = A + (<usize>k << 2);
      for (let r = 0; r < n; r++) {
        c = fma(c, f32x4.splat(load<f32>(a)), f4(d));
        d += ob;
        a += <usize>i << 2;
      }
      v128.store(gj, c);
    }
  }
  if (gb) {
    for (let j = 0; j < o; j += 4) {
      const p = gb + (<usize>j << 2);
      let c: v128 = acc ? f4(p) : f32x4.splat(0);
      for (let r = 0; r < n; r++) c = f32x4.add(c, f4(D + <usize>r * ob + (<usize>j << 2)));
      v128.store(p, c);
    }
  }
}

/** x ← max(x, 0) over len floats (len a multiple of 4). */
export function relu(x: usize, len: i32): void {
  const z = f32x4.splat(0);
  for (let j = 0; j < len; j += 4) {
    const p = x + (<usize>j << 2);
    v128.store(p, f32x4.max(f4(p), z));
  }
}

/** x ← x ⊙ [mask > 0] over len floats (len a multiple of 4). */
export function maskBy(x: usize, mask: usize, len: i32): void {
  const z = f32x4.splat(0);
  for (let j = 0; j < len; j += 4) {
    const p = x + (<usize>j << 2);
    const keep = f32x4.gt(f4(mask + (<usize>j << 2)), z);
    v128.store(p, v128.and(f4(p), keep));
  }
}

/** out ← x + alpha · y over len floats (len a multiple of 4; out may alias x or y). */
export function axpy(out: usize, x: usize, y: usize, alpha: f32, len: i32): void {
  const a = f32x4.splat(alpha);
  for (let j = 0; j < len; j += 4) {
    const b = <usize>j << 2;
    v128.store(out + b, fma(f4(x + b), a, f4(y + b)));
  }
}

/**
 * Mean squared error's output gradient: d[r, j] = c · (out − y) for the d
 * real outputs of each row (w columns with padding, left 0). Returns
 * Σ (out − y)² over the real entries.
 */
export function mseGrad(dOut: usize, out: usize, y: usize, n: i32, w: i32, d: i32, c: f32): f32 {
  let sum: f32 = 0;
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < w; j++) {
      const q = <usize>(r * w + j) << 2;
      if (j < d) {
        const e = load<f32>(out + q) - load<f32>(y + q);
        sum += e * e;
        store<f32>(dOut + q, c * e);
      } else store<f32>(dOut + q, 0);
    }
  }
  return sum;
}

/**
 * Cross-entropy with one-hot y: writes the softmax of each row's d real
 * logits to probs and c · (p − y) to dOut (padding 0). Returns
 * Σ_r −Σ_j y log p, log p from a max-shifted log-sum-exp.
 */
export function ceGrad(dOut: usize, probs: usize, out: usize, y: usize, n: i32, w: i32, d: i32, c: f32): f32 {
  let loss: f32 = 0;
  for (let r = 0; r < n; r++) {
    const row = <usize>(r * w) << 2;
    let m = load<f32>(out + row);
    for (let j = 1; j < d; j++) m = max(m, load<f32>(out + row + (<usize>j << 2)));
    let s: f32 = 0;
    for (let j = 0; j < d; j++) {
      const e = Mathf.exp(load<f32>(out + row + (<usize>j << 2)) - m);
      store<f32>(probs + row + (<usize>j << 2), e);
      s += e;
    }
    const lse = Mathf.log(s);
    for (let j = 0; j < w; j++) {
      const q = row + (<usize>j << 2);
      if (j < d) {
        const p = load<f32>(probs + q) / s;
        const yy = load<f32>(y + q);
        store<f32>(probs + q, p);
        store<f32>(dOut + q, c * (p - yy));
        loss -= yy * (load<f32>(out + q) - m - lse);
      } else {
        store<f32>(probs + q, 0);
        store<f32>(dOut + q, 0);
      }
    }
  }
  return loss;
}

/**
 * R{∂loss/∂out} for cross-entropy: rd = c · (p ⊙ r − p Σ_j p ⊙ r) per row
 * (in place over r, padding left 0). For MSE the caller scales r by c.
 */
export function ceR(r: usize, probs: usize, n: i32, w: i32, d: i32, c: f32): void {
  for (let i = 0; i < n; i++) {
    const row = <usize>(i * w) << 2;
    let s: f32 = 0;
    for (let j = 0; j < d; j++) {
      const q = row + (<usize>j << 2);
      s += load<f32>(probs + q) * load<f32>(r + q);
    }
    for (let j = 0; j < w; j++) {
      const q = row + (<usize>j << 2);
      if (j < d) {
        const p = load<f32>(probs + q);
        store<f32>(r + q, c * (p * load<f32>(r + q) - p * s));
      } else store<f32>(r + q, 0);
    }
  }
}

/** x ← c · x over len floats (len a multiple of 4). */
export function scale(x: usize, c: f32, len: i32): void {
  const a = f32x4.splat(c);
  for (let j = 0; j < len; j += 4) {
    const p = x + (<usize>j << 2);
    v128.store(p, f32x4.mul(f4(p), a));
  }
}

/**
 * The first byte the caller may use: below it lie this module's static data
 * (the tables of Mathf.exp and Mathf.log), which the caller must not overwrite.
 */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
