/**
 * The sessions slice: what the sessions panel shows (the stored sessions,
 * the ones a crash left with newer progress, the session on screen, its
 * evaluation, the space used, a message) and the pure transitions that put a
 * session on screen. Plain data only; the IndexedDB calls live in
 * sessions-actions.ts.
 *
 * Homes of state: the session documents live in IndexedDB; this slice holds
 * copies for the page. A session opened from a link is `readOnly` and lives
 * in memory only until "Save a copy". Every string here may come from a file
 * or a link: render it as text, never as HTML.
 */
import type { EvaluationResult, SessionDoc } from '../sessions/schema';
import type { ResumableSession, SessionSummary, StorageEstimate } from '../sessions/store/index';
import type { WorkerEvent } from '../worker/protocol';
import type { AppState } from './slices';

/** The session on screen. */
export interface SessionRef {
  id: string;
  name: string;
  createdAt: string;
  /** opened from a share link: not stored until "Save a copy" */
  readOnly: boolean;
  /** a copy is in IndexedDB */
  stored: boolean;
  /** the worker's lineage of the run it belongs to (null until the worker has it) */
  lineage: number | null;
}

export interface SessionMessage {
  kind: 'error' | 'info';
  text: string;
}

export interface SessionsSlice {
  list: SessionSummary[];
  resumable: ResumableSession[];
  current: SessionRef | null;
  /**
   * the current session's document as the page holds it (opened, imported, from a link,
   * or an unstored run's end); a stored run's newer steps are read back on demand
   * (sessions-context.ts latestDoc), never sent with each checkpoint
   */
  doc: SessionDoc | null;
  lastCheckpoint: { step: number; at: string } | null;
  evaluation: EvaluationResult | null;
  evaluating: boolean;
  message: SessionMessage | null;
  storage: StorageEstimate | null;
  /** the last deleted session, which Undo can bring back */
  deleted: { id: string; name: string } | null;
  /** the current session lacks its dataset rows: the person must choose the file */
  datasetPrompt: { name: string; sha256: string } | null;
  shareUrl: string | null;
}

export const initialSessions: SessionsSlice = {
  list: [],
  resumable: [],
  current: null,
  doc: null,
  lastCheckpoint: null,
  evaluation: null,
  evaluating: false,
  message: null,
  storage: null,
  deleted: null,
  datasetPrompt: null,
  shareUrl: null,
};

export function withSessions(
  s: AppState,
  f: (x: SessionsSlice) => Partial<SessionsSlice>,
): AppState {
  const cur = s.sessions ?? initialSessions;
  return { ...s, sessions: { ...cur, ...f(cur) } };
}

/** True when the session needs the person to supply its dataset file. */
export function needsDatasetFile(doc: SessionDoc): boolean {
  return doc.dataset.source === 'csv' && !doc.dataset.rows?.length;
}

/**
 * Puts a session on screen: its curves, its configuration, the run as
 * stopped at its last step (so Train continues it when it has steps left),
 * its stored evaluation.
 */
export function showSession(s: AppState, doc: SessionDoc, ref: SessionRef): AppState {
  const h = doc.history;
  const cp = doc.checkpoint ?? null;
  const step = cp ? cp.step : h.stepsDone;
  const kind =
    doc.evaluation?.metric ??
    (doc.dataset.schema.kind === 'classification'
      ? 'accuracy'
      : doc.dataset.source === 'builtin' && doc.dataset.name === 'blobs'
        ? 'accuracy'
        : 'mse');
  const family =
    doc.dataset.source === 'builtin' &&
    (doc.dataset.name === 'sinusoid' ||
      doc.dataset.name === 'linear' ||
      doc.dataset.name === 'blobs')
      ? doc.dataset.name
      : s.setup.family;
  const next: AppState = {
    ...s,
    setup: {
      ...s.setup,
      family,
      config: { ...doc.config, hidden: [...doc.config.hidden] },
      runConfig: { ...doc.config, hidden: [...doc.config.hidden] },
      pending: null,
      epoch: s.setup.epoch + 1,
    },
    run: {
      ...s.run,
      status: 'stopped',
      step,
      totalSteps: doc.config.metaSteps,
      etaSec: NaN,
      tasksPerSec: NaN,
      compilingMessage: null,
      error: null,
      doneReason: 'stopped',
      bestStep: h.bestStep,
      memory: { first: null, last: null, peak: 0 },
      evaluation: null,
    },
    history: {
      train: h.train
        .filter((p) => p.step <= step)
        .map((p) => ({ step: p.step, trainLoss: p.trainLoss ?? NaN })),
      validation: h.validation
        .filter((p) => p.step <= step)
        .map((p) => ({ step: p.step, loss: p.loss ?? NaN, metric: p.metric ?? NaN })),
      throughput: [],
      metric: kind,
    },
    backend: { ...s.backend, recovery: null },
  };
  return withSessions(next, () => ({
    current: ref,
    doc,
    evaluation: doc.evaluation,
    evaluating: false,
    lastCheckpoint: null,
    shareUrl: null,
    datasetPrompt: needsDatasetFile(doc)
      ? { name: doc.dataset.name, sha256: doc.dataset.sha256 }
      : null,
  }));
}

/** The sessions part of applying worker events (reduce.ts delegates here). */
export function reduceSessionEvent(
  s: AppState,
  e: Extract<WorkerEvent, { type: 'session-loaded' | 'checkpoint' | 'session-evaluation' }>,
): AppState {
  switch (e.type) {
    case 'session-loaded':
      return withSessions(s, (x) =>
        x.current && x.current.id === e.sessionId
          ? { current: { ...x.current, lineage: e.lineage } }
          : {},
      );
    case 'checkpoint':
      // Written to IndexedDB by the session actions, which then record it here.
      return s;
    case 'session-evaluation':
      return withSessions(s, () => ({ evaluation: e.evaluation, evaluating: false }));
    default:
      e satisfies never;
      return s;
  }
}
