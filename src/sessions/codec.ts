/**
 * Sessions to bytes and back, for the CLI (files) and the browser (files,
 * share links); no DOM API, so it runs in Node, browsers and workers.
 *
 * - A file is the document's JSON in UTF-8, optionally gzip-compressed;
 *   reading tells the two apart by the gzip magic bytes 1f 8b.
 * - A share link fragment is `s1.` + base64url(gzip(JSON)). The prefix
 *   versions the envelope (how the bytes are packed); the document inside
 *   carries its own format version, which restoreSession handles.
 *
 * Invariants: every read ends in restoreSession, so the caller gets either a
 * fully valid current-version session or a message, never an exception; every
 * write validates first and checks the size limits the reader applies, so
 * nothing is written that this app could not read back.
 */
import { decodeBase64, encodeBase64 } from './base64';
import { SessionFormatError } from './errors';
import { gunzipBounded, gzip, isGzip, type GunzipResult } from './gzip';
import { findJsonSyntaxError } from './json-error';
import {
  DEFAULT_SHARE_BYTES,
  MAX_COMPRESSED_BYTES,
  MAX_DOCUMENT_BYTES,
  MAX_FRAGMENT_CHARS,
  SHARE_PREFIX,
} from './limits';
import { restoreSession, validateSession, type RestoreResult } from './restore';
import type { SessionDoc } from './schema';
import { thinHistory } from './thin-history';

export { decodeWeights, encodeWeights, type EncodedWeights } from './weights';

const MiB = 1024 * 1024;
const utf8 = new TextEncoder();

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${Math.ceil(bytes / 1024)} KiB`;
}

// ---- writing ---------------------------------------------------------------

/** Validates and encodes to UTF-8 JSON; throws when the session must not be written. */
function jsonBytes(doc: unknown): Uint8Array<ArrayBuffer> {
  const checked = validateSession(doc);
  if (!checked.ok)
    throw new SessionFormatError(`Refusing to save an invalid session: ${checked.error}`);
  const bytes = utf8.encode(JSON.stringify(checked.session));
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new SessionFormatError(
      `The session is too large to save (${mib(bytes.length)}; the limit is ${mib(MAX_DOCUMENT_BYTES)}).`,
    );
  }
  return bytes;
}

export interface SerializeOptions {
  gzip: boolean;
}

/**
 * The bytes of a session file. Throws SessionFormatError when the document
 * is invalid or too large for this app to read back.
 */
export function serializeSession(doc: SessionDoc, options: SerializeOptions): Uint8Array {
  const bytes = jsonBytes(doc);
  if (!options.gzip) return bytes;
  const packed = gzip(bytes);
  if (packed.length > MAX_COMPRESSED_BYTES) {
    throw new SessionFormatError(
      `The session is too large to save (${mib(packed.length)} compressed; the limit is ${mib(MAX_COMPRESSED_BYTES)}).`,
    );
  }
  return packed;
}

function fragmentOf(validatedJson: Uint8Array): string {
  const fragment = SHARE_PREFIX + encodeBase64(gzip(validatedJson, 9), 'base64url');
  if (fragment.length > MAX_FRAGMENT_CHARS) {
    throw new SessionFormatError(
      `The session is too large for a link (${fragment.length} characters; the limit is ${MAX_FRAGMENT_CHARS}). Save it as a file instead.`,
    );
  }
  return fragment;
}

/**
 * The URL fragment (without '#') that carries the whole session. Throws
 * SessionFormatError when the document is invalid or too large for any
 * link; shareFragmentFor fits a session into a size budget instead.
 */
export function encodeShareFragment(doc: SessionDoc): string {
  return fragmentOf(jsonBytes(doc));
}

export type ShareResult =
  | {
      ok: true;
      fragment: string;
      /** the dataset's raw rows were left out (name and sha256 stay, to match the CSV again) */
      droppedRows: boolean;
      /** the resume checkpoint was left out (the weights and curves stay) */
      droppedCheckpoint: boolean;
      /** the curves were thinned to a few hundred points each (files keep every step) */
      thinnedHistory: boolean;
    }
  | { ok: false; error: string; /** length of the smallest fragment tried */ length: number };

/**
 * A share fragment no longer than `maxBytes` characters (ASCII, so also
 * bytes of the URL). The per-step curves are always thinned to a few hundred
 * points each (thin-history.ts): a link is for looking at a run, and the full
 * curves would be most of its length. When the session still does not fit,
 * it leaves out first the checkpoint (only needed to resume training) and
 * then the dataset's raw rows; if it still does not fit, it says so. Throws
 * SessionFormatError only for an invalid document.
 */
export function shareFragmentFor(
  doc: SessionDoc,
  options: { maxBytes?: number } = {},
): ShareResult {
  // Never longer than the reader accepts, whatever the caller asks for.
  const maxBytes = Math.min(options.maxBytes ?? DEFAULT_SHARE_BYTES, MAX_FRAGMENT_CHARS);
  const checked = validateSession(doc);
  if (!checked.ok)
    throw new SessionFormatError(`Refusing to share an invalid session: ${checked.error}`);
  const history = thinHistory(checked.session.history);
  const thinnedHistory =
    history.train.length < checked.session.history.train.length ||
    history.validation.length < checked.session.history.validation.length;
  const full = { ...checked.session, history };
  const candidates: { session: SessionDoc; droppedRows: boolean; droppedCheckpoint: boolean }[] = [
    { session: full, droppedRows: false, droppedCheckpoint: false },
  ];
  let lean = full;
  if (lean.checkpoint) {
    lean = { ...lean, checkpoint: null };
    candidates.push({ session: lean, droppedRows: false, droppedCheckpoint: true });
  }
  if (lean.dataset.rows) {
    const { rows: _rows, ...dataset } = lean.dataset;
    lean = { ...lean, dataset };
    candidates.push({ session: lean, droppedRows: true, droppedCheckpoint: !!full.checkpoint });
  }
  let length = 0;
  for (const c of candidates) {
    const bytes = utf8.encode(JSON.stringify(c.session));
    // The reader refuses what inflates beyond the cap, so such a link could never open.
    if (bytes.length > MAX_DOCUMENT_BYTES) continue;
    const fragment = SHARE_PREFIX + encodeBase64(gzip(bytes, 9), 'base64url');
    length = fragment.length;
    if (fragment.length <= maxBytes) {
      return {
        ok: true,
        fragment,
        droppedRows: c.droppedRows,
        droppedCheckpoint: c.droppedCheckpoint,
        thinnedHistory,
      };
    }
  }
  const without = full.dataset.rows ? ' even without its dataset rows' : '';
  const measured = length > 0 ? `${sizeText(length)}; ` : '';
  return {
    ok: false,
    length,
    error:
      `This session is too large for a link${without} (${measured}` +
      `the limit is ${sizeText(maxBytes)}). Save it as a file instead.`,
  };
}

// ---- reading ---------------------------------------------------------------

type Noun = 'file' | 'link';

function gunzipMessage(result: Exclude<GunzipResult, { ok: true }>, noun: Noun): string {
  switch (result.reason) {
    case 'truncated':
      return `The ${noun} is truncated or damaged (gzip data ends early).`;
    case 'too-large':
      return `The ${noun} is too large: the session inside is over ${mib(MAX_DOCUMENT_BYTES)} once decompressed.`;
    case 'damaged':
      return `The ${noun} is damaged: ${result.detail}.`;
  }
}

/** UTF-8 JSON bytes → restore result, with messages that name the line and column of a syntax error. */
function restoreJson(bytes: Uint8Array, noun: Noun): RestoreResult {
  let text: string;
  try {
    // fatal: a byte sequence that is not UTF-8 is an error, not a silent U+FFFD.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      ok: false,
      error: `The ${noun} is not a session: it is neither gzip data nor UTF-8 text.`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const found = findJsonSyntaxError(text);
    const where = found
      ? `${found.problem} (line ${found.line}, column ${found.column})`
      : e instanceof Error
        ? e.message
        : String(e);
    return { ok: false, error: `The ${noun} is not valid JSON: ${where}.` };
  }
  return restoreSession(value);
}

/** Reads a session file (plain or gzip JSON). Never throws. */
export function parseSessionBytes(bytes: Uint8Array): RestoreResult {
  if (!(bytes instanceof Uint8Array)) return { ok: false, error: 'No file data was given.' };
  if (bytes.length === 0) return { ok: false, error: 'The file is empty.' };
  if (isGzip(bytes)) {
    if (bytes.length > MAX_COMPRESSED_BYTES) {
      return {
        ok: false,
        error: `The file is too large (${mib(bytes.length)} compressed; the limit is ${mib(MAX_COMPRESSED_BYTES)}).`,
      };
    }
    const inflated = gunzipBounded(bytes, MAX_DOCUMENT_BYTES);
    if (!inflated.ok) return { ok: false, error: gunzipMessage(inflated, 'file') };
    return restoreJson(inflated.bytes, 'file');
  }
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    return {
      ok: false,
      error: `The file is too large (${mib(bytes.length)}; the limit is ${mib(MAX_DOCUMENT_BYTES)}).`,
    };
  }
  return restoreJson(bytes, 'file');
}

/**
 * Reads a share fragment (with or without the leading '#'). Never throws.
 * Whitespace is ignored, since mail and chat apps may wrap long links.
 */
export function decodeShareFragment(fragment: string): RestoreResult {
  if (typeof fragment !== 'string') return { ok: false, error: 'No link data was given.' };
  const raw = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  // Checked before removing whitespace, so an enormous input is not copied first.
  if (raw.length > MAX_FRAGMENT_CHARS * 2) {
    return { ok: false, error: 'The link is too long to be a session link.' };
  }
  const body = raw.replace(/\s+/g, '');
  if (body.length > MAX_FRAGMENT_CHARS) {
    return { ok: false, error: 'The link is too long to be a session link.' };
  }
  const tag = /^s(\d{1,6})\./.exec(body);
  if (!tag) {
    return {
      ok: false,
      error: `This link does not contain a session (it should start with "${SHARE_PREFIX}").`,
    };
  }
  if (tag[0] !== SHARE_PREFIX) {
    const n = Number(tag[1]);
    return n > 1
      ? {
          ok: false,
          error: `This link was made by a newer version of the app (link format s${n}); update the app to open it.`,
        }
      : { ok: false, error: `This link does not contain a session (unknown link format s${n}).` };
  }
  const decoded = decodeBase64(body.slice(SHARE_PREFIX.length), 'base64url');
  if (!decoded.ok) {
    return {
      ok: false,
      error: `The link is damaged: ${decoded.problem} (at character ${decoded.position + SHARE_PREFIX.length + 1}). Copy the whole link again.`,
    };
  }
  if (!isGzip(decoded.bytes)) {
    return {
      ok: false,
      error: 'The link is damaged: its data is not compressed the way session links are.',
    };
  }
  const inflated = gunzipBounded(decoded.bytes, MAX_DOCUMENT_BYTES);
  if (!inflated.ok) return { ok: false, error: gunzipMessage(inflated, 'link') };
  return restoreJson(inflated.bytes, 'link');
}

// ---- hashing ---------------------------------------------------------------

/**
 * Lowercase hex SHA-256 of some bytes (Web Crypto: Node ≥ 20 and browsers).
 * Browsers only offer crypto.subtle in secure contexts (https, localhost);
 * elsewhere this rejects with an explanation.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new Error(
      'SHA-256 is unavailable: Web Crypto needs a secure context (https or localhost).',
    );
  }
  // digest() wants bytes backed by an ArrayBuffer; copy only if they are not (e.g. shared memory).
  const data =
    bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
  const digest = new Uint8Array(await subtle.digest('SHA-256', data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
