/**
 * Deleting a session moves it, whole, to the trash (for undo); purging
 * deletes trash entries for good, with their autosave checkpoints, and
 * releases dataset rows nobody refers to any more. Each operation is one
 * transaction.
 *
 * Trash entries are moved as stored, without reading them through
 * restoreSession: a damaged session must stay deletable, and undo must
 * give back exactly what was there.
 */
import type { TrashRecord } from './db';
import { releaseDataset, type DatasetRefs } from './datasets';
import { SessionStoreError } from './errors';
import { datasetRefOf, isoAt, notFound, type StoreContext } from './records';
import { readSummary, summaryFromRecord, type SessionSummary } from './summary';
import { runTransaction } from './transaction';

export interface TrashedSession {
  summary: SessionSummary;
  /** ISO date-time of the deletion (null if the entry is damaged) */
  deletedAt: string | null;
}

/** Moves a live session to the trash. */
export async function deleteSession(ctx: StoreContext, id: string): Promise<void> {
  const deletedAt = ctx.now();
  await runTransaction(
    ctx.db,
    ['sessions', 'summaries', 'trash'],
    'readwrite',
    'change',
    async (tx) => {
      const [session, summary] = await Promise.all([
        tx.objectStore('sessions').get(id),
        tx.objectStore('summaries').get(id),
      ]);
      if (!session) throw notFound();
      const entry: TrashRecord = { id, deletedAt, session };
      const sha = datasetRefOf(session);
      if (sha !== undefined) entry.datasetSha = sha;
      if (summary !== undefined) entry.summary = summary;
      await tx.objectStore('trash').put(entry);
      await tx.objectStore('sessions').delete(id);
      await tx.objectStore('summaries').delete(id);
    },
  );
}

/** Puts a trashed session back exactly as it was deleted. */
export async function undoDelete(ctx: StoreContext, id: string): Promise<SessionSummary> {
  const restored = await runTransaction(
    ctx.db,
    ['sessions', 'summaries', 'trash'],
    'readwrite',
    'change',
    async (tx) => {
      const [entry, live] = await Promise.all([
        tx.objectStore('trash').get(id),
        tx.objectStore('sessions').count(id),
      ]);
      if (!entry) throw notFound('This session is not in the trash any more.');
      if (live) {
        throw new SessionStoreError(
          'conflict',
          'A session with the same id has been saved since; it was kept.',
        );
      }
      const session: unknown = entry.session;
      if (
        typeof session !== 'object' ||
        session === null ||
        (session as { id?: unknown }).id !== id
      ) {
        throw new SessionStoreError(
          'damaged',
          'This trash entry is damaged and cannot be restored.',
        );
      }
      await tx.objectStore('sessions').put(entry.session);
      // A summary that names another id must not overwrite that session's; without one, listing rebuilds it.
      const summary = entry.summary as { id?: unknown } | undefined;
      if (summary?.id === id) await tx.objectStore('summaries').put(entry.summary!);
      else await tx.objectStore('summaries').delete(id);
      await tx.objectStore('trash').delete(id);
      return {
        summary: readSummary(id, summary?.id === id ? summary : undefined),
        doc: entry.session.doc,
      };
    },
  );
  // Restoring (to rebuild an unusable summary) runs after the transaction.
  return restored.summary.status === 'ok' ? restored.summary : summaryFromRecord(id, restored.doc);
}

/**
 * Deletes for good the trash entries deleted at least `olderThanMs`
 * milliseconds ago (0: all of them); returns how many.
 */
export async function purgeTrash(ctx: StoreContext, olderThanMs: number): Promise<number> {
  if (!(olderThanMs >= 0)) throw new RangeError('purgeTrash: olderThanMs must be a number ≥ 0');
  const cutoff = ctx.now() - olderThanMs;
  return runTransaction(
    ctx.db,
    ['trash', 'sessions', 'datasets', 'checkpoints'],
    'readwrite',
    'change',
    async (tx) => {
      const trash = tx.objectStore('trash');
      const ids = await trash.index('byDeletedAt').getAllKeys(IDBKeyRange.upperBound(cutoff));
      if (ids.length === 0) return 0;
      // Which dataset each entry refers to, read from the index without loading the sessions.
      const shaOf = new Map<string, string>();
      let cursor = await trash.index('byDataset').openKeyCursor();
      while (cursor) {
        shaOf.set(cursor.primaryKey, cursor.key);
        cursor = await cursor.continue();
      }
      for (const id of ids) {
        await trash.delete(id);
        await tx.objectStore('checkpoints').delete(id);
      }
      const refs: DatasetRefs = {
        datasets: tx.objectStore('datasets'),
        sessions: tx.objectStore('sessions').index('byDataset'),
        trash: trash.index('byDataset'),
      };
      for (const sha of new Set(ids.map((id) => shaOf.get(id)))) await releaseDataset(refs, sha);
      return ids.length;
    },
  );
}

/** The trash, most recently deleted first (loads the trashed records: for a trash panel, not a hot path). */
export async function listTrash(ctx: StoreContext): Promise<TrashedSession[]> {
  return runTransaction(ctx.db, ['trash'], 'readonly', null, async (tx) => {
    const entries = await tx.objectStore('trash').index('byDeletedAt').getAll();
    return entries.reverse().map((e) => ({
      summary: readSummary(e.id, e.summary),
      deletedAt: Number.isFinite(e.deletedAt) ? isoAt(e.deletedAt) : null,
    }));
  });
}
