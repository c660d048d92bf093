/**
 * Staging an upload of image classes: files → named problems + a summary +
 * an episodic TaskSource with imageShape, for the worker (which shows the
 * summary before the person commits to the data) and the CLI.
 *
 * Per file, in upload order: system files (.DS_Store, __MACOSX/) are
 * ignored; a file that is not PNG/JPEG/WebP/BMP by its first bytes is
 * skipped, named and counted; a format the decoder cannot handle (WebP in
 * the CLI) is skipped with the decoder's note; an image whose header
 * declares more than MAX_IMAGE_PIXELS is refused with the limit before
 * decoding; an image that fails to decode is named as corrupt. Then classes
 * with fewer than `minPerClass` images (K + Q) are left out, named with what
 * they need. Whole-upload failures throw a DataError and stage nothing: an
 * empty upload, no images, fewer than 3 usable classes. Classes are split
 * into meta-train / val / test by ./split (seeded, about 70 / 15 / 15).
 */
import { DataError, type ImageShape } from '../types';
import { classOfPaths, isSystemFile, readZip, type UploadFile } from './archive';
import {
  MAX_IMAGE_PIXELS,
  headerSize,
  sniffImage,
  type ImageDecoder,
  type ImageFormat,
} from './formats';
import { ImageSetSource, type StoredClass } from './image-set';
import { thumbnail, toStoredBytes } from './pixels';
import { splitClasses } from './split';
import type {
  ClassSummary,
  ImageProblem,
  ImageProblemKind,
  ImageSetSummary,
  StagedImageSet,
} from './summary';

export type {
  ClassSummary,
  ImageProblem,
  ImageProblemKind,
  ImageSetSummary,
  StagedImageSet,
} from './summary';

export const MIN_IMAGE_SIZE = 28;
export const MAX_IMAGE_SIZE = 84;

export interface StageOptions {
  /** side of the stored square images, 28..84 */
  size: number;
  channels: 1 | 3;
  decoder: ImageDecoder;
  /** seed of the class split (default 0) */
  seed?: number;
  /** fractions of classes for meta-val and meta-test (default 0.15 each) */
  fractions?: { val: number; test: number };
  /** K + Q: classes with fewer images are left out (default 2) */
  minPerClass?: number;
  /** grayscale only: 'auto' inverts when the set is mostly light (dark strokes on paper) */
  invert?: 'auto' | boolean;
  onProgress?: (done: number, total: number) => void;
}

function problem(kind: ImageProblemKind, file: string, message: string): ImageProblem {
  return { kind, file, message };
}

export async function stageImageClasses(
  files: readonly UploadFile[],
  uploadName: string,
  opts: StageOptions,
): Promise<StagedImageSet> {
  const { size, channels, decoder } = opts;
  if (!Number.isInteger(size) || size < MIN_IMAGE_SIZE || size > MAX_IMAGE_SIZE) {
    throw new DataError(
      `The image size must be a whole number from ${MIN_IMAGE_SIZE} to ${MAX_IMAGE_SIZE} (got ${size}).`,
    );
  }
  const visible = files.filter((f) => !isSystemFile(f.path));
  if (visible.length === 0) {
    throw new DataError(
      `${uploadName} is empty: no files found. Put one sub-folder per class with its images inside (e.g. letters/a/1.png).`,
      { file: uploadName },
    );
  }
  const problems: ImageProblem[] = [];
  const formats: Partial<Record<ImageFormat, number>> = {};
  const sizes = { minWidth: Infinity, maxWidth: 0, minHeight: Infinity, maxHeight: 0 };
  const byClass = new Map<string, StoredClass>();
  const classOf = classOfPaths(visible.map((f) => f.path));
  let skippedNonImages = 0;
  for (let i = 0; i < visible.length; i++) {
    opts.onProgress?.(i, visible.length);
    const { path, bytes } = visible[i] as UploadFile;
    const format = sniffImage(bytes);
    if (format === null) {
      skippedNonImages++;
      problems.push(
        problem('not-image', path, `${path} is not a PNG, JPEG, WebP or BMP image; skipped.`),
      );
      continue;
    }
    const cls = classOf[i];
    if (cls === null || cls === undefined) {
      problems.push(
        problem(
          'no-class',
          path,
          `${path} is not inside a class folder (e.g. letters/a/1.png); skipped.`,
        ),
      );
      continue;
    }
    if (!decoder.formats.includes(format)) {
      problems.push(
        problem(
          'unsupported',
          path,
          `${path}: ${decoder.unsupportedNote ?? `${format} images cannot be decoded here`}`,
        ),
      );
      continue;
    }
    const header = headerSize(bytes);
    if (header && header.width * header.height > MAX_IMAGE_PIXELS) {
      problems.push(
        problem(
          'too-large',
          path,
          `${path} is ${header.width}×${header.height} (${((header.width * header.height) / 1e6).toFixed(1)} megapixels), more than the limit of ${MAX_IMAGE_PIXELS / 1e6} megapixels; skipped without decoding.`,
        ),
      );
      continue;
    }
    let stored: Uint8Array;
    try {
      const img = await decoder.decode(bytes, format);
      if (!(img.width > 0 && img.height > 0)) throw new Error('no pixels');
      if (img.width * img.height > MAX_IMAGE_PIXELS) throw new Error('larger than its header said');
      stored = toStoredBytes(img, size, channels);
      sizes.minWidth = Math.min(sizes.minWidth, header?.width ?? img.width);
      sizes.maxWidth = Math.max(sizes.maxWidth, header?.width ?? img.width);
      sizes.minHeight = Math.min(sizes.minHeight, header?.height ?? img.height);
      sizes.maxHeight = Math.max(sizes.maxHeight, header?.height ?? img.height);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      problems.push(
        problem(
          'corrupt',
          path,
          `${path} looks like a ${format.toUpperCase()} image but cannot be decoded (${why}); skipped.`,
        ),
      );
      continue;
    }
    formats[format] = (formats[format] ?? 0) + 1;
    const entry = byClass.get(cls) ?? { name: cls, images: [], files: [] };
    entry.images.push(stored);
    entry.files.push(path);
    byClass.set(cls, entry);
  }
  opts.onProgress?.(visible.length, visible.length);
  return assemble(uploadName, opts, [...byClass.values()], {
    problems,
    formats,
    sizes,
    skippedNonImages,
    ignored: files.length - visible.length,
  });
}

function assemble(
  uploadName: string,
  opts: StageOptions,
  found: StoredClass[],
  seen: Pick<ImageSetSummary, 'problems' | 'formats' | 'sizes' | 'skippedNonImages' | 'ignored'>,
): StagedImageSet {
  const { size, channels } = opts;
  const need = opts.minPerClass ?? 2;
  if (found.length === 0) {
    throw new DataError(
      `${uploadName} holds no usable images (${seen.problems.length} files skipped${seen.problems[0] ? `; first: ${seen.problems[0].message}` : ''}).`,
      { file: uploadName },
    );
  }
  const kept: StoredClass[] = [];
  for (const c of found) {
    if (c.images.length >= need) {
      kept.push(c);
      continue;
    }
    seen.problems.push(
      problem(
        'small-class',
        c.name,
        `class "${c.name}" has ${c.images.length} image${c.images.length === 1 ? '' : 's'}, but episodes need K + Q = ${need} per class (K shots to adapt on, Q queries); add ${need - c.images.length} more or lower K and Q. It was left out.`,
      ),
    );
  }
  if (kept.length < 3) {
    throw new DataError(
      `${uploadName} has ${kept.length} usable class${kept.length === 1 ? '' : 'es'} with at least ${need} images; meta-train, meta-val and meta-test need at least 3 (one sub-folder per class).`,
      { file: uploadName },
    );
  }
  let inverted = false;
  if (channels === 1 && opts.invert !== false) {
    let sum = 0;
    let count = 0;
    for (const c of kept) {
      for (const img of c.images) {
        for (const v of img) sum += v;
        count += img.length;
      }
    }
    inverted = opts.invert === true || sum / count / 255 > 0.5;
  }
  const split = splitClasses(kept, opts.seed ?? 0, opts.fractions);
  const imageShape: ImageShape = { height: size, width: size, channels };
  const source = new ImageSetSource(uploadName, imageShape, split, inverted);
  const thumbSize = Math.min(size, 24);
  const classes: ClassSummary[] = (['train', 'val', 'test'] as const).flatMap((s) =>
    split[s].map((c) => ({
      name: c.name,
      split: s,
      images: c.images.length,
      thumbnail: thumbnail(c.images[0] as Uint8Array, size, channels, thumbSize),
    })),
  );
  return {
    source,
    summary: {
      name: uploadName,
      imageShape,
      inverted,
      classes,
      thumbSize,
      images: kept.reduce((a, c) => a + c.images.length, 0),
      splitSizes: { train: split.train.length, val: split.val.length, test: split.test.length },
      ...seen,
    },
  };
}

/** Stages a .zip upload: refused before unpacking when it is too large (see readZip). */
export async function stageImageZip(
  bytes: Uint8Array,
  zipName: string,
  opts: StageOptions & { maxZipBytes?: number },
): Promise<StagedImageSet> {
  const files = readZip(bytes, zipName, opts.maxZipBytes);
  return stageImageClasses(files, zipName, opts);
}
