/**
 * "Download model" in the worker, where the weights live: the kept run's
 * best weights (the ones the adaptation panel adapts and a session saves) as
 * a TensorFlow.js Layers model with its adaptation card, zipped (fflate) for
 * one download. The page receives the bytes and a file name, nothing else.
 */
import { zipSync } from 'fflate';
import type { TaskSource } from '../core/data/types';
import { tfjsExportFiles, tfjsExportProblem } from '../core/export/tfjs-bundle';
import type { SessionDataset } from '../sessions/schema';
import type { EventOf } from './protocol';
import type { KeptRun } from './session-io';

/** A file name from the run's name: letters, digits, dashes. */
function slug(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'model'
  );
}

export async function exportModelZip(
  kept: KeptRun,
  source: TaskSource,
  dataset: SessionDataset,
): Promise<EventOf<'model-export'>> {
  const input = {
    name: `${kept.config.algorithm} on ${dataset.name}`,
    config: kept.config,
    spec: kept.model.spec,
    arrays: kept.state.best.arrays,
    data: {
      kind: source.kind,
      targetColumn: dataset.schema.target ?? null,
      normalization: dataset.normalization,
    },
    evaluation: null,
  };
  const problem = tfjsExportProblem(input);
  if (problem) throw new Error(problem);
  const files = await tfjsExportFiles(input);
  const bytes = zipSync(files, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
  return {
    type: 'model-export',
    format: 'tfjs',
    fileName: `${slug(input.name)}-tfjs.zip`,
    bytes,
    files: Object.keys(files),
  };
}
