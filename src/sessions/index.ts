/**
 * The session module: the versioned session document (schema), the one
 * entry point for reading sessions (restoreSession, migrations included),
 * the file and link codecs, creation of new sessions, and their storage in
 * IndexedDB (./store).
 */
export * from './schema';
export * from './limits';
export { SessionFormatError } from './errors';
export {
  restoreSession,
  validateSession,
  type RestoreResult,
  type ValidateResult,
} from './restore';
export {
  decodeShareFragment,
  decodeWeights,
  encodeShareFragment,
  encodeWeights,
  parseSessionBytes,
  serializeSession,
  sha256Hex,
  shareFragmentFor,
  type EncodedWeights,
  type SerializeOptions,
  type ShareResult,
} from './codec';
export { builtinDatasetSha256, newSession, type NewSessionInput } from './new-session';
export { newSessionId } from './session-id';
export { MIGRATIONS, type Migration, type MigrationResult } from './migrations';
export { encodeModel, sessionFromRun, type RunRecord } from './from-run';
export * from './store';
export {
  builtinDatasetRecord,
  csvDatasetRecord,
  csvTextsFromDataset,
  EMBED_ROWS_MAX_BYTES,
  hashFiles,
  overridesFromDataset,
} from './csv-dataset';
export { exportInputFromSession, tfjsExportInput, type ExportableSession } from './export-input';
