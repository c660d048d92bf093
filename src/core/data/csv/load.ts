/**
 * The whole CSV path in one call, for the CLI and tests: parse each text,
 * guess the schema with the person's overrides, build the source. The UI
 * runs the same three steps separately, to show the guesses in between.
 */
import { buildCsvSource, type BuildOptions, type BuiltCsvSource } from './build-source';
import { parseCsvText } from './parse';
import { inferSchema, type SchemaOverrides } from './schema';
import type { ParsedTable } from './table';

export interface CsvText {
  fileName: string;
  text: string;
}

export function loadCsvTexts(
  files: readonly CsvText[],
  overrides: SchemaOverrides,
  opts: BuildOptions,
): BuiltCsvSource & { tables: ParsedTable[] } {
  const tables = files.map((f) => parseCsvText(f.text, f.fileName));
  const schema = inferSchema(tables, overrides);
  return { ...buildCsvSource(tables, schema, opts), tables };
}
