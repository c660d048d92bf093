/**
 * Where the CLI's tasks come from: `builtin:NAME` or a CSV file, turned into
 * a TaskSource plus the dataset record a session stores; and the reverse, a
 * session's dataset record back into the same TaskSource (a CSV session
 * re-reads the file it names, or the rows stored in it).
 */
import { isBuiltinName, loadBuiltinSource, BUILTIN_FAMILIES } from '../core/data/builtin';
import { nodeAssetLoader } from './assets';
import type { TaskSource } from '../core/data/types';
import { builtinDatasetRecord, type SessionDoc } from '../sessions/index';
import { CliError } from './errors';
import { loadCsvDataset, csvSourceFromSession, type CsvFlags } from './csv-dataset';

export type SessionDataset = SessionDoc['dataset'];

export interface ResolvedData {
  source: TaskSource;
  dataset: SessionDataset;
  /** lines for the person about repairs made to the data */
  notes: string[];
}

export async function resolveData(
  spec: string,
  flags: CsvFlags,
  seed: number,
): Promise<ResolvedData> {
  if (spec.startsWith('builtin:')) {
    const name = spec.slice('builtin:'.length);
    if (!isBuiltinName(name)) {
      throw new CliError(
        `unknown built-in family "${name}" in --data; choose one of ${BUILTIN_FAMILIES.map((f) => `builtin:${f}`).join(', ')}`,
      );
    }
    return {
      // Omniglot reads public/omniglot/ (committed); the generated families load nothing.
      source: await loadBuiltinSource(name, nodeAssetLoader()),
      dataset: await builtinDatasetRecord(name),
      notes: [],
    };
  }
  return loadCsvDataset(spec, flags, seed);
}

export async function sourceFromSession(
  doc: SessionDoc,
  csvPathOverride?: string,
): Promise<TaskSource> {
  const d = doc.dataset;
  if (d.source === 'builtin') {
    if (!isBuiltinName(d.name))
      throw new CliError(`the session uses an unknown built-in family "${d.name}"`);
    return loadBuiltinSource(d.name, nodeAssetLoader(), (d.options ?? {}) as never);
  }
  return csvSourceFromSession(doc, csvPathOverride);
}
