/**
 * Version 0 → 1. Version 0 is the format of the first prototype of the app
 * (never released; kept as the worked example of how migrations work and
 * tested against tests/fixtures/sessions/v0-example.json).
 *
 * A version 0 document differed from version 1 in these ways:
 * - no `format` field, only `version: 0`;
 * - one `savedAt` timestamp in epoch milliseconds instead of the ISO strings
 *   `createdAt` and `updatedAt`;
 * - `weights` as `{ shapes, values }` where `values` is a plain JSON array of
 *   all tensors' numbers, concatenated row-major (3 to 4 times larger than
 *   base64 float32, which is why version 1 changed it);
 * - `history` as `{ trainLoss: number[], validation, bestStep }` with one loss
 *   per meta-step (trainLoss[i] belongs to step i + 1), so `stepsDone` was its
 *   length; version 1 stores `{ step, trainLoss }` points because the trainer
 *   throttles what it reports;
 * - the config had no `patience` (no early stopping: it migrates to 0, which
 *   disables it, so a resumed run behaves as before);
 * - no top-level `seed` or `backend` (the seed was config.seed; the backend
 *   was not recorded and migrates to "unknown");
 * - `dataset.normalization` as `{ featureMean, featureStd, targetMean,
 *   targetStd }`: v0 read numeric features only, in the order of
 *   `schema.features`, so each becomes a numeric encoding of that column and
 *   the target one of `schema.target`;
 * - no `evaluation`, no `checkpoint`, no `dataset.rows` or `dataset.options`.
 *
 * The schema below is frozen: it describes old files and must never change,
 * whatever happens to the current schema.
 */
import { z } from 'zod';
import { ALGORITHMS } from '../../core/spec/config';
import { describeIssues, plainErrorMap } from '../issues';
import {
  MAX_COLUMNS,
  MAX_HISTORY_POINTS,
  MAX_NAME_CHARS,
  MAX_TENSORS,
  MAX_WEIGHT_VALUES,
} from '../limits';
import { encodeWeights, shapeSize } from '../weights';
import { SessionFormatError } from '../errors';
import type { Migration, MigrationResult } from './types';

const num = z.number();
const int = z.number().int();
const text = z.string().max(MAX_NAME_CHARS);

const v0Schema = z.object({
  version: z.literal(0),
  id: z.string().min(1).max(64),
  name: text,
  savedAt: int.min(0).max(8.64e15), // the range of a JavaScript Date
  appVersion: z.string().max(64),
  dataset: z.object({
    source: z.enum(['builtin', 'csv']),
    name: text,
    sha256: z.string(),
    schema: z
      .object({
        taskColumn: text.nullable().optional(),
        target: text.nullable().optional(),
        features: z.array(text).max(MAX_COLUMNS).nullable().optional(),
        splitColumn: text.nullable().optional(),
        kind: z.enum(['regression', 'classification']).nullable().optional(),
        mode: z.enum(['per-task', 'episodic']).nullable().optional(),
      })
      .optional(),
    normalization: z
      .object({
        featureMean: z.array(num).max(MAX_COLUMNS),
        featureStd: z.array(num).max(MAX_COLUMNS),
        targetMean: num,
        targetStd: num,
      })
      .nullable()
      .optional(),
  }),
  config: z.object({
    algorithm: z.enum(ALGORITHMS),
    metaSteps: int,
    metaBatch: int,
    shots: int,
    ways: int,
    queries: int,
    innerLr: num,
    innerSteps: int,
    evalInnerSteps: int,
    metaLr: num,
    hidden: z.array(int).max(64),
    seed: int,
    valEvery: int,
    valTasks: int,
  }),
  history: z.object({
    trainLoss: z.array(num.nullable()).max(MAX_HISTORY_POINTS),
    validation: z
      .array(z.object({ step: int, loss: num.nullable(), metric: num.nullable() }))
      .max(MAX_HISTORY_POINTS),
    bestStep: int,
  }),
  weights: z
    .object({
      shapes: z.array(z.array(int).max(8)).max(MAX_TENSORS),
      values: z.array(num).max(MAX_WEIGHT_VALUES),
    })
    .nullable(),
});

type V0 = z.infer<typeof v0Schema>;

/** Splits v0's flat number list into one Float32Array per shape, or says why it cannot. */
function splitValues(w: NonNullable<V0['weights']>): Float32Array[] | string {
  const sizes: number[] = [];
  for (const [i, shape] of w.shapes.entries()) {
    const size = shapeSize(shape);
    if (typeof size === 'string') return `weights.shapes[${i}]: ${size}`;
    sizes.push(size);
  }
  const needed = sizes.reduce((sum, size) => sum + size, 0);
  if (needed !== w.values.length) {
    return `weights.values: holds ${w.values.length} numbers but the shapes need ${needed}`;
  }
  // v0 wrote float32 weights as decimal numbers; Float32Array rounds them back exactly.
  const all = Float32Array.from(w.values);
  let offset = 0;
  return sizes.map((size) => all.slice(offset, (offset += size)));
}

/** v0's parallel mean/std arrays → the per-column encodings of version 1. */
function migrateNormalization(
  d: V0['dataset'],
): { ok: true; value: unknown } | { ok: false; error: string } {
  const n = d.normalization;
  if (!n) return { ok: true, value: null };
  const features = d.schema?.features;
  const target = d.schema?.target;
  if (!features || !target) {
    return {
      ok: false,
      error:
        'dataset.schema: the feature and target columns are needed to upgrade the normalization',
    };
  }
  if (n.featureMean.length !== features.length || n.featureStd.length !== features.length) {
    return {
      ok: false,
      error: `dataset.normalization: has ${n.featureMean.length} means and ${n.featureStd.length} standard deviations for ${features.length} features`,
    };
  }
  return {
    ok: true,
    value: {
      features: features.map((column, i) => ({
        column,
        type: 'numeric',
        mean: n.featureMean[i],
        std: n.featureStd[i],
      })),
      // Class labels are never standardized, whatever v0 wrote for them.
      target:
        d.schema?.kind === 'classification'
          ? null
          : { column: target, mean: n.targetMean, std: n.targetStd },
      inputDim: features.length,
    },
  };
}

function migrate(input: unknown): MigrationResult {
  const parsed = v0Schema.safeParse(input, { reportInput: true, error: plainErrorMap });
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error.issues) };
  const v0 = parsed.data;

  let weights = null;
  if (v0.weights) {
    const arrays = splitValues(v0.weights);
    if (typeof arrays === 'string') return { ok: false, error: arrays };
    try {
      weights = encodeWeights(arrays, v0.weights.shapes);
    } catch (e) {
      // encodeWeights refuses non-finite values, e.g. a float64 beyond the float32 range.
      if (e instanceof SessionFormatError)
        return { ok: false, error: `weights.values: ${e.message}` };
      throw e;
    }
  }
  const normalization = migrateNormalization(v0.dataset);
  if (!normalization.ok) return normalization;
  const savedAt = new Date(v0.savedAt).toISOString();
  return {
    ok: true,
    doc: {
      format: 'meta-learning-playground/session',
      version: 1,
      id: v0.id,
      name: v0.name,
      createdAt: savedAt,
      updatedAt: savedAt,
      appVersion: v0.appVersion,
      dataset: {
        source: v0.dataset.source,
        name: v0.dataset.name,
        sha256: v0.dataset.sha256,
        schema: v0.dataset.schema ?? {},
        normalization: normalization.value,
      },
      config: { ...v0.config, patience: 0 },
      seed: v0.config.seed,
      backend: 'unknown',
      history: {
        train: v0.history.trainLoss.map((trainLoss, i) => ({ step: i + 1, trainLoss })),
        validation: v0.history.validation,
        bestStep: v0.history.bestStep,
        stepsDone: v0.history.trainLoss.length,
      },
      evaluation: null,
      weights,
      checkpoint: null,
    },
  };
}

export const v0ToV1: Migration = { from: 0, to: 1, migrate };
