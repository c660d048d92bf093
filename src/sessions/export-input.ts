/**
 * A session document as the plain data the engine's exports take
 * (core/export/card.ts ExportInput): the best weights decoded, the model
 * spec recovered from their shapes, the data's encoding and, for
 * classification, the distinct labels of the rows stored in the session.
 * Shared by the CLI and the worker so both export the same files.
 */
import type { ExportInput } from '../core/export/card';
import type { TfjsExportInput } from '../core/export/tfjs-bundle';
import { usesPerStepRates } from '../core/spec/config';
import { specFromShapes } from '../core/spec/model';
import { APP_VERSION } from '../core/spec/version';
import { decodeWeights } from './codec';
import type { SessionDoc } from './schema';

const KIND_OF_BUILTIN: Record<string, 'regression' | 'classification'> = {
  sinusoid: 'regression',
  linear: 'regression',
  blobs: 'classification',
  omniglot: 'classification',
};

/** Distinct values of the target column over the stored rows (sorted), or null when not stored. */
function labelsOf(d: SessionDoc['dataset']): string[] | null {
  const target = d.schema.target;
  if (!d.rows?.length || !target) return null;
  const seen = new Set<string>();
  for (const f of d.rows) {
    const j = f.header.indexOf(target);
    if (j < 0) continue;
    for (const r of f.rows) {
      const v = (r[j] ?? '').trim();
      if (v !== '') seen.add(v);
    }
  }
  return [...seen].sort();
}

/**
 * What the exports read of a session: a stored document, or the worker's kept
 * run put in these terms (worker/model-export.ts), so both give the same files.
 */
export type ExportableSession = Pick<
  SessionDoc,
  'name' | 'config' | 'dataset' | 'weights' | 'evaluation'
> & { history: Pick<SessionDoc['history'], 'stepsDone' | 'bestStep'> };

export function exportInputFromSession(doc: ExportableSession): ExportInput {
  if (!doc.weights) throw new Error('this session has no trained weights yet');
  const d = doc.dataset;
  const first = doc.weights.shapes[0];
  // a conv net's image shape: the data's staging size (Omniglot's 28 × 28 by default)
  const side = typeof d.options?.imageSize === 'number' ? d.options.imageSize : 28;
  const imageShape =
    first?.length === 4
      ? { height: side, width: side, channels: first[2] === 3 ? (3 as const) : (1 as const) }
      : undefined;
  const kind =
    d.source === 'csv'
      ? (d.schema.kind ?? 'regression')
      : (KIND_OF_BUILTIN[d.name] ?? 'classification');
  const ev = doc.evaluation;
  return {
    name: doc.name,
    appVersion: APP_VERSION,
    config: doc.config,
    spec: specFromShapes(doc.weights.shapes, imageShape, {
      learnedLr: doc.config.algorithm === 'metasgd',
      stepRates: usesPerStepRates(doc.config),
    }),
    arrays: decodeWeights(doc.weights),
    data: {
      source: d.source,
      name: d.name,
      sha256: d.sha256,
      kind,
      schema: d.source === 'csv' ? { ...d.schema } : null,
      normalization: d.normalization,
      labels: kind === 'classification' && d.source === 'csv' ? labelsOf(d) : null,
      ...(d.options ? { options: { ...d.options } } : {}),
    },
    history: { stepsDone: doc.history.stepsDone, bestStep: doc.history.bestStep },
    evaluation: ev
      ? {
          metric: ev.metric,
          steps: ev.steps,
          episodes: ev.episodes,
          shots: ev.shots,
          innerLr: ev.innerLr,
          seed: ev.seed,
          models: ev.models,
        }
      : null,
  };
}

/** The part of the export input the TensorFlow.js bundle needs. */
export function tfjsExportInput(doc: ExportableSession): TfjsExportInput {
  const e = exportInputFromSession(doc);
  const ev = e.evaluation;
  return {
    name: e.name,
    config: e.config,
    spec: e.spec,
    arrays: e.arrays,
    data: {
      kind: e.data.kind,
      targetColumn: doc.dataset.schema.target ?? null,
      normalization: e.data.normalization,
    },
    evaluation: ev ? { metric: ev.metric, steps: ev.steps, results: ev.models } : null,
  };
}
