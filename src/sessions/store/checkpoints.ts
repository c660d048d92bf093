/**
 * Autosave checkpoints: while a session trains, the app writes the run's
 * latest resumable state (step, current weights, optimizer slots, RNG
 * position, early-stopping state, and the curves so far) every few seconds,
 * one record per session overwritten each time. After a reload or a crash,
 * listResumable finds the sessions whose checkpoint is newer than their
 * last saveSession, to offer resuming them.
 *
 * This is not the document's own `checkpoint` field (which travels with a
 * saved or exported session); it is a crash-recovery copy that lives only
 * in this browser. A checkpoint belongs to a saved session: save the
 * session once when the run starts, then autosave. "Newer" is measured on
 * the store's clock (CheckpointRecord.writtenAt vs summary.savedAtMs), so a
 * rename, which does not save training progress, does not hide a checkpoint.
 */
import { z } from 'zod';
import { SessionFormatError } from '../errors';
import { describeIssues, plainErrorMap } from '../issues';
import { checkpointSchema, historySchema, weightsSchema } from '../schema';
import { SessionStoreError } from './errors';
import { isoAt, notFound, type StoreContext, type WriteOptions } from './records';
import { readSummary, savedAtOf } from './summary';
import { runTransaction } from './transaction';

const autosaveSchema = z
  .object({
    checkpoint: checkpointSchema,
    history: historySchema,
    /**
     * The best weights so far (the document's `weights` at this point): the
     * saved session may predate them, and a resumed run must keep them.
     */
    best: weightsSchema.nullable().optional(),
  })
  .refine((a) => a.checkpoint.step <= a.history.stepsDone, {
    error: 'the checkpoint is later than the last step of the history',
    path: ['checkpoint', 'step'],
  });

/** What the training loop autosaves. */
export type AutosaveCheckpoint = z.infer<typeof autosaveSchema>;

export interface StoredCheckpoint extends AutosaveCheckpoint {
  /** ISO date-time when it was written */
  savedAt: string;
}

export interface ResumableSession {
  id: string;
  /** null when the session's summary is damaged */
  name: string | null;
  /** the meta-step the checkpoint resumes from */
  step: number;
  /** stepsDone of the saved session (null when its summary is damaged) */
  savedStepsDone: number | null;
  /** ISO date-time of the checkpoint */
  checkpointAt: string;
}

function parse(value: unknown): AutosaveCheckpoint | string {
  const parsed = autosaveSchema.safeParse(value, { error: plainErrorMap });
  return parsed.success ? parsed.data : describeIssues(parsed.error.issues);
}

/** Overwrites the session's checkpoint. Throws SessionFormatError for an invalid one, StorageFullError when full. */
export async function saveCheckpoint(
  ctx: StoreContext,
  id: string,
  checkpoint: AutosaveCheckpoint,
  opts: WriteOptions = {},
): Promise<void> {
  const value = opts.prevalidated ? checkpoint : parse(checkpoint);
  if (typeof value === 'string') {
    throw new SessionFormatError(`Refusing to save an invalid checkpoint: ${value}`);
  }
  const writtenAt = ctx.now();
  await runTransaction(
    ctx.db,
    ['sessions', 'checkpoints'],
    'readwrite',
    'checkpoint',
    async (tx) => {
      if (!(await tx.objectStore('sessions').count(id))) {
        throw notFound('No saved session has this id: save the session before its checkpoints.');
      }
      await tx
        .objectStore('checkpoints')
        .put({ id, writtenAt, step: value.checkpoint.step, value });
    },
  );
}

/** The session's checkpoint, or null. Throws SessionStoreError('damaged') if it is unreadable. */
export async function getCheckpoint(
  ctx: StoreContext,
  id: string,
): Promise<StoredCheckpoint | null> {
  const record = await runTransaction(ctx.db, ['checkpoints'], 'readonly', null, (tx) =>
    tx.objectStore('checkpoints').get(id),
  );
  if (!record) return null;
  const value = parse(record.value);
  if (typeof value === 'string' || !Number.isFinite(record.writtenAt)) {
    const why = typeof value === 'string' ? value : 'its date is missing';
    throw new SessionStoreError(
      'damaged',
      `The training progress saved for recovery is unreadable and cannot be resumed: ${why}`,
    );
  }
  return { ...value, savedAt: isoAt(record.writtenAt) };
}

export async function clearCheckpoint(ctx: StoreContext, id: string): Promise<void> {
  await runTransaction(ctx.db, ['checkpoints'], 'readwrite', 'change', (tx) =>
    tx.objectStore('checkpoints').delete(id),
  );
}

/** Live sessions whose checkpoint is newer than their last save, newest checkpoint first. */
export async function listResumable(ctx: StoreContext): Promise<ResumableSession[]> {
  return runTransaction(
    ctx.db,
    ['checkpoints', 'sessions', 'summaries'],
    'readonly',
    null,
    async (tx) => {
      // The byProgress index yields [writtenAt, step] per id without loading any weights.
      const found: { id: string; writtenAt: number; step: number }[] = [];
      let cursor = await tx
        .objectStore('checkpoints')
        .index('byProgress')
        .openKeyCursor(null, 'prev');
      while (cursor) {
        const [writtenAt, step] = cursor.key;
        found.push({ id: cursor.primaryKey, writtenAt, step });
        cursor = await cursor.continue();
      }
      const [live, summaries] = await Promise.all([
        Promise.all(found.map((c) => tx.objectStore('sessions').count(c.id))),
        Promise.all(found.map((c) => tx.objectStore('summaries').get(c.id))),
      ]);
      const out: ResumableSession[] = [];
      found.forEach((c, i) => {
        const raw = summaries[i];
        if (!live[i] || !Number.isFinite(c.writtenAt) || !Number.isInteger(c.step)) return;
        if (c.writtenAt <= savedAtOf(raw)) return;
        const summary = readSummary(c.id, raw);
        const ok = summary.status === 'ok';
        out.push({
          id: c.id,
          name: ok ? summary.name : null,
          step: c.step,
          savedStepsDone: ok ? summary.stepsDone : null,
          checkpointAt: isoAt(c.writtenAt),
        });
      });
      return out;
    },
  );
}
