/**
 * Autosave inside the worker: checkpoints and finished runs written to
 * IndexedDB (through the same SessionStore the page uses; idb works in a
 * worker), then announced to the page as a small `checkpoint` event. The
 * session documents with their base64 weights never cross to the main
 * thread per checkpoint; only the final one of a run does, once.
 *
 * It owns the identity of the session the worker's run belongs to: a new
 * lineage (a fresh run) gets a new session, named after its algorithm and
 * data; a loaded session keeps its own id and name; the page renames it or
 * turns a share link's read-only session into a stored copy with `rename`.
 * A read-only session (persist false) is never written.
 *
 * Writes run one at a time in order. A checkpoint overtaken by a newer one
 * before its turn is skipped; a final one never is. A checkpoint whose
 * session was deleted meanwhile saves the session again first (as autosave
 * always did). A failed write leaves storage as it was and says why in the
 * event's `error`.
 */
import { newSessionId } from '../sessions/session-id';
import type { SessionDoc } from '../sessions/schema';
import { SessionStoreError, type SessionStore } from '../sessions/store/index';
import type { Post } from './outbox';

export interface SessionIdentity {
  id: string;
  name: string;
  createdAt: string;
  /** written to IndexedDB (false: a share link's session, kept in memory only) */
  persist: boolean;
}

export interface CheckpointJob {
  lineage: number;
  step: number;
  final: boolean;
  /** builds the document (placeholder identity); called only when the write happens */
  build: () => SessionDoc;
  /** the dataset's name and the algorithm, for a new session's name */
  label: string;
}

export class Autosave {
  private identity: (SessionIdentity & { lineage: number }) | null = null;
  private writes: Promise<void> = Promise.resolve();
  private seq = 0;
  private newest = 0;

  constructor(
    private readonly post: Post,
    private readonly store: SessionStore | null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A loaded session: its checkpoints go to it (unless persist is false). */
  adopt(lineage: number, who: SessionIdentity): void {
    this.identity = { ...who, lineage };
  }

  /** The page renamed the session or saved a read-only one as a copy under `next.id`. */
  rename(sessionId: string, next: SessionIdentity): void {
    if (this.identity?.id === sessionId)
      this.identity = { ...next, lineage: this.identity.lineage };
  }

  private identityFor(job: CheckpointJob): SessionIdentity {
    if (this.identity?.lineage === job.lineage) return this.identity;
    const at = this.now().toISOString();
    this.identity = {
      id: newSessionId(),
      name: `${job.label}, ${at.slice(0, 16).replace('T', ' ')}`,
      createdAt: at,
      persist: this.store !== null,
      lineage: job.lineage,
    };
    return this.identity;
  }

  /** Queues a checkpoint; resolves once it is written (or skipped) and announced. */
  save(job: CheckpointJob): Promise<void> {
    // A run stopped before its first meta-step has nothing to keep: no session for it.
    if (job.step === 0 && this.identity?.lineage !== job.lineage) return this.writes;
    const who = this.identityFor(job);
    const seq = ++this.seq;
    this.newest = seq;
    const write = async () => {
      if (seq !== this.newest && !job.final) return;
      let doc: SessionDoc | null = null;
      let error: string | null = null;
      let stored = false;
      try {
        doc = {
          ...job.build(),
          id: who.id,
          name: who.name,
          createdAt: who.createdAt,
          updatedAt: this.now().toISOString(),
        };
        if (this.store && who.persist) {
          await this.write(this.store, doc, job.final);
          stored = true;
        }
      } catch (e) {
        error = `Autosave failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      this.post({
        type: 'checkpoint',
        lineage: job.lineage,
        final: job.final,
        step: job.step,
        sessionId: who.id,
        name: who.name,
        createdAt: who.createdAt,
        stored,
        // a stored run is read back from IndexedDB when the page needs it (Save, Export, Share)
        doc: job.final && !stored ? doc : null,
        error,
      });
    };
    this.writes = this.writes.then(write);
    return this.writes;
  }

  private async write(store: SessionStore, doc: SessionDoc, final: boolean): Promise<void> {
    // validated where it was built (sessionFromRun); see WriteOptions
    const opts = { prevalidated: true };
    const checkpoint = doc.checkpoint;
    if (final || !checkpoint) {
      await store.saveSession(doc, opts);
      return;
    }
    const value = { checkpoint, history: doc.history, best: doc.weights };
    try {
      await store.saveCheckpoint(doc.id, value, opts);
    } catch (e) {
      if (!(e instanceof SessionStoreError && e.reason === 'not-found')) throw e;
      // The run's first checkpoint, or its session was deleted meanwhile: save it (again).
      await store.saveSession(doc, opts);
      await store.saveCheckpoint(doc.id, value, opts);
    }
  }

  /** resolves when every write queued so far has finished */
  settled(): Promise<void> {
    return this.writes;
  }
}
