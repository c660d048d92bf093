/**
 * Autosave checkpoints on the worker side: what a checkpoint event carries
 * and when one is due. The run itself takes a snapshot of its whole state
 * every few seconds (TrainingRun, for GPU recovery); the run controller
 * polls it and saves a checkpoint whenever the snapshot has moved on, at
 * most once per interval, and always once more when the run ends (Stop,
 * finished) or the page is being hidden. The worker writes checkpoints to
 * IndexedDB itself (autosave.ts); the page hears only which session reached
 * which step, so a checkpoint costs the main thread the same at step 200
 * and at step 20,000.
 *
 * Types only for the UI: the schedule is plain arithmetic, no tfjs.
 */
import type { SessionDoc } from '../sessions/schema';

export interface SessionCheckpointBody {
  /**
   * Which run this belongs to: a fresh run gets a new lineage, a continued
   * or resumed run keeps the one of the session it continues.
   */
  lineage: number;
  /** the run has ended (Stop, finished, early-stopped): the session itself was saved */
  final: boolean;
  step: number;
  /** the session the checkpoint was written to (the worker names a new run's session) */
  sessionId: string;
  name: string;
  createdAt: string;
  /** the session is in IndexedDB (false for a share link's session, or without storage) */
  stored: boolean;
  /**
   * Only on the final checkpoint of a run that is not stored (a share
   * link's session, no IndexedDB): the session document, for Save a copy,
   * Export and Share. A stored one is read back from IndexedDB on demand.
   */
  doc: SessionDoc | null;
  /** why the write failed (storage full, unavailable); the previous state stays stored */
  error: string | null;
}

/** How often the worker looks at the run's latest snapshot. */
export const CHECKPOINT_POLL_MS = 1000;

/**
 * Decides when a snapshot becomes a checkpoint: never the same step twice,
 * never more often than `minIntervalMs` unless forced (pagehide). The
 * checkpoint at the end of a run is always sent and does not ask.
 */
export class CheckpointSchedule {
  private lastStep = -1;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly minIntervalMs: number) {}

  due(step: number, now: number, force = false): boolean {
    if (step <= this.lastStep) return false;
    return force || now - this.lastAt >= this.minIntervalMs;
  }

  mark(step: number, now: number): void {
    this.lastStep = step;
    this.lastAt = now;
  }

  /** the step of the last checkpoint posted, -1 before the first */
  get last(): number {
    return this.lastStep;
  }
}
