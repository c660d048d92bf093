/**
 * The worker's side of the data picture: answers a `preview` command from
 * what the worker already holds — a built-in family is sampled afresh with
 * the request's seed and episode shape, a CSV upload is read from the tables
 * staged by csv-stage.ts (no file is read again, nothing crosses to the page
 * but the points). It owns no state and never throws: a picture that cannot
 * be drawn is null, and the page says so.
 */
import { builtinPreview, csvPreview } from '../core/data/preview';
import type { Staged } from './csv-stage';
import type { EventOf, Preview, PreviewRequest } from './protocol';

/** The picture `request` asks for; null when there is none (Omniglot, another upload staged). */
export function previewFor(request: PreviewRequest, staged: Staged | null): Preview | null {
  try {
    if (request.kind === 'builtin') return builtinPreview(request.family, request);
    if (!staged || staged.event.uploadId !== request.uploadId) return null;
    return csvPreview(staged.tables, staged.built.report.schema);
  } catch {
    // A sampler that refuses this shape (or data it cannot read) leaves no picture, not an error.
    return null;
  }
}

/** The `preview` event answering command `id`. */
export function previewEvent(
  id: number,
  request: PreviewRequest,
  staged: Staged | null,
): EventOf<'preview'> {
  return { type: 'preview', id, preview: previewFor(request, staged) };
}
