/**
 * Session persistence in IndexedDB: createSessionStore and the types and
 * errors of its API. The record layout (db.ts) and the per-operation
 * modules stay internal.
 */
export { createSessionStore, type SessionStore, type SessionStoreOptions } from './session-store';
export { SessionStoreError, StorageFullError, isQuotaError, type StoreErrorReason } from './errors';
export type { DamagedSession, SessionInfo, SessionSummary } from './summary';
export type { BestMetric } from './db';
export type { TrashedSession } from './trash';
export type { AutosaveCheckpoint, ResumableSession, StoredCheckpoint } from './checkpoints';
export type { StorageEstimate, StorageManagerLike } from './storage-manager';
export { DB_NAME, DB_VERSION } from './db';
