/**
 * Every setting the address can carry, in one table (the habit of
 * TensorFlow Playground's State.PROPS): its name in the URL, the kind of
 * value with its allowed values or range, and its home.
 *
 * - home 'hash': shareable. Read at start and kept in `location.hash` as the
 *   person edits, so a link reproduces the setup (without weights).
 * - home 'search': a switch for this visit (`?nowebgpu=1`, `?debug=1`):
 *   read at start, never written back.
 * - remember: also kept in this browser (localStorage, see codec.ts
 *   rememberedText) when the person changes it, and used at start when the
 *   address does not say: the Backend choice survives a reload, a bare URL
 *   and a share link.
 *
 * The training configuration's part is a mapped type over TrainConfig, so a
 * new field in TrainConfig does not compile until it has its line here; the
 * ranges are the session schema's (CONFIG_LIMITS), and a unit test checks
 * that this table and the schema accept and refuse the same edge values.
 * To add a setting: one line in CONFIG_TYPES (a TrainConfig field) or in
 * APP_SETTINGS (anything else in UrlSettings).
 */
import {
  ALGORITHMS,
  defaultConfig,
  imageDefaultConfig,
  BACKBONES,
  MAX_DROPOUT,
  META_OPTIMIZERS,
  type AlgorithmName,
  type MetaOptimizerName,
  type Backbone,
  type TrainConfig,
} from '../../core/spec/config';
import { BUILTIN_FAMILIES, builtinHasImages, type BuiltinName } from '../../core/spec/builtin';
import { BACKEND_ORDER, FUSED_BACKENDS } from '../../core/spec/backend';
import { CONFIG_LIMITS as L } from '../../sessions/limits';
import type { BackendPick } from '../../worker/protocol';
import { between, flag, oneOf, positive, whole, wholeList, type ValueType } from './value-types';

/** Everything the address says about the page. */
export interface UrlSettings {
  config: TrainConfig;
  /** the built-in data family; null when an uploaded CSV is in use (a URL cannot carry it) */
  family: BuiltinName | null;
  backend: BackendPick;
  hideWebgpu: boolean;
  debug: boolean;
}

export type SettingHome = 'hash' | 'search';

export interface Setting<T> {
  /** the name in the URL */
  key: string;
  type: ValueType<T>;
  home: SettingHome;
  /** kept in localStorage too, for visits whose address does not carry it */
  remember?: boolean;
  /** the value to write; null writes nothing */
  get(s: UrlSettings): T | null;
  set(s: UrlSettings, value: T): UrlSettings;
}

/** "From scratch" is a baseline of the evaluation, not a method the form offers. */
export const URL_ALGORITHMS: readonly AlgorithmName[] = ALGORITHMS.filter((a) => a !== 'scratch');

export const BACKEND_PICKS: readonly BackendPick[] = [
  'auto',
  'fastest',
  ...BACKEND_ORDER,
  ...FUSED_BACKENDS,
];

const SEEDS = whole(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);

/** One line per TrainConfig field; the URL name is the field's name. */
/** Conv-4 filters: the two widths the engine offers. */
const FILTERS: ValueType<32 | 64> = {
  allowed: '32 or 64',
  parse: (text) => (text.trim() === '32' ? 32 : text.trim() === '64' ? 64 : undefined),
  format: (v) => String(v),
};

const CONFIG_TYPES: { [K in keyof TrainConfig]-?: ValueType<NonNullable<TrainConfig[K]>> } = {
  backbone: oneOf<Backbone>(BACKBONES),
  filters: FILTERS,
  algorithm: oneOf<AlgorithmName>(URL_ALGORITHMS),
  shots: whole(1, L.shots),
  ways: whole(1, L.ways),
  queries: whole(1, L.queries),
  innerLr: positive,
  innerSteps: whole(0, L.innerSteps),
  metaLr: positive,
  metaBatch: whole(1, L.metaBatch),
  metaSteps: whole(1, L.metaSteps),
  hidden: wholeList(1, L.hiddenUnits, L.hiddenLayers),
  seed: SEEDS,
  evalInnerSteps: whole(0, L.evalInnerSteps),
  valEvery: whole(1, L.valEvery),
  valTasks: whole(1, L.valTasks),
  patience: whole(0, L.patience),
  metaOptimizer: oneOf<MetaOptimizerName>(META_OPTIMIZERS),
  weightDecay: between(0, L.weightDecay),
  cosineSchedule: flag,
  dropout: between(0, MAX_DROPOUT),
  multiStepLoss: flag,
  perStepRates: flag,
};

function configSetting<K extends keyof TrainConfig>(key: K): Setting<NonNullable<TrainConfig[K]>> {
  return {
    key,
    // the mapped table's entry for K; TS cannot narrow an index by a generic key
    type: CONFIG_TYPES[key] as ValueType<NonNullable<TrainConfig[K]>>,
    home: 'hash',
    // an optional field left out (an MLP setup) is not written, so it reads back absent;
    // but an image family reads Conv-4 defaults, so there an MLP is written out
    get: (s) =>
      (s.config[key] ??
        (key === 'backbone' && s.family !== null && builtinHasImages(s.family)
          ? 'mlp'
          : null)) as NonNullable<TrainConfig[K]> | null,
    set: (s, value) => ({ ...s, config: { ...s.config, [key]: value } }),
  };
}

function appSetting<K extends Exclude<keyof UrlSettings, 'config'>>(
  key: string,
  field: K,
  type: ValueType<NonNullable<UrlSettings[K]>>,
  home: SettingHome,
): Setting<NonNullable<UrlSettings[K]>> {
  return {
    key,
    type,
    home,
    get: (s) => s[field] ?? null,
    set: (s, value) => ({ ...s, [field]: value }),
  };
}

/** The settings that are not part of TrainConfig: one line each. */
const APP_SETTINGS = {
  data: appSetting('data', 'family', oneOf<BuiltinName>(BUILTIN_FAMILIES), 'hash'),
  backend: { ...appSetting('backend', 'backend', oneOf(BACKEND_PICKS), 'hash'), remember: true },
  nowebgpu: appSetting('nowebgpu', 'hideWebgpu', flag, 'search'),
  debug: appSetting('debug', 'debug', flag, 'search'),
};

// Each Setting<T> is used only through its own get/set/type, so the element type forgets T.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see the line above
export type AnySetting = Setting<any>;

/**
 * In the order they are written: data and algorithm first, as a person reads
 * a setup. Values are checked one by one; the data's caps on K, N and
 * queries apply when the data loads (store/data-slice.ts clampToLimits).
 */
export const URL_SETTINGS: readonly AnySetting[] = [
  APP_SETTINGS.data,
  ...(Object.keys(CONFIG_TYPES) as (keyof TrainConfig)[]).map((k) => configSetting(k)),
  APP_SETTINGS.backend,
  APP_SETTINGS.nowebgpu,
  APP_SETTINGS.debug,
];

/**
 * The settings of a page opened without any: the algorithm's defaults, the
 * image defaults (Conv-4, core/spec imageDefaultConfig) for an image family.
 */
export function defaultSettings(
  algorithm?: AlgorithmName,
  family: BuiltinName = 'sinusoid',
): UrlSettings {
  return {
    config: builtinHasImages(family)
      ? imageDefaultConfig(algorithm ?? 'protonet')
      : defaultConfig(algorithm ?? 'maml'),
    family,
    backend: 'auto',
    hideWebgpu: false,
    debug: false,
  };
}
