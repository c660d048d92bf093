/**
 * The session's record of a CSV dataset, built the same way by the CLI and
 * by the browser worker: the SHA-256 of the files' bytes (in order), the
 * column roles as used, the meta-train normalization, and the rows themselves
 * when the files are small enough to travel inside the session. Larger
 * datasets are identified by name and hash only; whoever opens the session is
 * asked for the files, and the hash must match.
 */
import type { DataReport, ParsedTable } from '../core/data/index';
import { sha256Hex } from './codec';
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
  const all = new Uint8Array(total);
  let o = 0;
  for (const b of d.bytes) {
    all.set(b, o);
    o += b.length;
  }
  const s = d.report.schema;
  return {
    source: 'csv',
    name: d.name,
    sha256: await sha256Hex(all),
    schema: {
      taskColumn: s.taskColumn,
      target: s.target,
      features: s.features,
      splitColumn: s.splitColumn,
      kind: s.kind,
      mode: s.mode,
    },
    normalization: d.report.normalization,
    ...(total <= EMBED_ROWS_MAX_BYTES
      ? {
          rows: d.tables.map((t) => ({ fileName: t.fileName, header: t.header, rows: t.rows })),
        }
      : {}),
  };
}
