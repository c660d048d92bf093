/**
 * CSV datasets for the CLI, through the same core/data module the browser
 * uses (so the same validation messages). `--data` takes one path, or several
 * separated by commas (each file one task). A session records the paths, the
 * SHA-256 of the bytes, the column roles and, for small data, the rows
 * themselves; evaluation rebuilds the identical source from them (the
 * meta-split and the normalization are functions of the data and the seed).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  csvTextFromBytes,
  loadCsvTexts,
  type CsvText,
  type SchemaOverrides,
} from '../core/data/index';
import type { TaskSource } from '../core/data/types';
import {
  csvDatasetRecord,
  csvTextsFromDataset,
  hashFiles,
  overridesFromDataset,
  type SessionDataset,
  type SessionDoc,
} from '../sessions/index';
import { CliError } from './errors';

/**
 * What a `--data` spec resolves to, built-in or CSV: defined here, below
 * dataset.ts (which dispatches between the two), so the dependency runs one way.
 */
export interface ResolvedData {
  source: TaskSource;
  dataset: SessionDataset;
  /** lines for the person about repairs made to the data */
  notes: string[];
}

export interface CsvFlags {
  taskColumn?: string;
  target?: string;
  features?: string;
  splitColumn?: string;
  kind?: 'regression' | 'classification';
  mode?: 'per-task' | 'episodic';
  valFraction?: number;
  testFraction?: number;
  /** N of N-way: the default episodic split keeps N classes in meta-val and meta-test */
  ways?: number;
}

function overridesFrom(f: CsvFlags): SchemaOverrides {
  const o: SchemaOverrides = {};
  if (f.taskColumn !== undefined) o.taskColumn = f.taskColumn;
  if (f.target !== undefined) o.target = f.target;
  if (f.features !== undefined)
    o.features = f.features
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (f.splitColumn !== undefined) o.splitColumn = f.splitColumn;
  if (f.kind !== undefined) o.kind = f.kind;
  if (f.mode !== undefined) o.mode = f.mode;
  if (f.valFraction !== undefined) o.valFraction = f.valFraction;
  if (f.testFraction !== undefined) o.testFraction = f.testFraction;
  return o;
}

async function readBytes(p: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(p));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `${p}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a CSV file' : (e as Error).message}`,
    );
  }
}

/** SHA-256 of several files: of their bytes joined, in order. */
export async function loadCsvDataset(
  spec: string,
  flags: CsvFlags,
  seed: number,
): Promise<ResolvedData> {
  const paths = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (paths.length === 0) throw new CliError('--data names no file');
  const bytes = await Promise.all(paths.map(readBytes));
  const texts: CsvText[] = paths.map((p, i) =>
    csvTextFromBytes(bytes[i] as Uint8Array, path.basename(p)),
  );
  const built = loadCsvTexts(texts, overridesFrom(flags), {
    seed,
    ...(flags.ways !== undefined ? { minEach: flags.ways } : {}),
    name: paths.length === 1 ? path.basename(paths[0] as string) : `${paths.length} files`,
  });
  const notes = [...built.report.notes, ...built.report.problems.map((p) => p.message)];
  return {
    source: built.source,
    notes,
    dataset: await csvDatasetRecord({
      name: paths.join(','),
      bytes,
      tables: built.tables,
      report: built.report,
    }),
  };
}

export async function csvSourceFromSession(
  doc: SessionDoc,
  override?: string,
): Promise<TaskSource> {
  const d = doc.dataset;
  let texts: CsvText[];
  if (!override && d.rows && d.rows.length) {
    texts = csvTextsFromDataset(d);
  } else {
    const paths = (override ?? d.name).split(',');
    const bytes = await Promise.all(paths.map(readBytes));
    const sha = await hashFiles(bytes);
    if (sha !== d.sha256) {
      throw new CliError(
        `${paths.join(',')} is not the CSV this session was trained on (its SHA-256 differs); pass the original file with --data`,
      );
    }
    texts = paths.map((p, i) => csvTextFromBytes(bytes[i] as Uint8Array, path.basename(p)));
  }
  return loadCsvTexts(texts, overridesFromDataset(d), { seed: doc.config.seed, name: d.name })
    .source;
}
