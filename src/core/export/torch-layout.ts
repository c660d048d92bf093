/**
 * The engine's MLP parameters in the layout and under the names a plain
 * PyTorch `nn.Sequential(Linear, ReLU, …, Linear)` of the same sizes
 * expects in its state_dict: layer l is module 2l (the ReLUs take the odd
 * indices), so its tensors are "2l.weight" [out, in] — the transpose of the
 * engine's W [in, out] — and "2l.bias" [out].
 *
 * Meta-SGD's learned inner rates have the weights' shapes and get the same
 * names and the same transpose; they are written to their own file so that
 * the weights file loads with `load_state_dict(strict=True)`.
 */
import { layerSizes, type MlpSpec } from '../spec/model';
import type { NamedTensor } from './safetensors';

/** W [rows, cols] row-major → Wᵀ [cols, rows] row-major. */
export function transpose2d(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c] as number;
  return out;
}

/**
 * Named torch tensors from arrays in the engine's order [W0, b0, W1, b1, …]
 * (the weights only, or the rates only: both have these shapes).
 */
export function mlpTorchTensors(spec: MlpSpec, arrays: readonly Float32Array[]): NamedTensor[] {
  const sizes = layerSizes(spec);
  const layers = sizes.length - 1;
  if (arrays.length !== 2 * layers)
    throw new Error(`an MLP with ${layers} layers has ${2 * layers} tensors, got ${arrays.length}`);
  const out: NamedTensor[] = [];
  for (let l = 0; l < layers; l++) {
    const fanIn = sizes[l] as number;
    const fanOut = sizes[l + 1] as number;
    const w = arrays[2 * l] as Float32Array;
    const b = arrays[2 * l + 1] as Float32Array;
    out.push({
      name: `${2 * l}.weight`,
      shape: [fanOut, fanIn],
      data: transpose2d(w, fanIn, fanOut),
    });
    out.push({ name: `${2 * l}.bias`, shape: [fanOut], data: b.slice() });
  }
  return out;
}
