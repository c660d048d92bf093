/**
 * The session's record of a CSV dataset, built the same way by the CLI and
 * by the browser worker: the SHA-256 of the files' bytes (in order), the
 * column roles as used, the meta-train normalization, and the rows themselves
 * when the files are small enough to travel inside the session. Larger
 * datasets are identified by name and hash only; whoever opens the session is
 * asked for the files, and the hash must match.
 */
import type { CsvText, DataReport, ParsedTable, SchemaOverrides } from '../core/data/index';
import { sha256Hex } from './codec';
import { builtinDatasetSha256 } from './new-session';
import type { SessionDataset } from './schema';

/** Rows travel inside the session when the files are at most this large. */
export const EMBED_ROWS_MAX_BYTES = 2 * 1024 * 1024;

export async function csvDatasetRecord(d: {
  name: string;
  /** the files' bytes, in upload order */
  bytes: readonly Uint8Array[];
  tables: readonly ParsedTable[];
  report: Pick<DataReport, 'schema' | 'normalization'>;
}): Promise<SessionDataset> {
  const total = d.bytes.reduce((n, b) => n + b.length, 0);
  const s = d.report.schema;
  return {
    source: 'csv',
    name: d.name,
    sha256: await hashFiles(d.bytes),
    schema: {
      taskColumn: s.taskColumn,
      target: s.target,
      features: s.features,
      splitColumn: s.splitColumn,
      kind: s.kind,
      mode: s.mode,
      ...(s.valFraction !== undefined ? { valFraction: s.valFraction } : {}),
      ...(s.testFraction !== undefined ? { testFraction: s.testFraction } : {}),
      ...(s.minSplitUnits !== undefined ? { minSplitUnits: s.minSplitUnits } : {}),
    },
    normalization: d.report.normalization,
    ...(total <= EMBED_ROWS_MAX_BYTES
      ? {
          rows: d.tables.map((t) => ({ fileName: t.fileName, header: t.header, rows: t.rows })),
        }
      : {}),
  };
}

/** The SHA-256 of the files' bytes one after the other: a CSV dataset's identity. */
export async function hashFiles(files: readonly Uint8Array[]): Promise<string> {
  const all = new Uint8Array(files.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of files) {
    all.set(b, o);
    o += b.length;
  }
  return sha256Hex(all);
}

/** The record of a built-in family with its default options. */
export async function builtinDatasetRecord(name: string): Promise<SessionDataset> {
  return {
    source: 'builtin',
    name,
    sha256: await builtinDatasetSha256(name, {}),
    schema: {},
    normalization: null,
    options: {},
  };
}

/** The column roles a session's dataset was trained with, to rebuild it the same way. */
export function overridesFromDataset(d: SessionDataset): SchemaOverrides {
  const s = d.schema;
  const o: SchemaOverrides = {};
  if (s.taskColumn !== undefined) o.taskColumn = s.taskColumn;
  if (s.target) o.target = s.target;
  if (s.features) o.features = s.features;
  if (s.splitColumn !== undefined) o.splitColumn = s.splitColumn;
  if (s.kind) o.kind = s.kind;
  if (s.mode) o.mode = s.mode;
  if (typeof s.valFraction === 'number') o.valFraction = s.valFraction;
  if (typeof s.testFraction === 'number') o.testFraction = s.testFraction;
  if (typeof s.minSplitUnits === 'number') o.minSplitUnits = s.minSplitUnits;
  return o;
}

const csvLine = (cells: string[]) =>
  cells.map((c) => (/[",\n\r;\t]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

/** The CSV texts of the rows a session carries (empty when it carries none). */
export function csvTextsFromDataset(d: SessionDataset): CsvText[] {
  return (d.rows ?? []).map((f) => ({
    fileName: f.fileName,
    text: [f.header, ...f.rows].map(csvLine).join('\n'),
  }));
}
