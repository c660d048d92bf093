/**
 * The safetensors file format, written and read directly (the format is
 * small): 8 bytes of header length N (unsigned 64-bit, little-endian), N
 * bytes of UTF-8 JSON, then the raw tensor data. The header maps each tensor
 * name to {dtype, shape, data_offsets: [begin, end]} (offsets into the data
 * section) and may hold string-to-string metadata under "__metadata__".
 *
 * Invariants of what writeSafetensors makes: float32 little-endian data
 * whatever the host's byte order, tensors packed in the order given with no
 * gaps, and the header padded with spaces to a multiple of 8 bytes so the
 * data section starts aligned (the reference implementation does the same).
 * Pure: no DOM, no Node, no tfjs; the browser and the CLI share it.
 */

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const METADATA_KEY = '__metadata__';

export function writeSafetensors(
  tensors: readonly NamedTensor[],
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (Object.keys(metadata).length) header[METADATA_KEY] = { ...metadata };
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      throw new Error(
        `tensor ${t.name}: shape [${t.shape}] holds ${count} values, got ${t.data.length}`,
      );
    if (t.name === METADATA_KEY || t.name in header)
      throw new Error(`duplicate tensor name ${t.name}`);
    header[t.name] = {
      dtype: 'F32',
      shape: [...t.shape],
      data_offsets: [offset, offset + 4 * count],
    };
    offset += 4 * count;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let o = 8 + json.length;
  for (const t of tensors) {
    // DataView fixes the byte order; a Float32Array view would take the host's.
    for (let i = 0; i < t.data.length; i++, o += 4) view.setFloat32(o, t.data[i] as number, true);
  }
  return out;
}

export interface SafetensorsFile {
  tensors: NamedTensor[];
  metadata: Record<string, string>;
}

/** Reads a float32 safetensors file (what writeSafetensors makes); other dtypes are refused. */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8)
    throw new Error('not a safetensors file: shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new Error('not a safetensors file: the header runs past the end');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    unknown
  >;
  const start = 8 + n;
  const metadata = (header[METADATA_KEY] ?? {}) as Record<string, string>;
  const tensors: NamedTensor[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) continue;
    const e = value as HeaderEntry;
    if (e.dtype !== 'F32')
      throw new Error(`tensor ${name}: dtype ${e.dtype} is not supported (F32 only)`);
    const [b, end] = e.data_offsets;
    if (start + end > bytes.length || end - b !== 4 * e.shape.reduce((x, y) => x * y, 1))
      throw new Error(`tensor ${name}: its data offsets do not match its shape or the file`);
    const data = new Float32Array((end - b) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(start + b + 4 * i, true);
    tensors.push({ name, shape: [...e.shape], data });
  }
  return { tensors, metadata };
}
