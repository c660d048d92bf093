/**
 * The whole CSV path in one call, for the CLI and tests: parse each text,
 * guess the schema with the person's overrides, build the source. The UI
 * runs the same three steps separately, to show the guesses in between.
 */
import { buildCsvSource, type BuildOptions, type BuiltCsvSource } from './build-source';
import { parseCsvText } from './parse';
import { inferSchema, type SchemaOverrides } from './schema';
import { decodeCsvFile, encodingNote } from './text-checks';
import type { ParsedTable, TextOrigin } from './table';

export interface CsvText {
  fileName: string;
  text: string;
  /** how the bytes were decoded (decodeCsvFile); absent: the text was given as text */
  origin?: TextOrigin;
}

/** A file's bytes as CsvText, decoded as decodeCsvFile decides and noted for the report. */
export function csvTextFromBytes(bytes: Uint8Array, fileName: string): CsvText {
  const d = decodeCsvFile(bytes, fileName);
  return {
    fileName,
    text: d.text,
    origin:
      d.encoding === 'windows-1252'
        ? { encoding: d.encoding, note: encodingNote(d, d.text) }
        : { encoding: d.encoding },
  };
}

export function loadCsvTexts(
  files: readonly CsvText[],
  overrides: SchemaOverrides,
  opts: BuildOptions,
): BuiltCsvSource & { tables: ParsedTable[] } {
  const tables = files.map((f) => parseCsvText(f.text, f.fileName, f.origin));
  const schema = inferSchema(tables, overrides);
  return { ...buildCsvSource(tables, schema, opts), tables };
}
