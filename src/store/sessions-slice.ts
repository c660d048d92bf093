/**
 * The sessions slice: what the sessions panel shows (the stored sessions,
 * the ones a crash left with newer progress, the session on screen, its
 * evaluation, the space used, a message) and its pure transitions. Plain
 * data only; the IndexedDB calls live in sessions-actions.ts, and putting a
 * session on screen (which touches every slice) in show-session.ts.
 *
 * Homes of state: the session documents live in IndexedDB; this slice holds
 * copies for the page. A session opened from a link is `readOnly` and lives
 * in memory only until "Save a copy". Every string here may come from a file
 * or a link: render it as text, never as HTML.
 */
import type { EvaluationResult, SessionDoc } from '../sessions/schema';
import type { ResumableSession, SessionSummary, StorageEstimate } from '../sessions/store/index';
import type { ModelExportFormat, WorkerEvent } from '../worker/protocol';

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
  /** "Download model": waiting for the worker's files */
  exportingModel: boolean;
  /** the last model downloaded, for the snippet shown after it */
  modelExport: { format: ModelExportFormat; fileName: string; files: string[] } | null;
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
  exportingModel: false,
  modelExport: null,
  shareUrl: null,
};

/** The state with its sessions slice updated (generic, so this module needs no AppState). */
export function withSessions<S extends { sessions: SessionsSlice }>(
  s: S,
  f: (x: SessionsSlice) => Partial<SessionsSlice>,
): S {
  const cur = s.sessions ?? initialSessions;
  return { ...s, sessions: { ...cur, ...f(cur) } };
}

/** True when the session needs the person to supply its dataset file (an image set never travels with it). */
export function needsDatasetFile(doc: SessionDoc): boolean {
  return (
    doc.dataset.source === 'images' || (doc.dataset.source === 'csv' && !doc.dataset.rows?.length)
  );
}

/** The sessions part of applying worker events (reduce.ts delegates here). */
export function reduceSessionEvent<S extends { sessions: SessionsSlice }>(
  s: S,
  e: Extract<WorkerEvent, { type: 'session-loaded' | 'checkpoint' | 'session-evaluation' }>,
): S {
  switch (e.type) {
    case 'session-loaded':
      // The session's data is in use: a prompt for its dataset file (or image set) is answered.
      return withSessions(s, (x) =>
        x.current && x.current.id === e.sessionId
          ? { current: { ...x.current, lineage: e.lineage }, datasetPrompt: null }
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
