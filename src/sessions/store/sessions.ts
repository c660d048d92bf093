/**
 * The operations on live sessions: list, get, save, rename, duplicate.
 * Each runs in one transaction (transaction.ts), so a failure of any kind
 * leaves every store as it was.
 *
 * Writes store only documents that validateSession accepts, so whatever
 * this app wrote it can read back; reads go through restoreSession, so an
 * older stored version is migrated and a damaged record is refused with a
 * message, never half-loaded. The caller owns a document's fields
 * (including updatedAt) in saveSession; rename and duplicate set the
 * timestamps themselves because they are the ones changing the document.
 */
import { SessionFormatError } from '../errors';
import { MAX_NAME_CHARS } from '../limits';
import { validateSession } from '../restore';
import type { SessionDoc } from '../schema';
import type { SessionRecord } from './db';
import { releaseDataset, shareRows, splitRows, withRows, type DatasetRefs } from './datasets';
import { SessionStoreError } from './errors';
import {
  datasetRefOf,
  isoAt,
  notFound,
  restoreStored,
  type StoreContext,
  type WriteOptions,
} from './records';
import {
  infoOf,
  readSummary,
  savedAtOf,
  summaryFromRecord,
  summaryRecordOf,
  type SessionInfo,
  type SessionSummary,
} from './summary';
import { runTransaction } from './transaction';

function valid(doc: unknown, verb: string): SessionDoc {
  const checked = validateSession(doc);
  if (!checked.ok)
    throw new SessionFormatError(`Refusing to ${verb} an invalid session: ${checked.error}`);
  return checked.session;
}

function sortKey(s: SessionSummary): number {
  const t = s.status === 'ok' ? Date.parse(s.updatedAt) : NaN;
  return Number.isFinite(t) ? t : -Infinity;
}

/**
 * Every live session, most recently updated first, read from the summaries
 * (no weights loaded). A session whose summary is missing or damaged is
 * summarized from its record instead; if that is damaged too, it is listed
 * last as a DamagedSession, which can still be deleted.
 */
export async function listSessions(ctx: StoreContext): Promise<SessionSummary[]> {
  const { listed, unlisted } = await runTransaction(
    ctx.db,
    ['sessions', 'summaries'],
    'readonly',
    null,
    async (tx) => {
      const sessions = tx.objectStore('sessions');
      const [ids, ordered] = await Promise.all([
        sessions.getAllKeys(),
        tx.objectStore('summaries').index('byUpdatedAt').getAll(),
      ]);
      const live = new Set(ids);
      const seen = new Set<string>();
      const listed: SessionSummary[] = [];
      for (const raw of ordered.reverse()) {
        // An orphan summary (no session) lists nothing.
        if (!live.has(raw.id) || seen.has(raw.id)) continue;
        const summary = readSummary(raw.id, raw);
        if (summary.status === 'damaged') continue;
        seen.add(raw.id);
        listed.push(summary);
      }
      const rest = ids.filter((id) => !seen.has(id));
      const records = await Promise.all(rest.map((id) => sessions.get(id)));
      return { listed, unlisted: rest.map((id, i) => ({ id, record: records[i] })) };
    },
  );
  if (unlisted.length === 0) return listed;
  // Restoring runs after the transaction; the sort is stable, so ties keep the index order.
  const healed = unlisted.map(({ id, record }) => summaryFromRecord(id, record?.doc));
  return [...listed, ...healed].sort((a, b) => {
    const [ka, kb] = [sortKey(a), sortKey(b)];
    return ka === kb ? 0 : kb - ka;
  });
}

/**
 * The saved session, migrated to the current version, or null when no live
 * session has this id. Throws SessionStoreError('damaged') when the stored
 * record cannot be read back as a valid session.
 */
export async function getSession(ctx: StoreContext, id: string): Promise<SessionDoc | null> {
  const found = await runTransaction(
    ctx.db,
    ['sessions', 'datasets'],
    'readonly',
    null,
    async (tx) => {
      const record = await tx.objectStore('sessions').get(id);
      if (!record) return null;
      const sha = datasetRefOf(record);
      const rows = sha === undefined ? undefined : await tx.objectStore('datasets').get(sha);
      return { record, sha, json: rows?.json };
    },
  );
  if (!found) return null;
  // Parsing and validation run after the transaction, so it does not stay open for them.
  const { record, sha, json } = found;
  const doc = sha === undefined ? record.doc : withRows(record.doc, sha, json);
  return restoreStored(doc);
}

/**
 * Inserts or replaces a session. Throws SessionFormatError for an invalid
 * document, StorageFullError when the quota is exhausted. A trashed
 * session with the same id is superseded (removed from the trash).
 */
export async function saveSession(
  ctx: StoreContext,
  input: SessionDoc,
  opts: WriteOptions = {},
): Promise<SessionInfo> {
  const session = opts.prevalidated ? input : valid(input, 'save');
  const { doc, rowsJson } = splitRows(session);
  const summary = summaryRecordOf(session, ctx.now());
  const { id } = session;
  const sha = session.dataset.sha256;
  return runTransaction(
    ctx.db,
    ['sessions', 'summaries', 'datasets', 'trash'],
    'readwrite',
    'session',
    async (tx) => {
      const [old, trashed] = await Promise.all([
        tx.objectStore('sessions').get(id),
        tx.objectStore('trash').get(id),
      ]);
      const refs: DatasetRefs = {
        datasets: tx.objectStore('datasets'),
        sessions: tx.objectStore('sessions').index('byDataset'),
        trash: tx.objectStore('trash').index('byDataset'),
      };
      const ownRefs = [old, trashed].filter((r) => datasetRefOf(r) === sha).length;
      const shared = rowsJson !== null && (await shareRows(refs, sha, rowsJson, ownRefs));
      const record: SessionRecord = shared ? { id, doc, datasetSha: sha } : { id, doc: session };
      if (trashed) await tx.objectStore('trash').delete(id);
      await tx.objectStore('sessions').put(record);
      await tx.objectStore('summaries').put(summary);
      for (const dropped of new Set([datasetRefOf(old), datasetRefOf(trashed)])) {
        if (dropped !== record.datasetSha) await releaseDataset(refs, dropped);
      }
      return infoOf(summary);
    },
  );
}

export async function renameSession(
  ctx: StoreContext,
  id: string,
  name: string,
): Promise<SessionInfo> {
  const updatedAt = isoAt(ctx.now());
  return runTransaction(ctx.db, ['sessions', 'summaries'], 'readwrite', 'change', async (tx) => {
    const [record, oldSummary] = await Promise.all([
      tx.objectStore('sessions').get(id),
      tx.objectStore('summaries').get(id),
    ]);
    if (!record) throw notFound();
    // Restoring also upgrades an older stored version; shared rows stay where they are.
    const session = valid({ ...restoreStored(record.doc), name, updatedAt }, 'rename');
    const summary = summaryRecordOf(session, savedAtOf(oldSummary));
    await tx.objectStore('sessions').put({ ...record, doc: session });
    await tx.objectStore('summaries').put(summary);
    return infoOf(summary);
  });
}

const COPY_SUFFIX = ' (copy)';

/** "name (copy)", shortened to fit the name limit without splitting a character. */
export function copyName(name: string): string {
  let base = name.slice(0, MAX_NAME_CHARS - COPY_SUFFIX.length);
  if (/[\uD800-\uDBFF]$/.test(base)) base = base.slice(0, -1);
  return base + COPY_SUFFIX;
}

/** A copy under a new id and timestamps, sharing the dataset rows; no autosave checkpoint is copied. */
export async function duplicateSession(
  ctx: StoreContext,
  id: string,
  newName?: string,
): Promise<SessionInfo> {
  const nowMs = ctx.now();
  const newId = ctx.newId();
  return runTransaction(
    ctx.db,
    ['sessions', 'summaries', 'datasets'],
    'readwrite',
    'change',
    async (tx) => {
      const record = await tx.objectStore('sessions').get(id);
      if (!record) throw notFound();
      const sha = datasetRefOf(record);
      if (sha !== undefined && !(await tx.objectStore('datasets').count(sha))) {
        throw new SessionStoreError(
          'damaged',
          'This session cannot be copied: its dataset rows are missing from storage.',
        );
      }
      const source = restoreStored(record.doc);
      const at = isoAt(nowMs);
      const copy = valid(
        {
          ...source,
          id: newId,
          name: newName ?? copyName(source.name),
          createdAt: at,
          updatedAt: at,
        },
        'copy',
      );
      const summary = summaryRecordOf(copy, nowMs);
      const copied: SessionRecord =
        sha === undefined ? { id: newId, doc: copy } : { id: newId, doc: copy, datasetSha: sha };
      await tx.objectStore('sessions').add(copied);
      await tx.objectStore('summaries').put(summary);
      return infoOf(summary);
    },
  );
}
