/**
 * "Download model" in the worker, where the weights live: the kept run's
 * best weights (the ones the adaptation panel adapts and a session saves) in
 * one of the CLI's export formats, zipped (fflate) into one download.
 *
 * One zip per format, even for safetensors' two or three files: a click gives
 * one file to save (browsers hold back or ask about a burst of downloads), and
 * the Python folder stays a folder. The kept run is put in the terms of a
 * session (sessions/export-input.ts), so the files are those `npm run cli --
 * export` writes for the same session. The page receives the bytes and a
 * file name, nothing else. session.ts loads this module on the first
 * download, so the Python templates stay out of the worker's first chunk.
 */
import { zipSync } from 'fflate';
import { pythonFolderFiles, safetensorsFiles } from '../core/export/pytorch';
import { tfjsExportFiles } from '../core/export/tfjs-bundle';
import {
  encodeModel,
  exportInputFromSession,
  tfjsExportInput,
  type ExportableSession,
  type SessionDataset,
} from '../sessions/index';
import type { EventOf, ModelExportFormat } from './protocol';
import type { KeptRun } from './kept-run';

/** A file name from the run's name: letters, digits, dashes. */
function slug(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'model'
  );
}

/** The kept run as the part of a session the exports read. */
export function exportableKept(kept: KeptRun, dataset: SessionDataset): ExportableSession {
  return {
    name: `${kept.config.algorithm} on ${dataset.name}`,
    config: kept.config,
    dataset,
    weights: encodeModel({ ...kept.model, arrays: kept.state.best.arrays }),
    history: { stepsDone: kept.state.step, bestStep: kept.state.best.step },
    evaluation: null,
  };
}

async function filesOf(
  doc: ExportableSession,
  format: ModelExportFormat,
): Promise<Record<string, Uint8Array>> {
  if (format === 'tfjs') return tfjsExportFiles(tfjsExportInput(doc));
  const list =
    format === 'safetensors'
      ? safetensorsFiles(exportInputFromSession(doc))
      : pythonFolderFiles(exportInputFromSession(doc));
  return Object.fromEntries(list.map((f) => [f.name, f.bytes]));
}

export async function exportModelZip(
  kept: KeptRun,
  dataset: SessionDataset,
  format: ModelExportFormat,
): Promise<EventOf<'model-export'>> {
  const doc = exportableKept(kept, dataset);
  const files = await filesOf(doc, format);
  const base = `${slug(doc.name)}-${format}`;
  // the Python folder unzips as a folder; the model files sit at the top, next to a page
  const entries =
    format === 'python'
      ? Object.fromEntries(Object.entries(files).map(([n, b]) => [`${base}/${n}`, b]))
      : files;
  const bytes = zipSync(entries, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
  return {
    type: 'model-export',
    format,
    fileName: `${base}.zip`,
    bytes,
    files: Object.keys(files),
  };
}
