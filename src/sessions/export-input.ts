/**
 * A saved session as what the model exports need (core/export's
 * TfjsExportInput): the decoded weights, the network they fit, the settings
 * that shape adaptation, the data's encoding and the recorded evaluation.
 * Shared by the CLI and the worker so both export the same files.
 */
import type { TfjsExportInput } from '../core/export/tfjs-bundle';
import { specFromShapes } from '../core/spec/model';
import { decodeWeights } from './codec';
import type { SessionDoc } from './schema';

export function tfjsExportInput(doc: SessionDoc): TfjsExportInput {
  const w = doc.weights;
  if (!w) throw new Error('this session has no trained weights yet');
  if (doc.dataset.source === 'images' || w.shapes[0]?.length === 4)
    throw new Error('image (Conv-4) models do not export to TensorFlow.js yet');
  const spec = specFromShapes(w.shapes, undefined, {
    learnedLr: doc.config.algorithm === 'metasgd',
  });
  const ev = doc.evaluation;
  const kind =
    doc.dataset.schema.kind ??
    (doc.dataset.source === 'builtin' && doc.dataset.name === 'blobs'
      ? 'classification'
      : 'regression');
  return {
    name: doc.name,
    config: doc.config,
    spec,
    arrays: decodeWeights(w),
    data: {
      kind,
      targetColumn: doc.dataset.schema.target ?? null,
      normalization: doc.dataset.normalization,
    },
    evaluation: ev ? { metric: ev.metric, steps: ev.steps, results: ev.models } : null,
  };
}
