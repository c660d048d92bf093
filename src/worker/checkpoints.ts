/**
 * Autosave checkpoints on the worker side: what a checkpoint event carries
 * and when one is due. The run itself takes a snapshot of its whole state
 * every few seconds (TrainingRun, for GPU recovery); the session polls it and
 * posts a checkpoint whenever the snapshot has moved on, at most once per
 * interval, and always once more when the run ends (Stop, finished) or the
 * page is being hidden. The main thread writes what it receives to
 * IndexedDB; this module only decides what to send and when.
 *
 * Types only for the UI: the schedule is plain arithmetic, no tfjs.
 */
import type { SessionDoc } from '../sessions/schema';

export interface SessionCheckpointBody {
  /**
   * Which run this belongs to: a fresh run gets a new lineage, a continued
   * or resumed run keeps the one of the session it continues, so the main
   * thread knows whether to write into the same session or start a new one.
   */
  lineage: number;
  /** the run has ended (Stop, finished, early-stopped): save the session, not just a checkpoint */
  final: boolean;
  step: number;
  /**
   * The run as a session document: `weights` the best so far, `checkpoint`
   * the current state (weights, Adam slots, RNG position), the curves so
   * far. Its id, name and dates are placeholders the main thread replaces.
   */
  doc: SessionDoc;
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
