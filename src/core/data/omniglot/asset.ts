/**
 * The committed Omniglot asset (public/omniglot/omniglot-28.bin) and its
 * reader. The file is one zlib stream (deterministic: no timestamps, so the
 * build script reproduces the same bytes and a checksum test can pin them)
 * of:
 *
 *   "OMNIGLOT" (8 ASCII bytes) · u32 little-endian length L · L bytes of
 *   UTF-8 JSON metadata (OmniglotMeta) · the image bytes of every set in
 *   the order of meta.sets,
 *
 * where a set is [characters][drawings][height][width] unsigned bytes, the
 * ink coverage of each pixel scaled to 0..255 (0 = blank paper, 255 = fully
 * inked), so a pixel value v / 255 is already the [0, 1] "ink = 1" value the
 * image contract asks for. Character c of a set is Omniglot's character
 * number firstNumber + c (the 4-digit prefix of the original file names).
 */
import { unzlibSync, zlibSync } from 'fflate';
import { DataError } from '../types';

export const ASSET_MAGIC = 'OMNIGLOT';
export const ASSET_FORMAT = 'omniglot-28';

export interface OmniglotSetMeta {
  name: 'background' | 'evaluation';
  characters: number;
  /** Omniglot's number of the set's first character (1 for background, 965 for evaluation) */
  firstNumber: number;
}

export interface OmniglotMeta {
  format: typeof ASSET_FORMAT;
  version: 1;
  height: number;
  width: number;
  drawings: number;
  sets: OmniglotSetMeta[];
  /** how the 105×105 originals were reduced, in words */
  resize: string;
  license: string;
}

export interface OmniglotData {
  meta: OmniglotMeta;
  /** the image bytes of each set, [characters][drawings][height][width] */
  images: Record<OmniglotSetMeta['name'], Uint8Array>;
}

export function encodeOmniglotAsset(meta: OmniglotMeta, sets: Uint8Array[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const total = 12 + json.length + sets.reduce((a, s) => a + s.length, 0);
  const payload = new Uint8Array(total);
  payload.set(new TextEncoder().encode(ASSET_MAGIC), 0);
  new DataView(payload.buffer).setUint32(8, json.length, true);
  payload.set(json, 12);
  let at = 12 + json.length;
  for (const s of sets) {
    payload.set(s, at);
    at += s.length;
  }
  return zlibSync(payload, { level: 9 });
}

function fail(why: string): never {
  throw new DataError(`The Omniglot asset cannot be read: ${why}.`);
}

export function decodeOmniglotAsset(bytes: Uint8Array): OmniglotData {
  let payload: Uint8Array;
  try {
    payload = unzlibSync(bytes);
  } catch (e) {
    fail(`it is not a zlib stream (${e instanceof Error ? e.message : String(e)})`);
  }
  if (payload.length < 12 || new TextDecoder().decode(payload.subarray(0, 8)) !== ASSET_MAGIC) {
    fail('it does not start with "OMNIGLOT"');
  }
  const jsonLength = new DataView(payload.buffer, payload.byteOffset).getUint32(8, true);
  let meta: OmniglotMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(payload.subarray(12, 12 + jsonLength)));
  } catch {
    fail('its metadata is not JSON');
  }
  if (meta.format !== ASSET_FORMAT || meta.version !== 1) {
    fail(`format ${String(meta.format)} v${String(meta.version)} is not ${ASSET_FORMAT} v1`);
  }
  const perCharacter = meta.drawings * meta.height * meta.width;
  const expected = 12 + jsonLength + meta.sets.reduce((a, s) => a + s.characters * perCharacter, 0);
  if (payload.length !== expected) {
    fail(`it holds ${payload.length} bytes where its metadata promises ${expected}`);
  }
  const images = {} as Record<OmniglotSetMeta['name'], Uint8Array>;
  let at = 12 + jsonLength;
  for (const s of meta.sets) {
    images[s.name] = payload.subarray(at, at + s.characters * perCharacter);
    at += s.characters * perCharacter;
  }
  if (!images.background || !images.evaluation) fail('it lacks the background or evaluation set');
  return { meta, images };
}
