/**
 * The sessions store: the one object the app (and tests) use to keep
 * sessions in IndexedDB. It owns the database connection, opened lazily on
 * the first call and reopened after the browser or another tab closed it;
 * every method is one transaction (see transaction.ts), so a failed call
 * leaves storage exactly as it was.
 *
 * Who owns what: the caller owns the documents it passes and gets back
 * (plain values, never live views of storage); this store owns the records
 * and the invariants listed in db.ts. Names and messages are plain strings
 * for text nodes; nothing here produces HTML.
 *
 * Errors: SessionFormatError when asked to write an invalid document (a
 * bug of the caller); SessionStoreError (reason not-found, damaged,
 * conflict, unavailable, failed) or its subclass StorageFullError for the
 * states of the world a person must be told about.
 */
import type { SessionDoc } from '../schema';
import { newSessionId } from '../session-id';
import {
  clearCheckpoint,
  getCheckpoint,
  listResumable,
  saveCheckpoint,
  type AutosaveCheckpoint,
  type ResumableSession,
  type StoredCheckpoint,
} from './checkpoints';
import { DB_NAME, openSessionDb, type SessionDb } from './db';
import type { StoreContext, WriteOptions } from './records';
import { duplicateSession, getSession, listSessions, renameSession, saveSession } from './sessions';
import {
  defaultStorageManager,
  requestPersistence,
  storageEstimate,
  type StorageEstimate,
  type StorageManagerLike,
} from './storage-manager';
import type { SessionInfo, SessionSummary } from './summary';
import { deleteSession, listTrash, purgeTrash, undoDelete, type TrashedSession } from './trash';

export interface SessionStoreOptions {
  /** default: the global indexedDB (absent in Node: every call then rejects with reason 'unavailable') */
  factory?: IDBFactory;
  /** database name (default 'meta-learning-playground') */
  name?: string;
  /** clock in epoch milliseconds (default Date.now) */
  now?: () => number;
  /** default: navigator.storage, when there is one */
  storage?: StorageManagerLike;
}

export interface SessionStore {
  listSessions(): Promise<SessionSummary[]>;
  getSession(id: string): Promise<SessionDoc | null>;
  saveSession(doc: SessionDoc, opts?: WriteOptions): Promise<SessionInfo>;
  renameSession(id: string, name: string): Promise<SessionInfo>;
  duplicateSession(id: string, newName?: string): Promise<SessionInfo>;
  deleteSession(id: string): Promise<void>;
  undoDelete(id: string): Promise<SessionSummary>;
  purgeTrash(olderThanMs: number): Promise<number>;
  listTrash(): Promise<TrashedSession[]>;
  saveCheckpoint(id: string, checkpoint: AutosaveCheckpoint, opts?: WriteOptions): Promise<void>;
  getCheckpoint(id: string): Promise<StoredCheckpoint | null>;
  clearCheckpoint(id: string): Promise<void>;
  listResumable(): Promise<ResumableSession[]>;
  storageEstimate(): Promise<StorageEstimate>;
  requestPersistence(): Promise<boolean | null>;
  /** closes the connection; a later call opens it again */
  close(): Promise<void>;
}

export function createSessionStore(options: SessionStoreOptions = {}): SessionStore {
  const factory = options.factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  const now = options.now ?? Date.now;
  const storage = options.storage ?? defaultStorageManager();
  let connection: Promise<SessionDb> | null = null;

  function connect(): Promise<SessionDb> {
    if (!connection) {
      const opening = openSessionDb(factory, options.name ?? DB_NAME, {
        onClose: () => {
          if (connection === opening) connection = null;
        },
      });
      // A failed open is not cached: the next call tries again.
      opening.catch(() => {
        if (connection === opening) connection = null;
      });
      connection = opening;
    }
    return connection;
  }

  async function ctx(): Promise<StoreContext> {
    return { db: await connect(), now, newId: newSessionId };
  }

  return {
    listSessions: async () => listSessions(await ctx()),
    getSession: async (id) => getSession(await ctx(), id),
    saveSession: async (doc, opts) => saveSession(await ctx(), doc, opts),
    renameSession: async (id, name) => renameSession(await ctx(), id, name),
    duplicateSession: async (id, newName) => duplicateSession(await ctx(), id, newName),
    deleteSession: async (id) => deleteSession(await ctx(), id),
    undoDelete: async (id) => undoDelete(await ctx(), id),
    purgeTrash: async (olderThanMs) => purgeTrash(await ctx(), olderThanMs),
    listTrash: async () => listTrash(await ctx()),
    saveCheckpoint: async (id, checkpoint, opts) =>
      saveCheckpoint(await ctx(), id, checkpoint, opts),
    getCheckpoint: async (id) => getCheckpoint(await ctx(), id),
    clearCheckpoint: async (id) => clearCheckpoint(await ctx(), id),
    listResumable: async () => listResumable(await ctx()),
    storageEstimate: () => storageEstimate(storage),
    requestPersistence: () => requestPersistence(storage),
    close: async () => {
      const open = connection;
      connection = null;
      if (open) (await open.catch(() => null))?.close();
    },
  };
}
