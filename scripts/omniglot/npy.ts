/**
 * Reads NumPy .npz archives (a zip of .npy files) for the Omniglot build
 * script. Only what the Omniglot files use is supported: format version 1.x
 * or 2.x, little-endian or byte-sized dtypes, C order. The .npy header is a
 * magic string, a version, a header length and a Python dict literal such as
 * {'descr': '|b1', 'fortran_order': False, 'shape': (964, 20, 105, 105), };
 * the raw array follows it. Anything else is refused with the reason.
 */
import { unzipSync } from 'fflate';

export interface NpyArray {
  /** NumPy type string, e.g. '|b1' (bool) or '<i8' (int64 little-endian) */
  descr: string;
  shape: number[];
  /** the raw array bytes, row-major */
  data: Uint8Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array, name = 'array.npy'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error(`${name} is not a .npy file (no \\x93NUMPY magic)`);
  }
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw new Error(`${name}: unsupported .npy format version ${major}`);
  }
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`${name}: cannot read the .npy header ${JSON.stringify(header)}`);
  }
  if (fortran === 'True') throw new Error(`${name}: Fortran-ordered arrays are not supported`);
  if (descr.startsWith('>')) throw new Error(`${name}: big-endian arrays are not supported`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const itemSize = Number(descr.slice(2));
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length - offset !== count * itemSize) {
    throw new Error(
      `${name}: ${bytes.length - offset} data bytes, expected ${count * itemSize} for shape (${shape.join(', ')}) of ${descr}`,
    );
  }
  return { descr, shape, data: bytes.subarray(offset) };
}

/** Every array of an .npz by its name without the .npy suffix. */
export function readNpz(bytes: Uint8Array, name = 'archive.npz'): Record<string, NpyArray> {
  const files = unzipSync(bytes);
  const out: Record<string, NpyArray> = {};
  for (const [entry, data] of Object.entries(files)) {
    if (!entry.endsWith('.npy')) continue;
    out[entry.slice(0, -4)] = parseNpy(data, `${name}/${entry}`);
  }
  return out;
}
