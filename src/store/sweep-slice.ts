/**
 * The Sweep panel's state: the form (search space, sampler, trials, workers,
 * successive halving) and the sweep on screen (its trials in the order they
 * ended, the best so far, the importances). Homes: the form lives in memory
 * for this page; a finished sweep's record goes into the session saved next
 * (the worker keeps it; sessions carry it without trial weights).
 */
import type { TrainConfig } from '../core/spec/config';
import type { SamplerName, SweepSpace, TrialRecord } from '../core/spec/sweep-space';
import type { StoredSweep } from '../sessions/schema';
import type { BackendName, EventOf, SweepImportance } from '../worker/protocol';

export interface SweepForm {
  /**
   * null until the panel first shows, which fills in the algorithm's default
   * space (the panel is its own chunk: the search-space code, zod included,
   * stays out of the page's entry chunk)
   */
  space: SweepSpace | null;
  sampler: SamplerName;
  trials: number;
  workers: number;
  pruning: boolean;
  /** meta-steps before the first successive-halving rung */
  gracePeriod: number;
}

export interface SweepSlice {
  form: SweepForm;
  status: 'idle' | 'running' | 'stopping' | 'done' | 'stopped' | 'refused';
  total: number;
  /** trial workers the worker actually used (a GPU backend runs one) */
  workersUsed: number;
  backend: BackendName | null;
  metric: 'mse' | 'accuracy';
  importanceMethod: string;
  /** in the order they ended */
  trials: TrialRecord[];
  /** the number of the best complete trial */
  best: number | null;
  importance: SweepImportance[];
  /** the configuration the sweep varied (a trial's settings are applied to it) */
  base: TrainConfig | null;
  /** why the sweep was refused */
  message: string | null;
  record: StoredSweep | null;
}

/** Spare cores for WASM trial workers: all but the page's own (at least one). */
export function spareCores(cores: number | undefined): number {
  return Math.max(1, (cores ?? 2) - 1);
}

export function initialSweepForm(config: TrainConfig, cores?: number): SweepForm {
  return {
    space: null,
    sampler: 'tpe',
    trials: 20,
    workers: spareCores(cores),
    pruning: true,
    gracePeriod: config.valEvery,
  };
}

export function initialSweep(config: TrainConfig, cores?: number): SweepSlice {
  return {
    form: initialSweepForm(config, cores),
    status: 'idle',
    total: 0,
    workersUsed: 0,
    backend: null,
    metric: 'mse',
    importanceMethod: '',
    trials: [],
    best: null,
    importance: [],
    base: null,
    message: null,
    record: null,
  };
}

export type SweepEvent = EventOf<'sweep-started'> | EventOf<'sweep-trial'> | EventOf<'sweep-done'>;

export function reduceSweep(s: SweepSlice, e: SweepEvent): SweepSlice {
  switch (e.type) {
    case 'sweep-started':
      return {
        ...s,
        status: 'running',
        total: e.total,
        workersUsed: e.workers,
        backend: e.backend,
        metric: e.metric,
        importanceMethod: e.importanceMethod,
        trials: [],
        best: null,
        importance: [],
        message: null,
        record: null,
      };
    case 'sweep-trial':
      return { ...s, trials: [...s.trials, e.trial], best: e.best, importance: e.importance };
    case 'sweep-done':
      if (e.reason === 'refused') return { ...s, status: 'refused', message: e.message };
      return {
        ...s,
        status: e.reason === 'stopped' ? 'stopped' : 'done',
        record: e.record,
        trials: e.record?.trials ?? s.trials,
      };
    default:
      e satisfies never;
      return s;
  }
}
