/**
 * The errors the session store throws, each with a message written for the
 * person using the app (the UI shows `message` as plain text, never as HTML).
 *
 * Reading a damaged record, a missing session, a full disk or a browser
 * without IndexedDB are states of the world, not bugs: they arrive as a
 * SessionStoreError with a `reason` the UI can switch on. An invalid
 * document handed to a write is a caller bug and stays a SessionFormatError
 * (../errors.ts). Whatever the error, the transaction that raised it was
 * aborted, so the stored state is the one from before the call.
 */

export type StoreErrorReason =
  /** no live session (or trash entry) has this id */
  | 'not-found'
  /** a stored record cannot be read back as a valid session or checkpoint */
  | 'damaged'
  /** the change contradicts what is stored (e.g. undo over a session with the same id) */
  | 'conflict'
  /** IndexedDB cannot be opened here (missing, private window, newer database) */
  | 'unavailable'
  /** the browser's storage quota is exhausted */
  | 'full'
  /** the browser refused the operation for another reason */
  | 'failed';

export class SessionStoreError extends Error {
  override readonly name: string = 'SessionStoreError';
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a full storage stopped from being written, to word the message. */
export type WriteKind = 'session' | 'change' | 'checkpoint';

const FULL_MESSAGES: Record<WriteKind, string> = {
  session:
    'Browser storage is full: the session was not saved; your previous sessions are unchanged. ' +
    'Free space by deleting old sessions or export this one as a file.',
  change:
    'Browser storage is full: the change was not saved; your sessions are unchanged. ' +
    'Free space by emptying the trash or deleting old sessions.',
  checkpoint:
    'Browser storage is full: training progress can no longer be saved for recovery after a crash; ' +
    'your saved sessions are unchanged. Free space by deleting old sessions.',
};

/** The quota is exhausted; the aborted transaction kept nothing of the write. */
export class StorageFullError extends SessionStoreError {
  override readonly name = 'StorageFullError';
  constructor(kind: WriteKind, options?: { cause?: unknown }) {
    super('full', FULL_MESSAGES[kind], options);
  }
}

/**
 * True for every way browsers report an exhausted quota: the standard
 * DOMException name, Firefox's legacy name, and the legacy code 22.
 */
export function isQuotaError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}
