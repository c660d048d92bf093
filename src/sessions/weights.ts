/**
 * Weights inside a session: a list of float32 tensors stored as one base64
 * string of their little-endian bytes, concatenated in order, next to their
 * shapes. Base64 of raw float32 is exact (bit for bit) and about 3x smaller
 * than printing the numbers as JSON.
 *
 * Invariants: the data holds exactly 4 × Σ prod(shape) bytes; every value is
 * finite (a session never stores a diverged model, and a file that claims
 * otherwise is refused). Each decoded array owns its own ArrayBuffer, so the
 * caller may transfer one to a worker without detaching the others.
 */
import { decodeBase64, decodedLength, encodeBase64 } from './base64';
import { SessionFormatError } from './errors';
import { MAX_TENSORS, MAX_TENSOR_DIM, MAX_TENSOR_RANK, MAX_WEIGHT_VALUES } from './limits';

/** The stored form; the same shape as `weights` in the session schema. */
export interface EncodedWeights {
  shapes: number[][];
  dtype: 'float32';
  base64: string;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Number of values of one shape, or a description of why the shape is not
 * allowed (rank, non-integer or out-of-range dimension).
 */
export function shapeSize(shape: readonly number[]): number | string {
  if (shape.length > MAX_TENSOR_RANK)
    return `has rank ${shape.length} (at most ${MAX_TENSOR_RANK})`;
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 1 || d > MAX_TENSOR_DIM) {
      return `has the dimension ${d} (expected a whole number from 1 to ${MAX_TENSOR_DIM})`;
    }
    size *= d;
    // Stop early so a hostile shape cannot overflow to an imprecise count.
    if (size > MAX_WEIGHT_VALUES) return `holds more than ${MAX_WEIGHT_VALUES} values`;
  }
  return size;
}

/** Total number of values of a list of shapes, or why the list is not allowed. */
export function totalValues(shapes: readonly (readonly number[])[]): number | string {
  if (shapes.length > MAX_TENSORS) return `lists ${shapes.length} tensors (at most ${MAX_TENSORS})`;
  let total = 0;
  for (const [i, shape] of shapes.entries()) {
    const size = shapeSize(shape);
    if (typeof size === 'string') return `tensor ${i} ${size}`;
    total += size;
    if (total > MAX_WEIGHT_VALUES) return `holds more than ${MAX_WEIGHT_VALUES} values in total`;
  }
  return total;
}

function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

/**
 * Packs tensors for a session. Throws SessionFormatError when the arrays do
 * not match the shapes or hold NaN/Infinity (save the best finite weights of
 * a run, never the diverged ones).
 */
export function encodeWeights(
  arrays: readonly Float32Array[],
  shapes: readonly (readonly number[])[],
): EncodedWeights {
  if (arrays.length !== shapes.length) {
    throw new SessionFormatError(
      `Cannot save weights: ${arrays.length} arrays were given for ${shapes.length} shapes.`,
    );
  }
  const total = totalValues(shapes);
  if (typeof total === 'string')
    throw new SessionFormatError(`Cannot save weights: the list ${total}.`);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  arrays.forEach((values, i) => {
    // totalValues above has validated every shape, so the size is a number here.
    const expected = shapeSize(shapes[i]!) as number;
    if (values.length !== expected) {
      throw new SessionFormatError(
        `Cannot save weights: tensor ${i} has ${values.length} values but its shape [${shapes[i]!.join(', ')}] needs ${expected}.`,
      );
    }
    const bad = firstNonFinite(values);
    if (bad >= 0) {
      throw new SessionFormatError(
        `Cannot save weights: tensor ${i} holds ${values[bad]} at index ${bad}; the run has probably diverged.`,
      );
    }
    if (LITTLE_ENDIAN) {
      bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    } else {
      for (let k = 0; k < values.length; k++) view.setFloat32(offset + 4 * k, values[k]!, true);
    }
    offset += values.byteLength;
  });
  return { shapes: shapes.map((s) => [...s]), dtype: 'float32', base64: encodeBase64(bytes) };
}

type Checked =
  | { ok: true; values: Float32Array<ArrayBuffer> }
  | { ok: false; field: 'shapes' | 'base64'; problem: string };

/** Decodes once and checks everything; the shared core of weightsProblem and decodeWeights. */
function readChecked(w: { shapes: number[][]; base64: string }): Checked {
  const total = totalValues(w.shapes);
  if (typeof total === 'string')
    return { ok: false, field: 'shapes', problem: `the list ${total}` };
  // The length check comes first: it is free and catches a mismatch before decoding.
  const have = decodedLength(w.base64);
  if (have !== total * 4) {
    return {
      ok: false,
      field: 'base64',
      problem: `the data holds ${have} bytes but the shapes need ${total * 4} (${total} float32 values)`,
    };
  }
  const decoded = decodeBase64(w.base64);
  if (!decoded.ok) {
    return {
      ok: false,
      field: 'base64',
      problem: `the data is not valid base64: ${decoded.problem} (at character ${decoded.position})`,
    };
  }
  const values = readFloat32(decoded.bytes);
  const bad = firstNonFinite(values);
  if (bad >= 0) {
    return {
      ok: false,
      field: 'base64',
      problem: `value ${bad} is ${values[bad]}, not a finite number`,
    };
  }
  return { ok: true, values };
}

/**
 * Checks stored weights without building tensors: the shapes, the base64,
 * its length against the shapes, and that every value is finite. Returns a
 * description of the first problem and the field it is in, or null. Used by
 * the session schema.
 */
export function weightsProblem(w: {
  shapes: number[][];
  base64: string;
}): { field: 'shapes' | 'base64'; problem: string } | null {
  const checked = readChecked(w);
  return checked.ok ? null : { field: checked.field, problem: checked.problem };
}

function readFloat32(bytes: Uint8Array<ArrayBuffer>): Float32Array<ArrayBuffer> {
  if (LITTLE_ENDIAN) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.length / 4 }, (_, k) => view.getFloat32(4 * k, true));
}

/**
 * Unpacks stored weights into one Float32Array per shape. Throws
 * SessionFormatError when the data does not match the shapes or is not
 * finite; weights from restoreSession have already passed these checks.
 */
export function decodeWeights(w: EncodedWeights): Float32Array<ArrayBuffer>[] {
  if (w.dtype !== 'float32') {
    throw new SessionFormatError(
      `Cannot read weights of type ${String(w.dtype)}; only float32 is supported.`,
    );
  }
  const checked = readChecked(w);
  if (!checked.ok)
    throw new SessionFormatError(`The weights do not match their shapes: ${checked.problem}.`);
  const all = checked.values;
  const out: Float32Array<ArrayBuffer>[] = [];
  let offset = 0;
  for (const shape of w.shapes) {
    // readChecked has validated every shape, so the size is a number here.
    const size = shapeSize(shape) as number;
    // slice copies: each tensor gets its own buffer (see the header).
    out.push(all.slice(offset, offset + size));
    offset += size;
  }
  return out;
}
