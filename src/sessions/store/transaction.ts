/**
 * Every store operation runs in exactly one IndexedDB transaction through
 * `runTransaction`, which is what makes each operation all-or-nothing: if
 * the body throws (our own check, a request error, a full disk at commit),
 * the transaction is aborted and waited for, so nothing partial is kept,
 * and the error is translated for people (StorageFullError for an
 * exhausted quota, SessionStoreError('failed') for other browser errors).
 *
 * Rules for bodies: await every request they start (an unawaited request of
 * an aborted transaction would reject unobserved), and await nothing but
 * requests of this transaction, because IndexedDB commits a transaction as
 * soon as control returns to the event loop with no request pending.
 * Anything slow or asynchronous (validation, JSON) happens before.
 */
import type { IDBPTransaction } from 'idb';
import { SessionFormatError } from '../errors';
import { SessionStoreError, StorageFullError, isQuotaError, type WriteKind } from './errors';
import type { SessionDb, SessionDbSchema, StoreName } from './db';

export type Tx<S extends StoreName[], M extends IDBTransactionMode> = IDBPTransaction<
  SessionDbSchema,
  S,
  M
>;

function describe(e: unknown): string {
  if (e instanceof Error || e instanceof DOMException) return `${e.name}: ${e.message}`;
  return String(e);
}

/** The error to show for a failed transaction, given what the body threw and the transaction's own error. */
function translate(e: unknown, txError: unknown, kind: WriteKind | null): unknown {
  if (kind && (isQuotaError(e) || isQuotaError(txError)))
    return new StorageFullError(kind, { cause: e });
  if (e instanceof SessionStoreError || e instanceof SessionFormatError) return e;
  const what = kind ? 'The change was not saved' : 'Saved sessions could not be read';
  return new SessionStoreError(
    'failed',
    `${what}: the browser's storage reported ${describe(txError ?? e)}. Your sessions are unchanged.`,
    { cause: e },
  );
}

/**
 * Runs `body` in one transaction over `stores` and resolves once the
 * transaction has committed. `kind` names what a readwrite transaction
 * writes, for the message of a StorageFullError.
 */
export async function runTransaction<S extends StoreName[], M extends IDBTransactionMode, T>(
  db: SessionDb,
  stores: S,
  mode: M,
  kind: M extends 'readwrite' ? WriteKind : null,
  body: (tx: Tx<S, M>) => Promise<T>,
): Promise<T> {
  let tx: Tx<S, M>;
  try {
    tx = db.transaction(stores, mode);
  } catch (e) {
    throw translate(e, null, kind);
  }
  try {
    const result = await body(tx);
    await tx.done;
    return result;
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // already finished: aborted by the browser, or the commit itself failed
    }
    await tx.done.catch(() => undefined);
    throw translate(e, tx.error, kind);
  }
}
