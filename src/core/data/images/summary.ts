/**
 * What staging an image upload reports: the named problems (per file, or
 * per class for 'small-class'), a summary for the data panel (classes with
 * their split, image counts and a thumbnail each, sizes and formats seen)
 * and the staged TaskSource. Plain data apart from the source, so the
 * worker can post the summary to the UI as it is.
 */
import type { ImageShape, Split } from '../types';
import type { ImageFormat } from './formats';
import type { ImageSetSource } from './image-set';

export type ImageProblemKind =
  'not-image' | 'unsupported' | 'too-large' | 'corrupt' | 'no-class' | 'small-class';

export interface ImageProblem {
  kind: ImageProblemKind;
  /** the file, or the class folder for 'small-class' */
  file: string;
  message: string;
}

export interface ClassSummary {
  name: string;
  split: Split;
  images: number;
  /** the class's first image as it looks, thumbSize² · channels bytes */
  thumbnail: Uint8Array;
}

export interface ImageSetSummary {
  name: string;
  imageShape: ImageShape;
  inverted: boolean;
  classes: ClassSummary[];
  thumbSize: number;
  images: number;
  /** files skipped as not images (also listed in problems) */
  skippedNonImages: number;
  /** hidden and system files ignored silently */
  ignored: number;
  formats: Partial<Record<ImageFormat, number>>;
  /** original sizes of the images used */
  sizes: { minWidth: number; maxWidth: number; minHeight: number; maxHeight: number };
  splitSizes: Record<Split, number>;
  problems: ImageProblem[];
}

export interface StagedImageSet {
  summary: ImageSetSummary;
  source: ImageSetSource;
}
