/**
 * Dataset rows shared between sessions. A session's raw CSV rows can be
 * megabytes, and duplicating a session or saving it again must not copy
 * them: they are stored once per dataset sha256 in `datasets`, and the
 * session record keeps only the key (`datasetSha`).
 *
 * Invariant kept here: a `datasets` record exists iff some `sessions` or
 * `trash` record refers to its sha256. Instead of counters that could drift,
 * releaseDataset counts the references through the `byDataset` indexes in
 * the same transaction as the write that dropped one, and deletes the rows
 * when none is left.
 *
 * The sha256 is the hash of the raw CSV bytes, not of the parsed rows, so
 * two sessions could carry the same hash with different rows (a parser
 * that changed between app versions, a hand-edited file). Rows are shared
 * only when they are identical; otherwise the newcomer keeps its rows
 * inline in its own record (shareRows), and no session ever reads
 * another's rows.
 */
import type { SessionDoc } from '../schema';
import type { DatasetRecord } from './db';
import { SessionStoreError } from './errors';

interface RefIndex {
  count(sha: string): Promise<number>;
}

interface DatasetStore {
  get(sha: string): Promise<DatasetRecord | undefined>;
  put(record: DatasetRecord): Promise<unknown>;
  delete(sha: string): Promise<void>;
}

/**
 * What dataset bookkeeping touches, taken from one readwrite transaction:
 * `datasets` and the `byDataset` indexes of `sessions` and `trash`.
 */
export interface DatasetRefs {
  datasets: DatasetStore;
  sessions: RefIndex;
  trash: RefIndex;
}

/** The stored document without its rows, and the rows as JSON (null when it has none). */
export function splitRows(session: SessionDoc): { doc: SessionDoc; rowsJson: string | null } {
  const { rows, ...dataset } = session.dataset;
  if (!rows) return { doc: session, rowsJson: null };
  return { doc: { ...session, dataset }, rowsJson: JSON.stringify(rows) };
}

/**
 * Stores `rowsJson` under `sha` unless identical rows are already there.
 * Different rows under that hash are replaced only when nobody else refers
 * to them (`ownRefs`: how many of the references are the writer's own old
 * records); otherwise this returns false and the writer keeps its rows inline.
 */
export async function shareRows(
  refs: DatasetRefs,
  sha: string,
  rowsJson: string,
  ownRefs: number,
): Promise<boolean> {
  const existing = await refs.datasets.get(sha);
  if (existing?.json === rowsJson) return true;
  if (existing) {
    const [live, trashed] = await Promise.all([refs.sessions.count(sha), refs.trash.count(sha)]);
    if (live + trashed > ownRefs) return false;
  }
  await refs.datasets.put({ sha256: sha, json: rowsJson });
  return true;
}

/** Deletes the rows of `sha` when no session or trash entry refers to them any more. */
export async function releaseDataset(refs: DatasetRefs, sha: string | undefined): Promise<void> {
  if (sha === undefined) return;
  const [live, trashed] = await Promise.all([refs.sessions.count(sha), refs.trash.count(sha)]);
  if (live + trashed === 0) await refs.datasets.delete(sha);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The stored document with its shared rows put back (still unknown: the
 * caller passes it to restoreSession). Throws SessionStoreError('damaged')
 * when the rows are missing or unreadable.
 */
export function withRows(doc: unknown, sha: string, json: string | undefined): unknown {
  if (json === undefined) {
    throw new SessionStoreError(
      'damaged',
      `This session could not be opened: its dataset rows (SHA-256 ${sha.slice(0, 12)}…) are missing from storage.`,
    );
  }
  let rows: unknown;
  try {
    rows = JSON.parse(json);
  } catch {
    throw new SessionStoreError(
      'damaged',
      'This session could not be opened: its stored dataset rows are damaged.',
    );
  }
  // A document that is not an object is left alone: restoreSession words that problem.
  if (!isRecord(doc) || !isRecord(doc.dataset)) return doc;
  return { ...doc, dataset: { ...doc.dataset, rows } };
}
