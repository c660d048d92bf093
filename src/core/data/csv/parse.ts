/**
 * Reading CSV text into a ParsedTable with Papa Parse. Both entry points
 * check that the input is text, sniff the delimiter on the first 64 KB and
 * feed Papa's records to the same TableBuilder, so they accept and refuse
 * exactly the same files. Papa is run without its header mode and without
 * skipping empty lines: row numbers must match what a spreadsheet shows.
 *
 * parseCsvStream is for a Web Worker: a Blob is read slice by slice and
 * decoded with a streaming TextDecoder (a character split between two slices
 * is decoded whole — Papa's own file reader decodes each slice alone and
 * would garble it), then fed to Papa's stream parser, which rejoins rows
 * split between chunks. Memory stays bounded by the rows, not the text, and
 * progress is reported per chunk. The same path runs in browsers and Node.
 */
import Papa from 'papaparse';
import { SNIFF_CHARS } from './caps';
import { sniffDelimiter } from './sniff';
import { TableBuilder, type ParsedTable, type TextOrigin } from './table';
import { assertLooksLikeText, decodeCsvFile, encodingNote, stripBom } from './text-checks';
import { BlobTextStream, InvalidUtf8Error } from './blob-text-stream';
import { refuse } from './problems';

export interface ParseProgress {
  /** data rows read so far */
  rows: number;
  /** approximate share of the input read, in [0, 1] */
  fraction: number;
}

export type ProgressCallback = (progress: ParseProgress) => void;

/**
 * Parses a whole CSV text at once. Throws DataError on a refusal. `origin`
 * says how the text was decoded (decodeCsvFile), for the report.
 */
export function parseCsvText(text: string, fileName: string, origin?: TextOrigin): ParsedTable {
  const clean = stripBom(text);
  assertLooksLikeText(clean, fileName);
  const delimiter = sniffDelimiter(clean.slice(0, SNIFF_CHARS), clean.length > SNIFF_CHARS);
  const builder = new TableBuilder(fileName, delimiter, origin);
  const result = Papa.parse<string[]>(clean, { delimiter });
  builder.addChunk(result.data, result.errors);
  return builder.finish();
}

export interface StreamOptions {
  /** bytes (Blob) or characters (string) per chunk; default 1 MiB */
  chunkSize?: number;
}

/**
 * Parses a Blob (browser File) or a string chunk by chunk, calling
 * `onProgress` after each chunk. Resolves to the same table parseCsvText
 * gives; rejects with a DataError on a refusal.
 */
export async function parseCsvStream(
  file: Blob | string,
  fileName: string,
  onProgress: ProgressCallback = () => {},
  opts: StreamOptions = {},
): Promise<ParsedTable> {
  const chunkSize = opts.chunkSize ?? 1 << 20;
  if (typeof file === 'string') return parseStringInChunks(file, fileName, onProgress, chunkSize);
  return parseBlobInChunks(file, fileName, onProgress, chunkSize);
}

/**
 * Papa callbacks shared by the string and Blob paths: records go to the
 * builder; a refusal aborts the parse and rejects once. `fraction` says how
 * much of the input has been read.
 */
function chunkHandlers(
  builder: TableBuilder,
  fraction: (results: Papa.ParseResult<string[]>) => number,
  onProgress: ProgressCallback,
  resolve: (table: ParsedTable) => void,
  reject: (reason: unknown) => void,
) {
  let failure: unknown = null;
  let settled = false;
  const settle = (fn: () => void) => {
    if (settled) return;
    settled = true;
    fn();
  };
  return {
    /** true once the parse has failed: stop feeding it */
    failed: () => failure !== null,
    chunk(results: Papa.ParseResult<string[]>, parser: Papa.Parser): void {
      if (failure !== null) return;
      try {
        builder.addChunk(results.data, results.errors);
      } catch (e) {
        failure = e;
        parser.abort();
        return;
      }
      onProgress({ rows: builder.rowCount, fraction: Math.min(1, fraction(results)) });
    },
    complete(): void {
      if (failure !== null) {
        settle(() => reject(failure));
        return;
      }
      try {
        const table = builder.finish();
        onProgress({ rows: builder.rowCount, fraction: 1 });
        settle(() => resolve(table));
      } catch (e) {
        settle(() => reject(e));
      }
    },
    error(e: unknown): void {
      settle(() => reject(e));
    },
  };
}

function parseStringInChunks(
  text: string,
  fileName: string,
  onProgress: ProgressCallback,
  chunkSize: number,
): Promise<ParsedTable> {
  const clean = stripBom(text);
  assertLooksLikeText(clean, fileName);
  const delimiter = sniffDelimiter(clean.slice(0, SNIFF_CHARS), clean.length > SNIFF_CHARS);
  const builder = new TableBuilder(fileName, delimiter);
  return new Promise((resolve, reject) => {
    const total = Math.max(1, clean.length);
    const h = chunkHandlers(builder, (r) => r.meta.cursor / total, onProgress, resolve, reject);
    Papa.parse<string[]>(clean, { delimiter, chunkSize, chunk: h.chunk, complete: h.complete });
  });
}

async function parseBlobInChunks(
  blob: Blob,
  fileName: string,
  onProgress: ProgressCallback,
  chunkSize: number,
): Promise<ParsedTable> {
  const headBytes = new Uint8Array(await blob.slice(0, SNIFF_CHARS).arrayBuffer());
  const head = decodeCsvFile(headBytes, fileName, blob.size > SNIFF_CHARS);
  const delimiter = sniffDelimiter(head.text, blob.size > SNIFF_CHARS);
  const origin: TextOrigin =
    head.encoding === 'windows-1252'
      ? { encoding: head.encoding, note: encodingNote(head, head.text) }
      : { encoding: head.encoding };
  const builder = new TableBuilder(fileName, delimiter, origin);
  // UTF-8 is decoded strictly: a byte that is not UTF-8 past the sniffed start refuses by line.
  const stream = new BlobTextStream(blob, head.encoding, chunkSize, head.encoding === 'utf-8');
  return new Promise((resolve, reject) => {
    const total = Math.max(1, blob.size);
    const h = chunkHandlers(
      builder,
      () => stream.bytesRead / total,
      onProgress,
      resolve,
      (e) =>
        reject(
          e instanceof InvalidUtf8Error
            ? refuse(
                { file: fileName },
                `line ${e.line} is not valid UTF-8 although the start of the file is; save the file as "CSV UTF-8" (or all of it as Windows-1252) and try again.`,
              )
            : e,
        ),
    );
    // Papa reads any object shaped like a Node readable (readable, read, on); ours is one.
    Papa.parse<string[]>(stream as unknown as NodeJS.ReadableStream, {
      delimiter,
      chunk: h.chunk,
      complete: h.complete,
      error: h.error,
    });
    stream.pump(h.failed).catch(h.error);
  });
}
