/**
 * Loads the fused MLP kernels (assembly/mlp.ts, compiled to mlp.wasm and
 * inlined as base64 in mlp-wasm.ts by `npm run build:kernels`) into a fresh
 * WebAssembly instance over its own memory. Synchronous: the module is a few
 * kilobytes, which browsers compile synchronously even on the main thread, so
 * a Learner can be built without awaiting anything; the same code runs in the
 * worker and in Node.
 *
 * Where WebAssembly SIMD is missing (an old browser, a flag), kernelsOrReason
 * says so in words instead of failing to compile.
 */
import { MLP_WASM_BASE64 } from './mlp-wasm';

/** The exports of assembly/mlp.ts (byte offsets into `memory`, see there). */
export interface MlpKernels {
  memory: WebAssembly.Memory;
  mm(
    out: number,
    A: number,
    W: number,
    bias: number,
    n: number,
    i: number,
    o: number,
    acc: number,
  ): void;
  mmT(
    out: number,
    D: number,
    W: number,
    mask: number,
    n: number,
    o: number,
    i: number,
    acc: number,
  ): void;
  mmTN(
    G: number,
    gb: number,
    A: number,
    D: number,
    n: number,
    i: number,
    o: number,
    acc: number,
  ): void;
  relu(x: number, len: number): void;
  maskBy(x: number, mask: number, len: number): void;
  axpy(out: number, x: number, y: number, alpha: number, len: number): void;
  mseGrad(dOut: number, out: number, y: number, n: number, w: number, d: number, c: number): number;
  ceGrad(
    dOut: number,
    probs: number,
    out: number,
    y: number,
    n: number,
    w: number,
    d: number,
    c: number,
  ): number;
  ceR(r: number, probs: number, n: number, w: number, d: number, c: number): void;
  scale(x: number, c: number, len: number): void;
  /** the first byte past the module's static data, 16-byte aligned */
  heapBase(): number;
}

/** The smallest module using a v128 instruction: (func (result v128) i32x4.splat(i32.const 0)) drop. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 17, 26,
  11,
]);

/** Whether this engine runs WebAssembly SIMD (feature-detected, never assumed). */
export function hasWasmSimd(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let compiled: WebAssembly.Module | null = null;

/** A new instance of the kernels with its own memory (initial pages; callers grow it). */
export function instantiateKernels(): MlpKernels {
  compiled ??= new WebAssembly.Module(decodeBase64(MLP_WASM_BASE64));
  const memory = new WebAssembly.Memory({ initial: 1 });
  const inst = new WebAssembly.Instance(compiled, { env: { memory } });
  return { ...(inst.exports as unknown as Omit<MlpKernels, 'memory'>), memory };
}

/** The kernels, or why this platform cannot run them. */
export function kernelsOrReason(): MlpKernels | string {
  if (!hasWasmSimd()) return 'this browser has no WebAssembly SIMD';
  try {
    return instantiateKernels();
  } catch (e) {
    return `the fused WASM kernels failed to load: ${e instanceof Error ? e.message : String(e)}`;
  }
}
