/**
 * Helpers shared by the store's operations: the context they run in, and
 * the careful reading of records that came back from disk (untrusted: a
 * browser extension, a bug of another version or a damaged disk may have
 * put anything there). A record is only ever interpreted through
 * restoreSession or a zod schema; helpers here never throw anything but a
 * SessionStoreError with a message for people.
 */
import { restoreSession } from '../restore';
import type { SessionDoc } from '../schema';
import type { SessionDb } from './db';
import { SessionStoreError } from './errors';

export interface StoreContext {
  db: SessionDb;
  /** the store's clock in epoch milliseconds (injectable for tests) */
  now: () => number;
  /** a fresh session id */
  newId: () => string;
}

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

export function notFound(what = 'No saved session has this id.'): SessionStoreError {
  return new SessionStoreError('not-found', what);
}

/** The dataset key a stored record refers to, if it is a usable one. */
export function datasetRefOf(record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const sha = (record as { datasetSha?: unknown }).datasetSha;
  return typeof sha === 'string' ? sha : undefined;
}

/**
 * A stored document as a current-version session (migrating older ones).
 * Throws SessionStoreError('damaged') with restoreSession's explanation.
 */
export function restoreStored(doc: unknown): SessionDoc {
  const restored = restoreSession(doc);
  if (!restored.ok) {
    throw new SessionStoreError('damaged', `The saved copy is unreadable. ${restored.error}`);
  }
  return restored.session;
}

/** How much a write may trust its document. */
export interface WriteOptions {
  /**
   * The document is already a validated SessionDoc (the worker builds run
   * sessions with sessionFromRun, which validates, and the message channel
   * cannot alter them). Validating a long run's history again on the main
   * thread took 74 ms at the first autosave of a run: a page freeze.
   */
  prevalidated?: boolean;
}
