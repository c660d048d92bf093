/**
 * The three metrics of the evaluation report (issue 14): the latest report
 * from the worker, the progress of the job computing it, and its error.
 *
 * Home of state: memory only (recomputed from the kept model on request).
 * Invariants: a report belongs to the kept model, so it is dropped whenever
 * that model changes (a run ended, a session was loaded, a reset, other
 * data); a failure or a cancelled job clears `pending` only when a metrics
 * job was waited for.
 */
import type { WorkerEvent } from '../worker/protocol';
import type { ThreeMetricsReport } from '../worker/three-metrics-types';

export interface MetricsSlice {
  pending: boolean;
  /** tasks evaluated so far over the four passes; null before the first report of progress */
  progress: { done: number; total: number } | null;
  /** the pre-training baseline is being trained first (once per run) */
  baseline: { done: number; total: number } | null;
  report: ThreeMetricsReport | null;
  error: string | null;
}

export const initialMetrics: MetricsSlice = {
  pending: false,
  progress: null,
  baseline: null,
  report: null,
  error: null,
};

/** The next metrics slice after one worker event (the same object when it does not apply). */
export function reduceMetrics(m: MetricsSlice, e: WorkerEvent): MetricsSlice {
  switch (e.type) {
    case 'three-metrics':
      return e.report
        ? { ...initialMetrics, report: e.report }
        : { ...m, progress: { done: e.done, total: e.total }, baseline: null };
    case 'adapt-progress':
      return m.pending && e.phase === 'baseline'
        ? { ...m, baseline: { done: e.done, total: e.total } }
        : m;
    case 'job-cancelled':
      return m.pending ? { ...m, pending: false, progress: null, baseline: null } : m;
    case 'error':
      return m.pending ? { ...initialMetrics, report: m.report, error: e.message } : m;
    case 'done':
    case 'session-loaded':
    case 'idle':
    case 'data-loaded':
      return m === initialMetrics ? m : { ...initialMetrics };
    default:
      return m;
  }
}
