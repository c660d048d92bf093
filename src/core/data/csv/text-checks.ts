/**
 * Before parsing: is this text at all? A CSV is UTF-8 text (a byte order mark
 * is tolerated and removed). A file with NUL characters or mostly control /
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
 * Decodes a file's bytes to text: UTF-8 by default (BOM removed), UTF-16 when
 * it starts with a UTF-16 byte order mark. Then checks it looks like text.
 */
export function decodeCsvBytes(bytes: Uint8Array, fileName: string): string {
  let encoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  let text: string;
  try {
    text = new TextDecoder(encoding).decode(bytes);
  } catch {
    throw refuse(
      { file: fileName },
      `the text encoding ${encoding.toUpperCase()} cannot be read here; save the file as "CSV UTF-8".`,
    );
  }
  text = stripBom(text);
  assertLooksLikeText(text, fileName);
  return text;
}
