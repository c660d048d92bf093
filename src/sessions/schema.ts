/**
 * The session document, version 2: one zod schema that is the single source
 * of truth for what a saved session (file, link, IndexedDB entry) may hold,
 * and the TypeScript types inferred from it.
 *
 * Invariants a parsed document guarantees: every number is finite (curve
 * values that were NaN or ±Infinity, e.g. the loss of a diverged run, are
 * stored as null, which is also what JSON.stringify makes of them); every
 * string and list is bounded (limits.ts); weight blobs match their shapes
 * byte for byte and hold only finite values; per-step evaluation curves have
 * one entry per evaluated step; the configuration is a valid TrainConfig.
 *
 * Changing the shape of this document means bumping SESSION_VERSION, freezing
 * the old shape in migrations/, and adding a migration; restore.ts applies it.
 */
import { z } from 'zod';
import type { Normalization } from '../core/data/csv/normalization';
import {
  ALGORITHMS,
  BACKBONES,
  MAX_DROPOUT,
  META_OPTIMIZERS,
  type TrainConfig,
} from '../core/spec/config';
import { sweepRecordSchema } from '../core/spec/sweep-space';
import {
  CONFIG_LIMITS as L,
  MAX_CATEGORIES,
  MAX_CELL_CHARS,
  MAX_COLUMNS,
  MAX_CSV_FILES,
  MAX_CSV_ROWS,
  MAX_LISTED_CLASSES,
  MAX_UPLOAD_FILES,
  CLASS_HASH_CHARS,
  MAX_EVAL_MODELS,
  MAX_EVAL_STEPS,
  MAX_HISTORY_POINTS,
  MAX_NAME_CHARS,
  MAX_OPTION_ARRAY,
  MAX_OPTIONS,
  MAX_TAG_CHARS,
  MAX_TENSORS,
  MAX_TENSOR_DIM,
  MAX_TENSOR_RANK,
  SESSION_FORMAT,
  SESSION_VERSION,
} from './limits';
import { weightsProblem } from './weights';

// ---- building blocks -------------------------------------------------------

/** true when A and B are mutually assignable; used for compile-time guards against drift. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** A whole number in [min, max], with one message for every way to miss it. */
function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const error =
    max === Number.MAX_SAFE_INTEGER
      ? `expected a whole number ≥ ${min}`
      : `expected a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const positiveNumber = z
  .number({ error: 'expected a positive number' })
  .positive({ error: 'expected a positive number' });

const finiteNumber = z.number({ error: 'expected a finite number' });

const nonNegativeNumber = z
  .number({ error: 'expected a number ≥ 0' })
  .min(0, { error: 'expected a number ≥ 0' });

const seedNumber = z
  .number({ error: 'expected a whole number' })
  .int({ error: 'expected a whole number' });

/**
 * A measured value (loss, metric): a finite number, or null when it was not
 * finite. NaN and ±Infinity become null here so that a document built in
 * memory and the same document after a JSON round trip parse alike.
 */
const measuredValue = z.preprocess(
  (v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
  z.number({ error: 'expected a number or null' }).nullable(),
);

const uint32 = wholeNumber(0, 0xffffffff);

function text(max: number) {
  return z.string().max(max);
}

const name = text(MAX_NAME_CHARS).min(1);
const tag = text(MAX_TAG_CHARS).min(1);

/** Keys of records read from outside: never ones that touch an object's prototype. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const recordKey = text(MAX_NAME_CHARS)
  .min(1)
  .refine((k) => !RESERVED_KEYS.has(k), { error: 'uses a reserved name as a key' });

function limitedRecord<V extends z.ZodType>(value: V, max: number) {
  return z.record(recordKey, value).refine((r) => Object.keys(r).length <= max, {
    error: `expected at most ${max} entries`,
  });
}

const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'expected a date-time like 2025-01-31T12:00:00.000Z',
});

const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { error: 'expected 64 lowercase hexadecimal digits (a SHA-256)' });

// ---- weights ---------------------------------------------------------------

const shapesSchema = z
  .array(z.array(wholeNumber(1, MAX_TENSOR_DIM)).max(MAX_TENSOR_RANK), {
    error: 'expected a list of shapes',
  })
  .max(MAX_TENSORS);

/** Adds the byte-level check of a float32 blob (length vs shapes, finite values). */
function checkBlob(w: { shapes: number[][]; base64: string }, ctx: z.RefinementCtx): void {
  const found = weightsProblem(w);
  if (found) ctx.addIssue({ code: 'custom', message: found.problem, path: [found.field] });
}

const blobFields = {
  shapes: shapesSchema,
  dtype: z.literal('float32'),
  base64: z.string(),
};

export const weightsSchema = z.object(blobFields).superRefine(checkBlob);

// ---- dataset ---------------------------------------------------------------

export const columnRolesSchema = z.object({
  taskColumn: name.nullable().optional(),
  target: name.nullable().optional(),
  features: z.array(name).max(MAX_COLUMNS).nullable().optional(),
  splitColumn: name.nullable().optional(),
  kind: z.enum(['regression', 'classification']).nullable().optional(),
  mode: z.enum(['per-task', 'episodic']).nullable().optional(),
  /** the meta-split fractions the person chose (absent: the default) */
  valFraction: z.number().min(0).lt(1).nullable().optional(),
  testFraction: z.number().min(0).lt(1).nullable().optional(),
  /** the default split's minimum of meta-val / meta-test units (N of N-way) */
  minSplitUnits: z.number().int().min(1).max(1000).nullable().optional(),
});

const featureEncodingSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      column: name,
      type: z.literal('numeric'),
      mean: finiteNumber,
      std: positiveNumber,
    }),
    z.object({
      column: name,
      type: z.literal('categorical'),
      categories: z.array(text(MAX_CELL_CHARS)).max(MAX_CATEGORIES),
    }),
  ],
  { error: 'expected a numeric or categorical feature encoding' },
);

/**
 * The data layer's Normalization (core/data/csv/normalization.ts), stored so
 * new rows are encoded exactly as the training data was: numeric features
 * standardized with meta-train mean and std, text features one-hot over their
 * meta-train categories, the regression target standardized (null for
 * classification). inputDim is the model's input width.
 */
export const normalizationSchema = z
  .object({
    features: z.array(featureEncodingSchema).max(MAX_COLUMNS),
    target: z.object({ column: name, mean: finiteNumber, std: positiveNumber }).nullable(),
    inputDim: wholeNumber(0, MAX_TENSOR_DIM),
  })
  .superRefine((n, ctx) => {
    // One input per numeric column, one per category of a text column.
    const width = n.features.reduce(
      (sum, e) => sum + (e.type === 'numeric' ? 1 : e.categories.length),
      0,
    );
    if (width !== n.inputDim) {
      ctx.addIssue({
        code: 'custom',
        message: `is ${n.inputDim} but the feature encodings make ${width} inputs`,
        path: ['inputDim'],
      });
    }
  });

// Compile-time guard: sessions store exactly what the data layer produces.
const _normalizationMatchesDataLayer: Same<
  z.infer<typeof normalizationSchema>,
  Normalization
> = true;

export const datasetFileSchema = z.object({
  fileName: name,
  header: z.array(text(MAX_CELL_CHARS)).max(MAX_COLUMNS),
  rows: z.array(z.array(text(MAX_CELL_CHARS)).max(MAX_COLUMNS)).max(MAX_CSV_ROWS),
});

const optionValue = z.union(
  [
    text(MAX_NAME_CHARS),
    finiteNumber,
    z.boolean(),
    z.null(),
    z.array(finiteNumber).max(MAX_OPTION_ARRAY),
  ],
  { error: 'expected text, a number, true/false, null or a list of numbers' },
);

/**
 * What an uploaded image set holds (sessions/image-contents.ts): a hash of
 * its files that a zip and a folder of the same files share, and per class
 * its file count and a short hash, to name what differs when another set is
 * chosen on open.
 */
const imageContentsSchema = z.object({
  sha256,
  files: wholeNumber(0, MAX_UPLOAD_FILES),
  classes: z
    .array(
      z.object({
        // '' lists the files outside any class folder
        name: text(MAX_NAME_CHARS),
        files: wholeNumber(0, MAX_UPLOAD_FILES),
        sha256: z.string().regex(new RegExp(`^[0-9a-f]{${CLASS_HASH_CHARS}}$`), {
          error: `expected ${CLASS_HASH_CHARS} lowercase hexadecimal digits`,
        }),
      }),
    )
    .max(MAX_LISTED_CLASSES)
    .optional(),
});

export const datasetSchema = z
  .object({
    source: z.enum(['builtin', 'csv', 'images']),
    name,
    /** SHA-256 of the raw CSV bytes, of the image zip (or folder listing), or of the builtin's canonical name+options. */
    sha256,
    schema: columnRolesSchema,
    normalization: normalizationSchema.nullable(),
    /** The raw CSV cells, for datasets small enough to travel with the session. */
    rows: z.array(datasetFileSchema).max(MAX_CSV_FILES).optional(),
    /** The builtin generator's options. */
    options: limitedRecord(optionValue, MAX_OPTIONS).optional(),
    /** An uploaded image set's contents (absent in older sessions and the CLI's). */
    contents: imageContentsSchema.optional(),
  })
  .superRefine((d, ctx) => {
    if (d.source === 'csv') {
      // A CSV dataset cannot be rebuilt without its column roles.
      for (const key of ['target', 'kind'] as const) {
        if (d.schema[key] == null) {
          ctx.addIssue({
            code: 'custom',
            message: 'is required for a CSV dataset',
            path: ['schema', key],
          });
        }
      }
      if (!d.schema.features?.length) {
        ctx.addIssue({
          code: 'custom',
          message: 'a CSV dataset needs at least one feature column',
          path: ['schema', 'features'],
        });
      }
    }
  });

// ---- configuration ---------------------------------------------------------

export const algorithmSchema = z.enum(ALGORITHMS);

/** TrainConfig with the bounds of validateConfig plus upper caps (limits.ts). */
export const configSchema = z.object({
  algorithm: algorithmSchema,
  metaSteps: wholeNumber(1, L.metaSteps),
  metaBatch: wholeNumber(1, L.metaBatch),
  shots: wholeNumber(1, L.shots),
  ways: wholeNumber(1, L.ways),
  queries: wholeNumber(1, L.queries),
  innerLr: positiveNumber,
  innerSteps: wholeNumber(0, L.innerSteps),
  evalInnerSteps: wholeNumber(0, L.evalInnerSteps),
  metaLr: positiveNumber,
  hidden: z.array(wholeNumber(1, L.hiddenUnits)).min(1).max(L.hiddenLayers),
  // absent in sessions saved before conv nets: an MLP with the default filters
  backbone: z.enum(BACKBONES).optional(),
  filters: z.union([z.literal(32), z.literal(64)]).optional(),
  seed: seedNumber,
  valEvery: wholeNumber(1, L.valEvery),
  valTasks: wholeNumber(1, L.valTasks),
  patience: wholeNumber(0, L.patience),
  // since format version 2 (older files get the defaults: migrations/v1.ts)
  metaOptimizer: z.enum(META_OPTIMIZERS),
  weightDecay: z.number().min(0).max(L.weightDecay),
  cosineSchedule: z.boolean(),
  dropout: z.number().min(0).max(MAX_DROPOUT),
  // MAML++ options, absent in files saved before them (= off); no format bump
  multiStepLoss: z.boolean().optional(),
  perStepRates: z.boolean().optional(),
});

// Compile-time guard: the schema and TrainConfig must describe the same record.
const _configMatchesTrainConfig: Same<z.infer<typeof configSchema>, TrainConfig> = true;

// ---- history, evaluation, checkpoint ---------------------------------------

const step = wholeNumber(0);

export const historySchema = z
  .object({
    train: z.array(z.object({ step, trainLoss: measuredValue })).max(MAX_HISTORY_POINTS),
    validation: z
      .array(z.object({ step, loss: measuredValue, metric: measuredValue }))
      .max(MAX_HISTORY_POINTS),
    /** meta-step of the kept (best) weights; 0 before the first validation */
    bestStep: step,
    stepsDone: step,
    /** 'finished' | 'stopped' | 'early-stopped', or another reason worded for people */
    stoppedReason: text(MAX_NAME_CHARS).optional(),
  })
  .refine((h) => h.bestStep <= h.stepsDone, {
    error: 'bestStep cannot be later than stepsDone',
    path: ['bestStep'],
  });

export const modelEvaluationSchema = z.object({
  mean: z.array(measuredValue).max(MAX_EVAL_STEPS),
  /** half-width of the 95% confidence interval of the mean */
  ci95: z.array(measuredValue).max(MAX_EVAL_STEPS),
  median: z.array(measuredValue).max(MAX_EVAL_STEPS),
  /** episodes whose loss diverged at each step (non-finite or over 10× step 0); the mean includes them, the median resists them */
  diverged: z.array(nonNegativeNumber).max(MAX_EVAL_STEPS),
});

export const evaluationSchema = z
  .object({
    algorithm: algorithmSchema,
    metric: z.enum(['mse', 'accuracy']),
    /** adaptation steps at which every model was scored */
    steps: z.array(wholeNumber(0, L.evalInnerSteps)).min(1).max(MAX_EVAL_STEPS),
    episodes: wholeNumber(1, L.evalEpisodes),
    shots: wholeNumber(1, L.shots),
    innerLr: positiveNumber,
    seed: seedNumber,
    models: limitedRecord(modelEvaluationSchema, MAX_EVAL_MODELS),
  })
  .superRefine((e, ctx) => {
    for (const [model, curves] of Object.entries(e.models)) {
      for (const key of ['mean', 'ci95', 'median', 'diverged'] as const) {
        if (curves[key].length !== e.steps.length) {
          ctx.addIssue({
            code: 'custom',
            message: `has ${curves[key].length} entries for ${e.steps.length} evaluated steps`,
            path: ['models', model, key],
          });
        }
      }
    }
  });

export const optimizerStateSchema = z
  .object({
    /** e.g. 'adam'; the slots (Adam: m then v of each parameter tensor) are a float32 blob */
    name: tag,
    step,
    ...blobFields,
  })
  .superRefine(checkBlob);

/** What a paused run needs to resume exactly where it stopped. */
export const checkpointSchema = z.object({
  step,
  rngState: z.tuple([uint32, uint32, uint32, uint32]),
  /** the current parameters (the top-level `weights` are the best ones, which may be older) */
  weights: weightsSchema,
  optimizer: optimizerStateSchema,
  earlyStopping: z.object({ bestLoss: measuredValue, sinceBest: step }).optional(),
});

// ---- the document ----------------------------------------------------------

export const sessionSchema = z
  .object({
    format: z.literal(SESSION_FORMAT),
    version: z.literal(SESSION_VERSION),
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, {
      error: 'expected an id of 1 to 64 letters, digits, "-" or "_"',
    }),
    name,
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    /** version of the app that wrote the session, for bug reports */
    appVersion: tag,
    dataset: datasetSchema,
    config: configSchema,
    /** the seed the run used (config.seed unless the run was reseeded) */
    seed: seedNumber,
    /** backend the run used ('webgpu', 'wasm', 'cpu', 'tensorflow', …): results depend on it */
    backend: tag,
    history: historySchema,
    evaluation: evaluationSchema.nullable(),
    /** the best weights of the run, or null before training */
    weights: weightsSchema.nullable(),
    /** weights of baselines trained alongside, for evaluation (joint pre-training) */
    baselines: z.object({ pretrain: weightsSchema.nullable() }).optional(),
    checkpoint: checkpointSchema.nullable().optional(),
    /** the hyper-parameter sweep this session's settings came from (no trial weights); absent in older files */
    sweep: sweepRecordSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.checkpoint && s.checkpoint.step > s.history.stepsDone) {
      ctx.addIssue({
        code: 'custom',
        message: 'the checkpoint is later than the last step of the history',
        path: ['checkpoint', 'step'],
      });
    }
  });

export type SessionDoc = z.infer<typeof sessionSchema>;
export type SessionDataset = SessionDoc['dataset'];
export type ColumnRoles = z.infer<typeof columnRolesSchema>;
export type StoredNormalization = z.infer<typeof normalizationSchema>;
export type FeatureEncoding = z.infer<typeof featureEncodingSchema>;
export type DatasetFile = z.infer<typeof datasetFileSchema>;
export type BuiltinOptions = NonNullable<SessionDataset['options']>;
export type SessionConfig = z.infer<typeof configSchema>;
export type TrainingHistory = z.infer<typeof historySchema>;
export type EvaluationResult = z.infer<typeof evaluationSchema>;
export type ModelEvaluation = z.infer<typeof modelEvaluationSchema>;
export type StoredWeights = z.infer<typeof weightsSchema>;
export type OptimizerState = z.infer<typeof optimizerStateSchema>;
export type Checkpoint = z.infer<typeof checkpointSchema>;
export type StoredSweep = z.infer<typeof sweepRecordSchema>;
