/**
 * The adaptation slice (issue 5): which task the person adapts to, its
 * support points as edited, the latest adaptation result and adaptation
 * curve from the worker, the step slider, and the progress of a job.
 *
 * Homes of state: memory only (results are recomputed from the kept model;
 * the evaluation numbers travel with the session through the sessions panel).
 *
 * Invariants: only the answer to the latest `adapt` request is kept
 * (requestId); results are dropped whenever the kept model changes (a run
 * ended, a session was loaded, a reset, other data), and `modelEpoch` counts
 * those changes so the view adapts the new model once, by itself.
 */
import type { WorkerEvent } from '../worker/protocol';
import type {
  AdaptProgress,
  AdaptResult,
  AdaptTaskChoice,
  ConfusionResult,
  EvaluationCurve,
} from '../worker/adapt-types';
import type { ImageProtocolJson } from '../core/spec/image-protocol';

export interface SupportPoints {
  x: number[];
  y: number[];
}

export interface AdaptationSlice {
  /** a model is kept in the worker (a run ended or a session was loaded) */
  hasModel: boolean;
  modelEpoch: number;
  /** the epoch the view last adapted by itself (so it does so once per model) */
  autoEpoch: number;
  task: AdaptTaskChoice;
  /** S: the largest adaptation step shown */
  steps: number;
  /** the support set as the person edited it; null = the task's own */
  support: SupportPoints | null;
  requestId: number;
  result: AdaptResult | null;
  /** the slider: which adaptation step the plot shows */
  step: number;
  pending: 'adapt' | 'evaluate' | 'confusion' | 'protocol' | null;
  progress: AdaptProgress | null;
  evaluation: EvaluationCurve | null;
  /** image tasks: the kept model's confusion matrix over many episodes */
  confusion: ConfusionResult | null;
  /** image tasks: the papers' protocol (the CLI's `evaluate --json` object) */
  protocol: ImageProtocolJson | null;
  /** adaptation curves of earlier models of this page (newest first), for overlays */
  past: PastCurve[];
  /** ids of the past curves overlaid on the chart */
  overlay: number[];
  error: string | null;
}

export interface PastCurve {
  id: number;
  label: string;
  curve: EvaluationCurve;
}

export const MAX_PAST = 6;

export function pastLabel(curve: EvaluationCurve, id: number): string {
  const p = curve.protocol;
  return `run ${id}: ${curve.algorithm}, K ${p.shots}, ${p.episodes} tasks, seed ${p.seed}`;
}

export const initialAdaptation: AdaptationSlice = {
  hasModel: false,
  modelEpoch: 0,
  autoEpoch: -1,
  task: { kind: 'test', index: 0 },
  steps: 10,
  support: null,
  requestId: 0,
  result: null,
  step: 1,
  pending: null,
  progress: null,
  evaluation: null,
  confusion: null,
  protocol: null,
  past: [],
  overlay: [],
  error: null,
};

/** A new model: its predecessor's curve (if evaluated) is kept among the past curves. */
function modelChanged(a: AdaptationSlice, hasModel: boolean): AdaptationSlice {
  const id = a.modelEpoch; // the epoch of the model being replaced: run 1, 2, …
  const past = a.evaluation
    ? [{ id, label: pastLabel(a.evaluation, id), curve: a.evaluation }, ...a.past].slice(
        0,
        MAX_PAST,
      )
    : a.past;
  return {
    ...a,
    past,
    overlay: a.overlay.filter((o) => past.some((p) => p.id === o)),
    hasModel,
    modelEpoch: a.modelEpoch + 1,
    result: null,
    evaluation: null,
    confusion: null,
    protocol: null,
    support: null,
    pending: null,
    progress: null,
    error: null,
  };
}

/** The next adaptation slice after one worker event (the same object when it does not apply). */
export function reduceAdaptation(a: AdaptationSlice, e: WorkerEvent): AdaptationSlice {
  switch (e.type) {
    case 'adaptation': {
      if (e.requestId !== a.requestId) return a;
      const { type: _type, ...result } = e;
      return {
        ...a,
        result,
        step: Math.min(a.step, result.steps),
        pending: a.pending === 'adapt' ? null : a.pending,
        progress: a.pending === 'adapt' ? null : a.progress,
        error: null,
      };
    }
    case 'adapt-progress': {
      const { type: _type, ...progress } = e;
      return { ...a, progress };
    }
    case 'evaluation':
      return { ...a, evaluation: e.curve, pending: null, progress: null, error: null };
    case 'image-confusion': {
      const { type: _type, ...confusion } = e;
      return { ...a, confusion, pending: null, progress: null, error: null };
    }
    case 'image-protocol':
      return { ...a, protocol: e.result, pending: null, progress: null, error: null };
    case 'job-cancelled':
      return a.pending ? { ...a, pending: null, progress: null } : a;
    case 'error':
      return a.pending ? { ...a, pending: null, progress: null, error: e.message } : a;
    case 'done':
    case 'session-loaded':
      return modelChanged(a, true);
    case 'idle':
    case 'data-loaded':
      return a.hasModel || a.result || a.evaluation || a.confusion || a.protocol
        ? modelChanged(a, false)
        : a;
    default:
      return a;
  }
}

/** The support points the next adaptation uses: the edited ones, else the result's. */
export function currentSupport(
  a: Pick<AdaptationSlice, 'support' | 'result'>,
): SupportPoints | null {
  if (a.support) return a.support;
  const r = a.result;
  if (!r || r.kind !== 'regression' || r.inputDim !== 1) return null;
  return { x: Array.from(r.support.x), y: Array.from(r.support.y) };
}

/** Adds a support point (kept sorted by x, so lists and tables read left to right). */
export function addSupportPoint(s: SupportPoints, x: number, y: number): SupportPoints {
  const pts = s.x.map((xi, i) => [xi, s.y[i] as number] as const);
  pts.push([x, y]);
  pts.sort((p, q) => p[0] - q[0]);
  return { x: pts.map((p) => p[0]), y: pts.map((p) => p[1]) };
}

export function removeSupportPoint(s: SupportPoints, index: number): SupportPoints {
  return { x: s.x.filter((_, i) => i !== index), y: s.y.filter((_, i) => i !== index) };
}
