/**
 * The sweep part of the message union (protocol.ts): a hyper-parameter
 * sweep run by the worker's coordinator (sweep-coordinator.ts).
 */
import type { BackendName } from '../core/spec/backend';
import type { TrainConfig } from '../core/spec/config';
import type { SamplerName, SweepSpace, TrialRecord } from '../core/spec/sweep-space';
import type { StoredSweep } from '../sessions/schema';

/**
 * A hyper-parameter sweep in the browser (sweep-coordinator.ts): the worker
 * checks the space against `base` again, runs the sampler and successive
 * halving, and trains each trial in a trial worker of its own.
 */
export interface SweepStart {
  /** the settings of every key the space does not vary (its seed seeds the sweep) */
  base: TrainConfig;
  space: SweepSpace;
  sampler: SamplerName;
  trials: number;
  /** trial workers at once; a GPU backend runs one at a time whatever is asked */
  workers: number;
  pruning: { gracePeriod: number; reductionFactor: number } | null;
}

/** One parameter's importance as the sweep events carry it (core/sweep/importance.ts). */
export interface SweepImportance {
  key: string;
  importance: number;
}

export interface SweepCommandBodies {
  /** start a hyper-parameter sweep on the data in use (answered by sweep-started or sweep-done) */
  'sweep-start': SweepStart;
  /** end the sweep now: running trials are dropped, finished ones kept */
  'sweep-stop': Record<never, never>;
}

export interface SweepEventBodies {
  'sweep-started': {
    total: number;
    /** trial workers actually used */
    workers: number;
    backend: BackendName;
    metric: 'mse' | 'accuracy';
    /** how importance is computed, in words (IMPORTANCE_METHOD) */
    importanceMethod: string;
  };
  /** a trial ended (trials end in any order when several run at once) */
  'sweep-trial': {
    trial: TrialRecord;
    /** the number of the best complete trial so far, or null */
    best: number | null;
    importance: SweepImportance[];
  };
  /** the sweep ended; record: what a session stores (null when it never started) */
  'sweep-done': {
    reason: 'finished' | 'stopped' | 'refused';
    message: string | null;
    record: StoredSweep | null;
  };
}
