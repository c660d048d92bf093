/**
 * New tasks as CSV for `adapt` and `monitor`: a header row with the feature
 * columns the model was trained on (and the target for support sets), read
 * through the same CSV parser as training data, and the session's model with
 * its adaptation card (core/export), ready for core/export/adapt-new-task.ts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCsvText } from '../core/data/csv/parse';
import type { ParsedTable } from '../core/data/csv/table';
import type { AdapterCard } from '../core/export/card-types';
import { adapterCard } from '../core/export/tfjs-bundle';
import type { NewTaskModel } from '../core/export/adapt-new-task';
import { isConv } from '../core/spec/model';
import { tfjsExportInput, type SessionDoc } from '../sessions/index';
import { CliError } from './errors';
import type { FeatureRow } from '../core/export/encode-rows';

export async function readCsvTable(file: string): Promise<ParsedTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const table = parseCsvText(text, path.basename(file));
  if (table.rows.length === 0) throw new CliError(`${file}: no data rows`);
  return table;
}

export function columnIndex(table: ParsedTable, file: string, name: string): number {
  const i = table.header.indexOf(name);
  if (i < 0)
    throw new CliError(
      `${file}: no column "${name}" (the model needs ${name}; the file has ${table.header.join(', ')})`,
    );
  return i;
}

/** The feature cells of each row, in the card's column order. */
export function featureRows(table: ParsedTable, file: string, card: AdapterCard): FeatureRow[] {
  const idx = card.input.features.map((f) => columnIndex(table, file, f.column));
  return table.rows.map((r) => idx.map((i) => r[i] ?? null));
}

export interface SessionModel {
  card: AdapterCard;
  model: NewTaskModel;
}

/** The session's meta-learned MLP and its card. */
export function sessionModel(doc: SessionDoc, file: string): SessionModel {
  let input;
  try {
    input = tfjsExportInput(doc);
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message}`);
  }
  const spec = input.spec;
  if (isConv(spec)) throw new CliError(`${file}: image (Conv-4) models are not supported here yet`);
  const card = adapterCard(input);
  return {
    card,
    model: {
      spec,
      arrays: input.arrays,
      style: card.adaptation.style,
      lossKind: card.task.kind === 'regression' ? 'mse' : 'ce',
    },
  };
}
