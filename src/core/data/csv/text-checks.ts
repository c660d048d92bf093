/**
 * Before parsing: is this text at all, and in which encoding? A CSV is UTF-8
 * text (a byte order mark is tolerated and removed; a UTF-16 one selects
 * UTF-16). Bytes that are not valid UTF-8 are what older spreadsheet
 * programs write in Western locales — Windows-1252, the superset of Latin-1
 * that browsers use for "latin1" — so such a file is read as Windows-1252
 * and the report says so with the first line concerned, instead of showing
 * "C?te d'Ivoire" with a replacement character. A file with NUL characters or mostly control /
 * undecodable characters near its start is refused with a hint about what it
 * probably is (an Excel workbook, UTF-16 text, an image…), since parsing
 * binary bytes as CSV would only produce confusing follow-up errors.
 */
import { refuse } from './problems';
import { SNIFF_CHARS } from './caps';

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function binaryHint(sample: string): string {
  if (sample.startsWith('PK\u0003\u0004'))
    return ' It looks like an Excel workbook or a zip archive: in your spreadsheet program use "Save as" › "CSV UTF-8".';
  let oddNuls = 0;
  const n = Math.min(sample.length, 200);
  for (let i = 1; i < n; i += 2) if (sample.charCodeAt(i) === 0) oddNuls++;
  if (n > 8 && oddNuls > n / 4) return ' It looks like UTF-16 text: save it again as "CSV UTF-8".';
  return ' Export the data as CSV (UTF-8) and try again.';
}

/**
 * Throws a DataError when `sample` (the start of the file, already decoded)
 * does not look like text.
 */
export function assertLooksLikeText(sample: string, fileName: string): void {
  const s = sample.slice(0, SNIFF_CHARS);
  if (s.includes('\u0000')) {
    throw refuse(
      { file: fileName },
      `this is not a text file (it contains binary data, such as NUL bytes), so it cannot be read as CSV.${binaryHint(s)}`,
    );
  }
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const control = c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11;
    if (control || c === 0xfffd) bad++;
  }
  if (bad > 8 && bad > s.length * 0.1) {
    throw refuse(
      { file: fileName },
      `this does not look like a text file (${bad} of its first ${s.length} characters are control codes or bytes that are not valid UTF-8), so it cannot be read as CSV.${binaryHint(s)}`,
    );
  }
}

/**
 * Windows-1252's bytes 0x80–0x9F (the rest is Latin-1: byte = code point).
 * Decoded here rather than by TextDecoder because Node 20 maps the label to
 * ISO-8859-1 and gives C1 controls for these (browsers follow the standard).
 * The five unassigned bytes decode to themselves, as the WHATWG index does.
 */
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const codes = Array.from(bytes.subarray(start, start + CHUNK), (b) =>
      b >= 0x80 && b < 0xa0 ? CP1252_HIGH.charCodeAt(b - 0x80) : b,
    );
    out += String.fromCharCode(...codes);
  }
  return out;
}

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** A decoded file, and for a Windows-1252 one the first line that was not UTF-8. */
export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** 1-based line of the first byte that is not valid UTF-8 (windows-1252 only) */
  firstNonUtf8Line?: number;
}

/** 1-based line of the first invalid UTF-8 sequence in bytes, or null when all is valid. */
export function firstInvalidUtf8Line(bytes: Uint8Array, stream = false): number | null {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream });
    return null;
  } catch {
    const lax = new TextDecoder('utf-8').decode(bytes, { stream });
    const at = lax.indexOf('\uFFFD');
    let line = 1;
    for (let i = 0; i < at; i++) if (lax.charCodeAt(i) === 10) line++;
    return line;
  }
}

/**
 * Which decoder the bytes need: a UTF-16 byte order mark, else UTF-8 when
 * they are valid UTF-8 (`partial`: they are the start of a longer file, so a
 * character cut at the end is fine), else Windows-1252.
 */
export function detectEncoding(
  bytes: Uint8Array,
  partial = false,
): { encoding: TextEncoding; firstNonUtf8Line?: number } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be' };
  const line = firstInvalidUtf8Line(bytes, partial);
  return line === null
    ? { encoding: 'utf-8' }
    : { encoding: 'windows-1252', firstNonUtf8Line: line };
}

/**
 * Decodes a file's bytes to text (see detectEncoding; BOM removed), then
 * checks it looks like text.
 */
export function decodeCsvFile(bytes: Uint8Array, fileName: string, partial = false): DecodedText {
  const found = detectEncoding(bytes, partial);
  let text: string;
  try {
    text =
      found.encoding === 'windows-1252'
        ? decodeWindows1252(bytes)
        : new TextDecoder(found.encoding).decode(bytes, { stream: partial });
  } catch {
    throw refuse(
      { file: fileName },
      `the text encoding ${found.encoding.toUpperCase()} cannot be read here; save the file as "CSV UTF-8".`,
    );
  }
  text = stripBom(text);
  assertLooksLikeText(text, fileName);
  return { ...found, text };
}

/** decodeCsvFile's text only. */
export function decodeCsvBytes(bytes: Uint8Array, fileName: string): string {
  return decodeCsvFile(bytes, fileName).text;
}

/** The report's sentence for a file read as Windows-1252. */
export function encodingNote(d: DecodedText, text: string): string {
  const line = d.firstNonUtf8Line ?? 1;
  const shown = (text.split('\n')[line - 1] ?? '').trim();
  const clip = shown.length > 60 ? `${shown.slice(0, 59)}…` : shown;
  return `the file is not valid UTF-8 (first at line ${line}), so it was read as Windows-1252 (Latin-1): line ${line} reads "${clip}". If accented letters look wrong, save the file as "CSV UTF-8".`;
}
