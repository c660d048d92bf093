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
import {
  CONV_BLOCKS,
  PER_BLOCK,
  convParamShapes,
  featureSide,
  layerSizes,
  type ConvSpec,
  type MlpSpec,
} from '../spec/model';
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

/**
 * Conv-4 as `nn.Sequential` of four blocks [Conv2d(3×3, padding 1, no bias),
 * BatchNorm2d(track_running_stats=False), ReLU, MaxPool2d(2)], then Flatten
 * and, with a head, Linear: block i is modules 4i…4i+3, the head module 17.
 * Conv weights go from the engine's HWIO [3, 3, in, F] to OIHW [F, in, 3, 3];
 * the head's input rows from the engine's HWC flattening of the feature maps
 * to PyTorch's CHW one. BatchNorm without running statistics has no buffers,
 * so the state_dict is exactly these tensors.
 */
export const CONV_HEAD_MODULE = 17;

export function convTorchTensors(spec: ConvSpec, arrays: readonly Float32Array[]): NamedTensor[] {
  const shapes = convParamShapes(spec);
  if (arrays.length !== shapes.length)
    throw new Error(`this Conv-4 has ${shapes.length} tensors, got ${arrays.length}`);
  const out: NamedTensor[] = [];
  for (let b = 0; b < CONV_BLOCKS; b++) {
    const [kh, kw, cin, cout] = shapes[b * PER_BLOCK] as [number, number, number, number];
    const w = arrays[b * PER_BLOCK] as Float32Array;
    const oihw = new Float32Array(w.length);
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++)
            oihw[((o * cin + i) * kh + y) * kw + x] = w[
              ((y * kw + x) * cin + i) * cout + o
            ] as number;
    out.push({ name: `${4 * b}.weight`, shape: [cout, cin, kh, kw], data: oihw });
    out.push({
      name: `${4 * b + 1}.weight`,
      shape: [cout],
      data: (arrays[b * PER_BLOCK + 1] as Float32Array).slice(),
    });
    out.push({
      name: `${4 * b + 1}.bias`,
      shape: [cout],
      data: (arrays[b * PER_BLOCK + 2] as Float32Array).slice(),
    });
  }
  if (spec.outputDim > 0) {
    const F = spec.filters;
    const S = featureSide(spec.imageShape.height) * featureSide(spec.imageShape.width);
    const N = spec.outputDim;
    const wh = arrays[CONV_BLOCKS * PER_BLOCK] as Float32Array; // [S·F (HWC), N]
    const w = new Float32Array(wh.length); // [N, F·S (CHW)]
    for (let n = 0; n < N; n++)
      for (let f = 0; f < F; f++)
        for (let p = 0; p < S; p++) w[n * F * S + f * S + p] = wh[(p * F + f) * N + n] as number;
    out.push({ name: `${CONV_HEAD_MODULE}.weight`, shape: [N, F * S], data: w });
    out.push({
      name: `${CONV_HEAD_MODULE}.bias`,
      shape: [N],
      data: (arrays[CONV_BLOCKS * PER_BLOCK + 1] as Float32Array).slice(),
    });
  }
  return out;
}
