/**
 * How worker events change the store: one pure function from (state, events)
 * to the next state, so a batch of events becomes one store update and one
 * render, and every transition is testable without React or a worker.
 *
 * Invariants: histories are sorted by step and never hold a step twice. When
 * the worker resumes a run from an earlier checkpoint (after a backend
 * failure), points past that step are dropped before the new ones arrive.
 */
import type { WorkerEvent } from '../worker/protocol';
import { clampToLimits, isCsvEvent, reduceCsv } from './data-slice';
import { isImagesEvent, reduceImages } from './images-slice';
import { configForData } from './family-config';
import type { AppState, HistorySlice, RunSlice } from './slices';
import { isActive } from './slices';
import { reduceSessionEvent } from './sessions-slice';
import { reduceAdaptation } from './adaptation-slice';
import { reduceMetrics } from './metrics-slice';
import { reducePreview } from './preview-slice';
import { reduceDraw } from './draw-slice';
import { reduceSweep } from './sweep-slice';

/** Appends points sorted by step, first dropping any at or after the first new step. */
export function appendByStep<T extends { step: number }>(old: T[], points: readonly T[]): T[] {
  if (points.length === 0) return old;
  const from = (points[0] as T).step;
  let keep = old.length;
  while (keep > 0 && (old[keep - 1] as T).step >= from) keep--;
  return keep === old.length ? [...old, ...points] : [...old.slice(0, keep), ...points];
}

function truncate(h: HistorySlice, step: number): HistorySlice {
  return {
    ...h,
    train: h.train.filter((p) => p.step <= step),
    validation: h.validation.filter((p) => p.step <= step),
    throughput: h.throughput.filter((p) => p.step <= step),
  };
}

/** Events of a run: after Reset, those still in flight from the old run are dropped. */
const RUN_EVENTS = new Set<WorkerEvent['type']>([
  'compiling',
  'status',
  'progress',
  'metrics',
  'validation',
  'memory',
  'done',
  'run-engine',
]);

function applyOne(s: AppState, e: WorkerEvent): AppState {
  if (isCsvEvent(e)) return { ...s, csv: reduceCsv(s.csv, e) };
  if (isImagesEvent(e)) return { ...s, images: reduceImages(s.images, e) };
  if (s.run.resetting && RUN_EVENTS.has(e.type)) return s;
  switch (e.type) {
    case 'ready': {
      const backend = {
        ...s.backend,
        active: e.backend,
        adapterInfo: e.adapterInfo,
        fallbackReason: e.fallbackReason,
        recovery: e.recovery,
        engine: e.engine ?? null,
        engines: e.engines ?? s.backend.engines,
        // a new backend outside a run: the last run's engine no longer describes what runs next
        runEngine: e.recovery ? s.backend.runEngine : null,
      };
      const status = s.run.status === 'starting' ? 'idle' : s.run.status;
      const history = e.recovery ? truncate(s.history, e.recovery.resumedFromStep) : s.history;
      return { ...s, backend, history, run: { ...s.run, status } };
    }
    case 'data-loaded': {
      const images = e.summary.upload === 'images';
      // An uploaded image set trains Conv-4 (its defaults come with it, and the page says so);
      // K, N and queries never exceed what the data allows (data-slice.ts).
      const kind = images ? configForData(s.setup.config, true) : null;
      const { config, lowered } = clampToLimits(kind?.config ?? s.setup.config, e.summary.limits);
      const configNote = kind?.note ?? s.setup.configNote;
      return {
        ...s,
        setup: { ...s.setup, data: e.summary, config, configNote, load: null, loadError: null },
        history: { ...s.history, metric: e.summary.kind === 'regression' ? 'mse' : 'accuracy' },
        // Only an upload's summary carries limits, and only the staged upload is loaded.
        csv: { ...s.csv, inUse: e.summary.limits !== undefined && !images, lowered },
        images: { ...s.images, inUse: images },
      };
    }
    case 'data-progress': {
      const load = s.setup.load;
      if (!load || load.family !== e.name) return s;
      return { ...s, setup: { ...s.setup, load: { ...load, loaded: e.loaded, total: e.total } } };
    }
    case 'data-failed': {
      // The worker kept the data it had: so does the page (family, summary, configuration).
      const prev = s.setup.load?.previous;
      const loadError = { name: e.name, message: e.message };
      if (!prev) return { ...s, setup: { ...s.setup, load: null, loadError } };
      return {
        ...s,
        setup: { ...s.setup, ...prev, load: null, loadError, configNote: null },
      };
    }
    case 'compiling':
      return { ...s, run: { ...s.run, status: 'compiling', compilingMessage: e.message } };
    case 'status': {
      let status: RunSlice['status'] = e.state;
      // "training" arrives before the first step is compiled; stay in compiling until progress.
      if (e.state === 'training' && s.run.status === 'compiling') status = 'compiling';
      if (!isActive(s.run.status)) return s;
      return { ...s, run: { ...s.run, status } };
    }
    case 'progress': {
      const status =
        s.run.status === 'compiling' || s.run.status === 'idle' ? 'training' : s.run.status;
      return {
        ...s,
        run: {
          ...s.run,
          status,
          compilingMessage: null,
          step: e.step,
          totalSteps: e.totalSteps,
          etaSec: e.etaSec,
          tasksPerSec: e.tasksPerSec,
        },
        history: {
          ...s.history,
          throughput: appendByStep(s.history.throughput, [
            { step: e.step, tasksPerSec: e.recentTasksPerSec },
          ]),
        },
      };
    }
    case 'metrics':
      return { ...s, history: { ...s.history, train: appendByStep(s.history.train, e.points) } };
    case 'validation':
      return {
        ...s,
        run: { ...s.run, bestStep: e.bestStep },
        history: {
          ...s.history,
          metric: e.metric,
          validation: appendByStep(s.history.validation, [e.point]),
        },
      };
    case 'memory': {
      const m = s.run.memory;
      // Only samples taken during training count (the worker also reports after freeing a run).
      if (!isActive(s.run.status) || s.run.step < 1) return s;
      const sample = { step: s.run.step, numTensors: e.numTensors };
      return {
        ...s,
        run: {
          ...s.run,
          memory: {
            first: m.first ?? sample,
            last: sample,
            peak: Math.max(m.peak, e.numTensors),
          },
        },
      };
    }
    case 'done':
      return {
        ...s,
        run: {
          ...s.run,
          status: e.reason === 'stopped' ? 'stopped' : 'done',
          doneReason: e.reason,
          step: e.step,
          bestStep: e.bestStep,
          compilingMessage: null,
          etaSec: 0,
        },
      };
    case 'idle':
      return { ...s, run: { ...s.run, status: 'idle', resetting: false } };
    case 'evaluation':
      return { ...s, run: { ...s.run, evaluation: e } };
    case 'error': {
      const error = { code: e.code, message: e.message };
      // A refused command (busy, no model) does not end the run that is going.
      const endsRun = isActive(s.run.status) && e.code !== 'busy' && e.code !== 'no-model';
      return {
        ...s,
        run: {
          ...s.run,
          error,
          compilingMessage: endsRun ? null : s.run.compilingMessage,
          status: endsRun ? 'error' : s.run.status === 'starting' ? 'error' : s.run.status,
        },
      };
    }
    case 'session-loaded':
      // A refusal shown before (another file chosen for the session's data) no longer holds.
      return reduceSessionEvent({ ...s, run: { ...s.run, error: null } }, e);
    case 'checkpoint':
    case 'session-evaluation':
      return reduceSessionEvent(s, e);
    case 'adaptation':
    case 'adapt-progress':
    case 'three-metrics':
      return s; // the adaptation and metrics slices (below)
    case 'draw-prediction':
      return s; // the draw slice (below)
    case 'image-confusion':
    case 'image-protocol':
      return s; // the adaptation slice (below)
    case 'preview':
      return { ...s, preview: reducePreview(s.preview, e) };
    case 'sweep-started':
    case 'sweep-trial':
    case 'sweep-done':
      return { ...s, sweep: reduceSweep(s.sweep, e) };
    case 'run-engine':
      return { ...s, backend: { ...s.backend, runEngine: e } };
    case 'model-export':
      return s; // downloaded by the session actions (model-export.ts)
    case 'job-cancelled':
      // a session evaluation dropped for Train, Reset or new data is no longer awaited
      return s.sessions.evaluating ? { ...s, sessions: { ...s.sessions, evaluating: false } } : s;
    default:
      e satisfies never;
      return s;
  }
}

export function applyEvents(s: AppState, events: readonly WorkerEvent[], now: number): AppState {
  let next = s;
  for (const e of events) {
    next = applyOne(next, e);
    const adaptation = reduceAdaptation(next.adaptation, e);
    if (adaptation !== next.adaptation) next = { ...next, adaptation };
    const metrics = reduceMetrics(next.metrics, e);
    if (metrics !== next.metrics) next = { ...next, metrics };
    const draw = reduceDraw(next.draw, e);
    if (draw !== next.draw) next = { ...next, draw };
  }
  return { ...next, run: { ...next.run, lastEventAt: now } };
}
