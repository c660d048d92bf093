/**
 * Base64 (RFC 4648 §4, with padding) for weights inside the JSON document and
 * base64url (§5, no padding) for share links, on Uint8Array in both Node and
 * browsers. Written here rather than with atob/btoa or Buffer because those
 * go through binary strings (slow for tens of MB) or exist on one side only.
 * Decoding is strict about the alphabet and the length, so a damaged string
 * is reported instead of silently decoding to different bytes; unused low
 * bits of the last character are ignored (they carry no data).
 */

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export type Base64Variant = 'base64' | 'base64url';

function charCodes(alphabet: string): Uint8Array {
  return Uint8Array.from(alphabet, (c) => c.charCodeAt(0));
}

function reverse(alphabet: string): Int16Array {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}

const ENCODE = { base64: charCodes(STANDARD), base64url: charCodes(URL_SAFE) };
const DECODE = { base64: reverse(STANDARD), base64url: reverse(URL_SAFE) };
const ascii = new TextDecoder();

export function encodeBase64(bytes: Uint8Array, variant: Base64Variant = 'base64'): string {
  const table = ENCODE[variant];
  const pad = variant === 'base64';
  const full = Math.floor(bytes.length / 3) * 3;
  const rest = bytes.length - full;
  const outLength = (full / 3) * 4 + (rest === 0 ? 0 : pad ? 4 : rest + 1);
  // Build ASCII bytes and decode once: far faster than string concatenation.
  const out = new Uint8Array(outLength);
  let o = 0;
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = table[n >>> 18]!;
    out[o++] = table[(n >>> 12) & 63]!;
    out[o++] = table[(n >>> 6) & 63]!;
    out[o++] = table[n & 63]!;
  }
  if (rest > 0) {
    const n = (bytes[full]! << 16) | (rest === 2 ? bytes[full + 1]! << 8 : 0);
    out[o] = table[n >>> 18]!;
    out[o + 1] = table[(n >>> 12) & 63]!;
    if (rest === 2) out[o + 2] = table[(n >>> 6) & 63]!;
    else if (pad) out[o + 2] = 61; // '='
    if (pad) out[o + 3] = 61;
  }
  return ascii.decode(out);
}

/** Bytes a well-formed string of this variant decodes to, from its length alone. */
export function decodedLength(text: string, variant: Base64Variant = 'base64'): number {
  let len = text.length;
  if (variant === 'base64') {
    while (len > 0 && text.charCodeAt(len - 1) === 61) len--;
  }
  return Math.floor((len * 3) / 4);
}

export type Base64Result =
  { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; problem: string; position: number };

export function decodeBase64(text: string, variant: Base64Variant = 'base64'): Base64Result {
  const table = DECODE[variant];
  let len = text.length;
  if (variant === 'base64') {
    if (len % 4 !== 0) {
      return { ok: false, problem: 'its length is not a multiple of 4', position: len };
    }
    if (len > 0 && text.charCodeAt(len - 1) === 61) len--;
    if (len > 0 && text.charCodeAt(len - 1) === 61) len--;
  }
  // A single leftover character carries only 6 bits: never a whole byte.
  if (len % 4 === 1)
    return { ok: false, problem: 'it ends in the middle of a byte', position: len };
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? table[c]! : -1;
    if (v < 0) {
      const shown = JSON.stringify(text.charAt(i));
      return { ok: false, problem: `it contains the character ${shown}`, position: i };
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  return { ok: true, bytes: out };
}
