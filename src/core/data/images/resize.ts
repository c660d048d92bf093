/**
 * Area-average resampling ("box filter", the same weighting as OpenCV's
 * INTER_AREA when shrinking): each output pixel is the mean of the source
 * area it covers, with source pixels cut by the output grid counted by the
 * fraction that falls inside. The filter is separable, so it runs as one
 * pass over rows and one over columns with precomputed weights; it conserves
 * the total ink (sum of values × pixel area) exactly, which the Omniglot
 * test relies on. Enlarging uses the same weights, which then reduce to
 * nearest-neighbour blocks with linear blending at the seams.
 *
 * Images are row-major HWC Float32Arrays; values are kept as they are.
 */

/** Per output index: the source indices and weights (summing to 1) it averages. */
export interface AxisWeights {
  index: Int32Array[];
  weight: Float32Array[];
}

export function areaWeights(from: number, to: number): AxisWeights {
  if (!(from >= 1 && to >= 1)) throw new RangeError(`cannot resample ${from} → ${to} pixels`);
  const scale = from / to;
  const index: Int32Array[] = [];
  const weight: Float32Array[] = [];
  for (let i = 0; i < to; i++) {
    const lo = i * scale;
    const hi = (i + 1) * scale;
    const js: number[] = [];
    const ws: number[] = [];
    for (let j = Math.floor(lo); j < Math.min(from, Math.ceil(hi)); j++) {
      const overlap = Math.min(hi, j + 1) - Math.max(lo, j);
      if (overlap > 1e-9) {
        js.push(j);
        ws.push(overlap / scale);
      }
    }
    index.push(Int32Array.from(js));
    weight.push(Float32Array.from(ws));
  }
  return { index, weight };
}

/** Resamples an HWC image of h×w×c to outH×outW×c by area averaging. */
export function resizeArea(
  src: Float32Array,
  h: number,
  w: number,
  c: number,
  outH: number,
  outW: number,
): Float32Array {
  if (src.length !== h * w * c) {
    throw new RangeError(`image of ${src.length} values is not ${h}×${w}×${c}`);
  }
  const wx = areaWeights(w, outW);
  const wy = areaWeights(h, outH);
  // Columns first: h × outW × c.
  const mid = new Float32Array(h * outW * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < outW; x++) {
      const js = wx.index[x] as Int32Array;
      const ws = wx.weight[x] as Float32Array;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let t = 0; t < js.length; t++) {
          acc += (ws[t] as number) * (src[(y * w + (js[t] as number)) * c + ch] as number);
        }
        mid[(y * outW + x) * c + ch] = acc;
      }
    }
  }
  const out = new Float32Array(outH * outW * c);
  for (let y = 0; y < outH; y++) {
    const js = wy.index[y] as Int32Array;
    const ws = wy.weight[y] as Float32Array;
    for (let x = 0; x < outW; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let t = 0; t < js.length; t++) {
          acc += (ws[t] as number) * (mid[((js[t] as number) * outW + x) * c + ch] as number);
        }
        out[(y * outW + x) * c + ch] = acc;
      }
    }
  }
  return out;
}
