/**
 * The upload of image classes as the UI sees it: which upload is current,
 * its progress, the last upload that was staged (its summary, named
 * problems and limits), the last refusal, and whether it is the data
 * trained on; plus the settings chosen for the next upload (input size and
 * channels). The reducer for the image events is pure, like the CSV one.
 *
 * Invariants: `staged` only ever changes to an upload that was accepted, so
 * a refused upload leaves what was shown (and trained on) as it was; events
 * of an older upload than `uploadId` are ignored. Memory only.
 */
import type { EventBodies, ImagesStaged, WorkerEvent } from '../worker/protocol';

export interface ImagesSlice {
  /** id of the latest upload sent to the worker; 0 = none yet */
  uploadId: number;
  /** the name of the upload being read, null when none is */
  reading: string | null;
  progress: { done: number; total: number } | null;
  staged: ImagesStaged | null;
  /** the staged upload is the data the worker trains on */
  inUse: boolean;
  refusal: Omit<EventBodies['images-refused'], 'uploadId'> | null;
  /** the input of the next upload: side of the square image (28..84) and channels */
  size: number;
  channels: 1 | 3;
}

export const initialImages: ImagesSlice = {
  uploadId: 0,
  reading: null,
  progress: null,
  staged: null,
  inUse: false,
  refusal: null,
  size: 28,
  channels: 1,
};

type ImagesEvent = Extract<
  WorkerEvent,
  { type: 'images-progress' | 'images-staged' | 'images-refused' }
>;

export function isImagesEvent(e: WorkerEvent): e is ImagesEvent {
  return e.type === 'images-progress' || e.type === 'images-staged' || e.type === 'images-refused';
}

export function reduceImages(s: ImagesSlice, e: ImagesEvent): ImagesSlice {
  if (e.uploadId !== s.uploadId) return s;
  switch (e.type) {
    case 'images-progress':
      return { ...s, progress: { done: e.done, total: e.total } };
    case 'images-staged': {
      const { type: _type, ...staged } = e;
      return { ...s, reading: null, progress: null, staged, inUse: e.inUse, refusal: null };
    }
    case 'images-refused':
      return {
        ...s,
        reading: null,
        progress: null,
        refusal: { name: e.name, message: e.message },
      };
    default:
      e satisfies never;
      return s;
  }
}
