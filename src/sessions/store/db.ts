/**
 * The IndexedDB database of saved sessions: its object stores, their
 * records, and how the database is opened and upgraded.
 *
 * Object stores (each record type is owned by the module named):
 * - `sessions` (key `id`; session-store/sessions.ts): the validated session
 *   document as written, except that the dataset's raw CSV rows are moved
 *   to `datasets` when `datasetSha` is set. `doc` is typed unknown because
 *   what comes back from disk is untrusted: every read goes through
 *   restoreSession, which also migrates records of older format versions.
 * - `summaries` (key `id`; summary.ts): a few fields per session for the
 *   sessions panel, written in the same transaction as `sessions`, so the
 *   list is read without loading weights. A cache: `sessions` decides which
 *   sessions exist; a missing or damaged summary is reported, not fatal.
 * - `datasets` (key `sha256`; datasets.ts): the JSON text of the raw rows
 *   (`DatasetFile[]`), stored once per content hash and shared by sessions.
 * - `checkpoints` (key `id`; checkpoints.ts): the latest autosave of a
 *   running training, overwritten every few seconds.
 * - `trash` (key `id`; trash.ts): deleted sessions, whole, kept for undo.
 *
 * Invariants (each write keeps them within its one transaction):
 * - a `datasets` record exists iff some `sessions` or `trash` record has
 *   its sha256 as `datasetSha` (found through the `byDataset` indexes);
 * - an id is in at most one of `sessions` and `trash`;
 * - a `checkpoints` record belongs to an id of `sessions` or `trash`.
 *
 * idb's openDB always opens the global `indexedDB`; to let tests and the
 * browser run the same code with an injected IDBFactory, openSessionDb
 * does what openDB does with idb's `wrap`. idb still needs the IDB* classes
 * as globals, and trash.ts uses IDBKeyRange (browsers have them; tests
 * import 'fake-indexeddb/auto').
 */
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { SessionStoreError } from './errors';
import type { AlgorithmName } from '../../core/spec/config';

export const DB_NAME = 'meta-learning-playground';
/** Bump with a new entry in UPGRADES whenever stores or indexes change. */
export const DB_VERSION = 1;

export interface SessionRecord {
  id: string;
  /** the stored session document; untrusted until restoreSession has read it */
  doc: unknown;
  /** set iff the dataset rows were moved to `datasets` under this key */
  datasetSha?: string;
}

export interface DatasetRecord {
  sha256: string;
  /** JSON of the dataset's `rows` (DatasetFile[]): one string clones far faster than 10⁵ arrays */
  json: string;
}

/** The best metric a summary shows (see summary.ts for which one it is). */
export interface BestMetric {
  kind: 'mse' | 'accuracy';
  value: number;
  /** 'evaluation': meta-test after adaptation; 'validation': at the history's best step */
  source: 'evaluation' | 'validation';
  /** the meta-step (validation) or adaptation step (evaluation) it was measured at */
  step: number;
}

/** What the sessions panel lists per session; summary.ts writes it and parses it back. */
export interface SummaryRecord {
  id: string;
  name: string;
  datasetName: string;
  algorithm: AlgorithmName;
  createdAt: string;
  updatedAt: string;
  stepsDone: number;
  best: BestMetric | null;
  hasWeights: boolean;
  /** Date.parse(updatedAt), the sort key (ISO strings with offsets do not sort as text) */
  updatedAtMs: number;
  /** store clock when saveSession last wrote the document (rename keeps it) */
  savedAtMs: number;
}

export interface CheckpointRecord {
  id: string;
  /** store clock (ms) when it was written; compared with the summary's savedAtMs */
  writtenAt: number;
  /** copy of the checkpoint's meta-step, so listing reads no weights */
  step: number;
  /** an AutosaveCheckpoint; untrusted until checkpoints.ts has parsed it */
  value: unknown;
}

export interface TrashRecord {
  id: string;
  deletedAt: number;
  /** copy of session.datasetSha, for the byDataset index */
  datasetSha?: string;
  session: SessionRecord;
  summary?: SummaryRecord;
}

export interface SessionDbSchema extends DBSchema {
  sessions: { key: string; value: SessionRecord; indexes: { byDataset: string } };
  summaries: { key: string; value: SummaryRecord; indexes: { byUpdatedAt: number } };
  datasets: { key: string; value: DatasetRecord };
  checkpoints: {
    key: string;
    value: CheckpointRecord;
    indexes: { byProgress: [number, number] };
  };
  trash: {
    key: string;
    value: TrashRecord;
    indexes: { byDataset: string; byDeletedAt: number };
  };
}

export type SessionDb = IDBPDatabase<SessionDbSchema>;
export type StoreName = StoreNames<SessionDbSchema>;

type Upgrade = (
  db: SessionDb,
  tx: IDBPTransaction<SessionDbSchema, StoreName[], 'versionchange'>,
) => void;

/** UPGRADES[k] turns a version-k database into version k + 1. */
const UPGRADES: readonly Upgrade[] = [
  (db) => {
    const sessions = db.createObjectStore('sessions', { keyPath: 'id' });
    sessions.createIndex('byDataset', 'datasetSha');
    const summaries = db.createObjectStore('summaries', { keyPath: 'id' });
    summaries.createIndex('byUpdatedAt', 'updatedAtMs');
    db.createObjectStore('datasets', { keyPath: 'sha256' });
    const checkpoints = db.createObjectStore('checkpoints', { keyPath: 'id' });
    checkpoints.createIndex('byProgress', ['writtenAt', 'step']);
    const trash = db.createObjectStore('trash', { keyPath: 'id' });
    trash.createIndex('byDataset', 'datasetSha');
    trash.createIndex('byDeletedAt', 'deletedAt');
  },
];

export interface OpenHooks {
  /** the connection is gone (another tab upgrades the database, or the browser closed it) */
  onClose?: () => void;
}

function unavailable(detail: string, cause?: unknown): SessionStoreError {
  return new SessionStoreError(
    'unavailable',
    `Saved sessions cannot be opened: ${detail} Export sessions as files to keep them.`,
    { cause },
  );
}

/**
 * Opens (creating or upgrading) the sessions database. Rejects with a
 * SessionStoreError('unavailable') when this browser cannot store sessions.
 */
export async function openSessionDb(
  factory: IDBFactory | undefined,
  name: string = DB_NAME,
  hooks: OpenHooks = {},
): Promise<SessionDb> {
  if (!factory) {
    throw unavailable('this browser offers no IndexedDB storage (some private windows do not).');
  }
  let request: IDBOpenDBRequest;
  try {
    request = factory.open(name, DB_VERSION);
  } catch (e) {
    throw unavailable('the browser refused to open its storage.', e);
  }
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrap(request.result) as unknown as SessionDb;
    const tx = wrap(request.transaction!) as unknown as Parameters<Upgrade>[1];
    for (let v = event.oldVersion; v < DB_VERSION; v++) UPGRADES[v]!(db, tx);
  });
  let db: SessionDb;
  try {
    db = (await wrap(request)) as unknown as SessionDb;
  } catch (e) {
    if (e instanceof DOMException && e.name === 'VersionError') {
      throw unavailable('they were saved by a newer version of the app. Reload the page.', e);
    }
    throw unavailable('the browser refused to open its storage.', e);
  }
  // Another tab wants a newer version: step aside (it cannot upgrade while we are open).
  db.addEventListener('versionchange', () => {
    db.close();
    hooks.onClose?.();
  });
  db.addEventListener('close', () => hooks.onClose?.());
  return db;
}
