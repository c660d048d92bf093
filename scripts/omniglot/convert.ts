/**
 * The Omniglot conversion, as functions the build script and its tests
 * share. The .npz arrays are `images` bool [characters, 20, 105, 105] with
 * True for blank paper (the PNGs are black ink on white) and `labels` int64
 * [characters, 20] holding each drawing's character index; the asset wants
 * ink = 1, 28×28, 8 bits.
 *
 * Resize filter: area averaging (box filter, like OpenCV's INTER_AREA):
 * each 28×28 pixel is the ink fraction of the 3.75×3.75 source square it
 * covers, so stroke width and total ink are conserved; then rounded to
 * 0..255. Papers resized with PIL (Lanczos or its default); area averaging
 * keeps thin strokes grey instead of dropping them.
 */
import { resizeArea } from '../../src/core/data/images/resize';
import type { NpyArray } from './npy';

export const SOURCE_SIZE = 105;
export const TARGET_SIZE = 28;
export const DRAWINGS = 20;

/** Ink (1) and paper (0) of drawing (c, d) at 105×105. */
export function inkAt105(images: NpyArray, c: number, d: number): Float32Array {
  const p = SOURCE_SIZE * SOURCE_SIZE;
  const at = (c * DRAWINGS + d) * p;
  const out = new Float32Array(p);
  for (let i = 0; i < p; i++) out[i] = images.data[at + i] ? 0 : 1;
  return out;
}

/** The 105×105 ink image reduced to 28×28 bytes, 0 = paper, 255 = full ink. */
export function toAssetBytes(ink105: Float32Array): Uint8Array {
  const small = resizeArea(ink105, SOURCE_SIZE, SOURCE_SIZE, 1, TARGET_SIZE, TARGET_SIZE);
  const out = new Uint8Array(small.length);
  for (let i = 0; i < small.length; i++) {
    out[i] = Math.round(Math.min(1, Math.max(0, small[i] as number)) * 255);
  }
  return out;
}

/** Checks the arrays of one .npz and converts every drawing, set-major. */
export function convertSet(arrays: Record<string, NpyArray>, file: string): Uint8Array {
  const { images, labels } = arrays;
  if (!images || !labels) throw new Error(`${file} lacks the images or labels array`);
  const [chars, drawings, h, w] = images.shape;
  if (
    images.descr !== '|b1' ||
    images.shape.length !== 4 ||
    drawings !== DRAWINGS ||
    h !== SOURCE_SIZE ||
    w !== SOURCE_SIZE
  ) {
    throw new Error(
      `${file}: images are ${images.descr} (${images.shape.join(', ')}), expected |b1 (C, 20, 105, 105)`,
    );
  }
  const n = chars as number;
  // labels[c][d] must be c: the character order of the asset is the file's.
  const lab = new DataView(labels.data.buffer, labels.data.byteOffset, labels.data.byteLength);
  for (let i = 0; i < n * DRAWINGS; i++) {
    const v = Number(lab.getBigInt64(i * 8, true));
    if (v !== Math.floor(i / DRAWINGS)) {
      throw new Error(
        `${file}: drawing ${i} is labelled ${v}, expected ${Math.floor(i / DRAWINGS)}`,
      );
    }
  }
  const px = TARGET_SIZE * TARGET_SIZE;
  const out = new Uint8Array(n * DRAWINGS * px);
  for (let c = 0; c < n; c++) {
    for (let d = 0; d < DRAWINGS; d++) {
      out.set(toAssetBytes(inkAt105(images, c, d)), (c * DRAWINGS + d) * px);
    }
  }
  return out;
}
