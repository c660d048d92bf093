/**
 * The data picture as the store holds it: the id and the request of the
 * last request sent to the worker, and the worker's latest answer. The worker
 * draws the points (src/worker/preview.ts); preview-sync.ts decides which
 * picture the page wants and when to ask. Memory only.
 *
 * Invariants: an answer is kept only when it answers the latest request
 * (`id === requestId`), so a slow answer never replaces a newer picture; the
 * answer remembers the request it answers, so the page can tell a picture of
 * other settings (shown while the new one is on its way) from a current one.
 */
import type { EventOf, Preview, PreviewRequest } from '../worker/protocol';

export interface PreviewSlice {
  /** id of the latest request sent to the worker; 0 = none yet */
  requestId: number;
  /** what the latest request asked for */
  request: PreviewRequest | null;
  /** the worker's answer to the latest request answered; preview null = no picture of that data */
  answer: { request: PreviewRequest; preview: Preview | null } | null;
}

export const initialPreview: PreviewSlice = { requestId: 0, request: null, answer: null };

/** The slice after request `id` was sent. */
export function previewSent(s: PreviewSlice, id: number, request: PreviewRequest): PreviewSlice {
  return { ...s, requestId: id, request };
}

/** The slice after the worker's answer; answers to older requests are dropped. */
export function reducePreview(s: PreviewSlice, e: EventOf<'preview'>): PreviewSlice {
  if (e.id !== s.requestId || !s.request) return s;
  return { ...s, answer: { request: s.request, preview: e.preview } };
}
