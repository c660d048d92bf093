/**
 * The public face of core/data: task sources (built-in families and CSV
 * uploads), the CSV pipeline (parse → infer schema → build source + report)
 * and the contract types. Everything else in this folder is internal.
 */
export * from './types';

export {
  builtinSource,
  loadBuiltinSource,
  builtinLoadsAsync,
  isBuiltinName,
  BUILTIN_FAMILIES,
  BUILTIN_DESCRIPTIONS,
  type AssetLoader,
  type BuiltinName,
  type BuiltinOptions,
  type SyncBuiltinName,
} from './builtin';
export {
  OmniglotSource,
  omniglotSourceFromBytes,
  OMNIGLOT_VAL_CHARACTERS,
  OMNIGLOT_IMAGE_SHAPE,
  type OmniglotOptions,
} from './families/omniglot';
export { OMNIGLOT_ASSET_PATH, OMNIGLOT_ASSET_SHA256 } from './omniglot/checksum';
export { browserAssetLoader, fetchWithProgress, type AssetProgress } from './omniglot/fetch-asset';
export {
  SinusoidSource,
  SINUSOID_RANGES,
  sinusoidBatch,
  sinusoidCurve,
  sinusoidValue,
  sinusoidName,
  sampleSinusoidParams,
  type SinusoidParams,
  type SinusoidOptions,
  type SinusoidTaskSpec,
} from './families/sinusoid';
export { LinearSource, type LinearOptions, type LinearParams } from './families/linear';
export { BlobsSource, type BlobsOptions } from './families/blobs';

export {
  parseCsvText,
  parseCsvStream,
  type ParseProgress,
  type ProgressCallback,
  type StreamOptions,
} from './csv/parse';
export { decodeCsvBytes } from './csv/text-checks';
export type { ParsedTable } from './csv/table';
export type { Delimiter } from './csv/sniff';
export {
  inferSchema,
  type DatasetSchema,
  type SchemaOverrides,
  type ColumnType,
} from './csv/schema';
export { buildCsvSource, type BuildOptions, type BuiltCsvSource } from './csv/build-source';
export { loadCsvTexts, type CsvText } from './csv/load';
export {
  encodeRecord,
  inputNames,
  restoreTarget,
  standardizeTarget,
  type Normalization,
  type FeatureEncoding,
} from './csv/normalization';
export type { DataReport, Spread, FileSummary, ClassSummary } from './csv/report';
export type { SplitFractions } from './csv/meta-split';
export type { DataProblem, ProblemAction, ProblemCode, ProblemCounts } from './csv/problems';
export { MAX_COLUMNS, MAX_CATEGORIES, MAX_INPUTS, MAX_CLASS_CODES } from './csv/caps';

export { ClassificationTaskSet } from './task-sets/classification-set';
export { RegressionTaskSet } from './task-sets/regression-set';
