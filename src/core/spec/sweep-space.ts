/**
 * A sweep's search space: for some training settings, the range or the list
 * of values a hyper-parameter search may try, read from JSON (a file, a form,
 * a session) and checked against the configuration itself.
 *
 * Which keys may be swept is not a second list to keep in step with the
 * configuration: it is every key of TrainConfig (read at run time from
 * CONFIG_HELP, which the compiler forces to name every key) except the ones
 * that define the experiment rather than tune it (see NOT_SWEPT). Whether a
 * range fits a key is decided by validateConfig on the configurations at the
 * range's ends and at every choice, so a key another change adds to
 * TrainConfig (with its validation) becomes sweepable with no edit here.
 *
 * Shape of the JSON: `{ "innerLr": { "type": "float", "low": 0.001,
 * "high": 1, "log": true }, "innerSteps": { "type": "int", "low": 1,
 * "high": 5 }, "hidden": { "type": "categorical", "choices": [[40, 40],
 * [64, 64]] } }`. Plain data and pure functions, no tfjs.
 */
import { z } from 'zod';
import { CONFIG_HELP, validateConfig, type AlgorithmName, type TrainConfig } from './config';

/** How trials are proposed: every combination, independent draws, or TPE (core/sweep). */
export const SAMPLER_NAMES = ['grid', 'random', 'tpe'] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/**
 * Keys a sweep never varies: the seed (each trial is its own seeded run,
 * derived from the sweep's seed), and the validation protocol (evalInnerSteps,
 * valEvery, valTasks) because it defines the score trials are compared by.
 */
export const NOT_SWEPT = ['seed', 'evalInnerSteps', 'valEvery', 'valTasks'] as const;
type NotSwept = (typeof NOT_SWEPT)[number];

export type SweepKey = Exclude<keyof TrainConfig, NotSwept>;

/** Every sweepable key, derived from the configuration's own key list. */
export const SWEEPABLE_KEYS: readonly SweepKey[] = (
  Object.keys(CONFIG_HELP) as (keyof TrainConfig)[]
).filter((k): k is SweepKey => !(NOT_SWEPT as readonly string[]).includes(k));

export function isSweepKey(k: string): k is SweepKey {
  return (SWEEPABLE_KEYS as readonly string[]).includes(k);
}

/** A value a categorical parameter may take: text, a number, a flag, or a list (hidden sizes). */
export const choiceValueSchema = z.union([
  z.string().max(64),
  z.number().finite(),
  z.boolean(),
  z.array(z.number().int().min(1).max(4096)).min(1).max(16),
]);
export type ChoiceValue = z.infer<typeof choiceValueSchema>;

const floatParamSchema = z.object({
  type: z.literal('float'),
  low: z.number().finite(),
  high: z.number().finite(),
  /** sample on a log scale (learning rates, L2) */
  log: z.boolean().optional(),
});

const intParamSchema = z.object({
  type: z.literal('int'),
  low: z.number().int(),
  high: z.number().int(),
  log: z.boolean().optional(),
});

const categoricalParamSchema = z.object({
  type: z.literal('categorical'),
  choices: z.array(choiceValueSchema).min(1).max(64),
});

export const paramSpecSchema = z
  .discriminatedUnion('type', [floatParamSchema, intParamSchema, categoricalParamSchema], {
    error: 'expected {"type": "float" | "int" | "categorical", …}',
  })
  .superRefine((p, ctx) => {
    if (p.type === 'categorical') return;
    if (!(p.low <= p.high))
      ctx.addIssue({ code: 'custom', message: `low (${p.low}) must not exceed high (${p.high})` });
    if (p.log && !(p.low > 0))
      ctx.addIssue({ code: 'custom', message: `a log scale needs low > 0 (got ${p.low})` });
  });
export type ParamSpec = z.infer<typeof paramSpecSchema>;
export type NumericParamSpec = Extract<ParamSpec, { type: 'float' | 'int' }>;

/** The structural schema (keys are checked against the configuration by parseSweepSpace). */
export const sweepSpaceSchema = z
  .record(z.string().min(1).max(64), paramSpecSchema)
  .refine((r) => Object.keys(r).length >= 1, { error: 'a search space needs at least one key' })
  .refine((r) => Object.keys(r).length <= SWEEPABLE_KEYS.length + 8, {
    error: 'too many keys',
  });
export type SweepSpace = Partial<Record<SweepKey, ParamSpec>>;

/** One trial's settings: a value for every key of the space. */
export type SweepParams = Partial<Record<SweepKey, ChoiceValue>>;

/** The configuration a trial trains: the base with the trial's values put in. */
export function applyParams(base: TrainConfig, params: SweepParams): TrainConfig {
  return { ...base, ...(params as Partial<TrainConfig>) };
}

/** The values that stand for a parameter when its fit to the configuration is checked. */
function probeValues(p: ParamSpec): ChoiceValue[] {
  return p.type === 'categorical' ? p.choices : [p.low, p.high];
}

/** validateConfig's first complaint about one key set to one value, or null. */
function problemWith(base: TrainConfig, key: SweepKey, value: ChoiceValue): string | null {
  const candidate = applyParams(base, { [key]: value });
  const baseValue = base[key];
  // A key whose default has a type (number, list, text) only takes values of that type.
  if (baseValue !== undefined) {
    const kind = (v: unknown) => (Array.isArray(v) ? 'list' : typeof v);
    if (kind(baseValue) !== kind(value))
      return `${key} takes a ${kind(baseValue)}, not ${JSON.stringify(value)}`;
  }
  let problems: string[];
  try {
    problems = validateConfig(candidate);
  } catch {
    return `${key} cannot be ${JSON.stringify(value)}`;
  }
  // Only what this value adds counts: the base may carry problems of its own.
  const before = new Set(validateConfig(base));
  return problems.find((m) => !before.has(m)) ?? null;
}

/**
 * Reads a search space from unknown JSON and checks each key against the
 * configuration `base` (the settings of the keys not swept). Throws an Error
 * whose message names the key and what is wrong.
 */
export function parseSweepSpace(json: unknown, base: TrainConfig): SweepSpace {
  const parsed = sweepSpaceSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new Error(`search space: ${where}${issue?.message ?? 'invalid'}`);
  }
  const space: SweepSpace = {};
  for (const [key, p] of Object.entries(parsed.data)) {
    if (!isSweepKey(key)) {
      const why = (NOT_SWEPT as readonly string[]).includes(key)
        ? 'it defines the experiment, not a setting to tune'
        : 'it is not a training setting';
      throw new Error(
        `search space: "${key}" cannot be swept (${why}); sweepable keys: ${SWEEPABLE_KEYS.join(', ')}`,
      );
    }
    if (p.type !== 'categorical' && typeof base[key] !== 'number' && base[key] !== undefined)
      throw new Error(`search space: ${key} is not a number; give it as "categorical"`);
    for (const v of probeValues(p)) {
      const problem = problemWith(base, key, v);
      if (problem) throw new Error(`search space: ${problem}`);
    }
    space[key] = p;
  }
  return space;
}

const logFloat = (low: number, high: number): ParamSpec => ({
  type: 'float',
  low,
  high,
  log: true,
});

/**
 * The space searched when none is given: the settings each method is known
 * to be sensitive to, around the defaults of defaultConfig (each default lies
 * inside its range). MAML's inner rate first of all; Reptile's outer step ε;
 * ProtoNet has no inner loop, so its Adam rate and network width.
 */
export function defaultSweepSpace(algorithm: AlgorithmName): SweepSpace {
  switch (algorithm) {
    case 'maml':
    case 'fomaml':
    case 'metasgd':
      return {
        innerLr: logFloat(1e-3, 1),
        metaLr: logFloat(1e-4, 1e-2),
        innerSteps: { type: 'int', low: 1, high: 5 },
      };
    case 'anil':
      return {
        innerLr: logFloat(1e-3, 1),
        metaLr: logFloat(1e-4, 1e-2),
        innerSteps: { type: 'int', low: 1, high: 10 },
      };
    case 'reptile':
      return {
        innerLr: logFloat(1e-3, 0.3),
        metaLr: logFloat(0.01, 1),
        innerSteps: { type: 'int', low: 1, high: 10 },
      };
    case 'protonet':
      return {
        metaLr: logFloat(1e-4, 1e-2),
        hidden: {
          type: 'categorical',
          choices: [
            [32, 32],
            [64, 64],
            [128, 128],
          ],
        },
        metaBatch: { type: 'categorical', choices: [1, 4, 16] },
      };
    case 'pretrain':
      return {
        metaLr: logFloat(1e-4, 1e-2),
        innerLr: logFloat(1e-3, 1),
        hidden: {
          type: 'categorical',
          choices: [
            [40, 40],
            [64, 64],
            [128, 128],
          ],
        },
      };
    case 'scratch':
      // Nothing is meta-trained: only the fine-tuning rate used at evaluation.
      return { innerLr: logFloat(1e-3, 1) };
  }
}

// ---- a sweep as a session stores it -----------------------------------------

export const TRIAL_STATES = ['complete', 'pruned', 'diverged', 'failed'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

const count = z.number().int().min(0);

/** One trial as recorded: its settings and how it ended (never its weights). */
export const trialRecordSchema = z.object({
  number: count,
  params: z.record(z.string().min(1).max(64), choiceValueSchema),
  state: z.enum(TRIAL_STATES),
  /** best meta-validation metric (MSE or accuracy); null when diverged or failed */
  value: z.preprocess(
    (v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
    z.number().nullable(),
  ),
  /** meta-step of that value */
  bestStep: count,
  /** meta-steps run */
  steps: count,
  seconds: z.number().min(0),
  /** why a trial failed or diverged */
  message: z.string().max(1000).optional(),
});
export type TrialRecord = Omit<z.infer<typeof trialRecordSchema>, 'params'> & {
  params: SweepParams;
};

/**
 * A sweep in a session: how it searched and what every trial scored. The
 * trials' weights are not kept (only the session's own weights, usually the
 * best trial's), so a shared sweep stays small.
 */
export const sweepRecordSchema = z.object({
  sampler: z.enum(SAMPLER_NAMES),
  seed: z.number().int(),
  space: sweepSpaceSchema,
  /** successive halving settings; null when every trial ran to the end */
  pruning: z
    .object({ gracePeriod: z.number().int().min(1), reductionFactor: z.number().int().min(2) })
    .nullable(),
  metric: z.enum(['mse', 'accuracy']),
  trials: z.array(trialRecordSchema).max(10_000),
  /** index into trials of the best complete trial */
  best: count.nullable(),
});
export type SweepRecord = Omit<z.infer<typeof sweepRecordSchema>, 'trials' | 'space'> & {
  space: SweepSpace;
  trials: TrialRecord[];
};
