/**
 * Asks the worker for the data picture when what it shows changes: the
 * picture the page wants is a pure function of the store (the family, the
 * seed and episode shape, the data in use, the staged upload).
 * Edits come in bursts (typing a seed, a spin button held down), so a
 * request leaves only after the wanted picture has stayed the same for
 * `delayMs`; the same picture is never asked for twice in a row.
 *
 * The timer functions are given, so Node tests drive this with fake time.
 */
import type { StoreApi } from 'zustand';
import type { TrainingPort } from '../worker/client';
import type { PreviewRequest } from '../worker/protocol';
import { previewSent } from './preview-slice';
import type { AppState } from './slices';

/** A summary carries limits only when it is an upload, CSV or images (see reduce.ts): images have no picture. */
const isCsv = (s: AppState) => s.setup.data?.limits !== undefined;

/**
 * The picture the page wants now: null without data, and for an uploaded CSV
 * in use that is no longer the staged one (a newer upload waits unused).
 */
export function previewRequestOf(s: AppState): PreviewRequest | null {
  if (!s.setup.data) return null;
  if (isCsv(s)) {
    const staged = s.csv.inUse ? s.csv.staged : null;
    return staged ? { kind: 'csv', uploadId: staged.uploadId } : null;
  }
  const { seed, shots, ways, queries } = s.setup.config;
  return { kind: 'builtin', family: s.setup.family, seed, shots, ways, queries };
}

/** Two requests ask for the same picture exactly when their keys are equal. */
export function previewKey(r: PreviewRequest): string {
  return r.kind === 'csv'
    ? `csv:${r.uploadId}`
    : `builtin:${r.family}:${r.seed}:${r.shots}:${r.ways}:${r.queries}`;
}

export const PREVIEW_DELAY_MS = 120;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Starts keeping the picture in step with the store; returns a function that stops it. */
export function keepPreview(
  store: Pick<StoreApi<AppState>, 'getState' | 'setState' | 'subscribe'>,
  port: TrainingPort,
  delayMs = PREVIEW_DELAY_MS,
  timers: Timers = realTimers,
): () => void {
  let wanted: string | null = null;
  let sent: string | null = null;
  let timer: unknown = null;

  function send(): void {
    timer = null;
    const request = previewRequestOf(store.getState());
    if (!request || previewKey(request) === sent) return;
    sent = previewKey(request);
    const id = store.getState().preview.requestId + 1;
    store.setState((s) => ({ preview: previewSent(s.preview, id, request) }));
    port.send({ type: 'preview', id, request });
  }

  function check(s: AppState): void {
    const request = previewRequestOf(s);
    const key = request && previewKey(request);
    if (key === wanted) return;
    wanted = key;
    if (timer !== null) timers.clearTimeout(timer);
    timer = key === null || key === sent ? null : timers.setTimeout(send, delayMs);
  }

  check(store.getState());
  const unsubscribe = store.subscribe(check);
  return () => {
    unsubscribe();
    if (timer !== null) timers.clearTimeout(timer);
  };
}
