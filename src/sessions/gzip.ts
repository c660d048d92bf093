/**
 * Gzip for session files and links, on top of fflate's raw DEFLATE (sync,
 * works in Node and browsers, no CompressionStream needed).
 *
 * Reading is defensive because the bytes come from outside:
 * - the output is capped while inflating, so a small "zip bomb" stops at the
 *   cap instead of exhausting memory;
 * - the header is parsed here and the CRC-32 and length of the trailer are
 *   checked, because fflate's gunzip accepts a stream whose trailer is cut
 *   off and never verifies the checksum: a flipped bit inside the weights
 *   would otherwise load silently as a different model;
 * - only single-member gzip is read (what this app and the gzip tool write).
 * Writing is deterministic (mtime 0, no file name): the same session gives
 * the same bytes, so links and files can be compared.
 */
import { Inflate, gzipSync } from 'fflate';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function gzip(data: Uint8Array, level: 6 | 9 = 6): Uint8Array<ArrayBuffer> {
  return gzipSync(data, { level, mtime: 0 });
}

export type GunzipResult =
  | { ok: true; bytes: Uint8Array<ArrayBuffer> }
  | { ok: false; reason: 'truncated' | 'damaged' | 'too-large'; detail: string };

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (the gzip polynomial), continued from `crc` so chunks can be fed in turn. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
/** Input fed to the inflater at a time: bounds how far one step can overshoot the cap. */
const CHUNK = 16 * 1024;

/** Offset where the DEFLATE data starts, or a failure if the header is cut or invalid. */
function headerEnd(b: Uint8Array): number | GunzipResult {
  const truncated: GunzipResult = {
    ok: false,
    reason: 'truncated',
    detail: 'the gzip header is incomplete',
  };
  if (b.length < 10) return truncated;
  if (b[2] !== 8) {
    return { ok: false, reason: 'damaged', detail: 'unknown gzip compression method' };
  }
  const flags = b[3]!;
  if (flags & 0xe0) return { ok: false, reason: 'damaged', detail: 'invalid gzip header flags' };
  let pos = 10;
  if (flags & FEXTRA) {
    if (pos + 2 > b.length) return truncated;
    pos += 2 + (b[pos]! | (b[pos + 1]! << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const zero = b.indexOf(0, pos);
      if (zero < 0) return truncated;
      pos = zero + 1;
    }
  }
  if (flags & FHCRC) pos += 2;
  return pos;
}

/**
 * Decompresses one gzip member, refusing output longer than `maxOutput`
 * bytes. Never throws.
 */
export function gunzipBounded(input: Uint8Array, maxOutput: number): GunzipResult {
  const start = headerEnd(input);
  if (typeof start !== 'number') return start;
  // The trailer (CRC-32 and length, 8 bytes) closes the member.
  if (start + 8 > input.length) {
    return { ok: false, reason: 'truncated', detail: 'the gzip data ends early' };
  }
  const body = input.subarray(start, input.length - 8);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let crc = 0;
  let tooLarge = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > maxOutput) {
      tooLarge = true;
      return;
    }
    crc = crc32(chunk, crc);
    chunks.push(chunk);
  });
  try {
    for (let off = 0; off < body.length && !tooLarge; off += CHUNK) {
      const end = Math.min(off + CHUNK, body.length);
      inflater.push(body.subarray(off, end), end === body.length);
    }
    if (body.length === 0) inflater.push(body, true);
  } catch (e) {
    // fflate's FlateError code 0 is "unexpected EOF": the data stops mid-stream.
    const code = (e as { code?: unknown }).code;
    if (code === 0) return { ok: false, reason: 'truncated', detail: 'the gzip data ends early' };
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, reason: 'damaged', detail: `the gzip data is invalid (${detail})` };
  }
  if (tooLarge) {
    return {
      ok: false,
      reason: 'too-large',
      detail: `it inflates to more than ${maxOutput} bytes`,
    };
  }
  const t = input.length - 8;
  const storedCrc =
    (input[t]! | (input[t + 1]! << 8) | (input[t + 2]! << 16) | (input[t + 3]! << 24)) >>> 0;
  const storedSize =
    (input[t + 4]! | (input[t + 5]! << 8) | (input[t + 6]! << 16) | (input[t + 7]! << 24)) >>> 0;
  if (storedCrc !== crc || storedSize !== total >>> 0) {
    return { ok: false, reason: 'damaged', detail: 'the gzip checksum does not match the data' };
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return { ok: true, bytes: out };
}
