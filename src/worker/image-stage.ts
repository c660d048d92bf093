/**
 * Image uploads inside the training worker: the bytes of a .zip or of a
 * folder's files are read here (the Files come in by reference), staged by
 * the core stager (core/data/images/stage.ts, the one the CLI uses: system
 * files ignored, non-images and corrupt or too large images named and
 * skipped, classes with fewer than K + Q images named and left out, a zip
 * refused by its declared size before anything is inflated), decoded with
 * the browser's codecs (createImageBitmap) and kept "staged" with its
 * summary until the person uses it.
 *
 * Invariants: a refused upload leaves `staged` (and the worker's source)
 * exactly as they were; nothing here throws past `stage` — a refusal of the
 * whole upload becomes an `images-refused` event. Progress is throttled to
 * about ten messages a second.
 */
import { readZip, type UploadFile } from '../core/data/images/archive';
import { bitmapImageDecoder } from '../core/data/images/bitmap-decoder';
import type { ImageDecoder } from '../core/data/images/formats';
import { stageImageClasses, type StagedImageSet } from '../core/data/images/stage';
import { DataError } from '../core/data/types';
import { hashFiles } from '../sessions/csv-dataset';
import {
  describeDifference,
  imageSetContents,
  type ImageSetContents,
} from '../sessions/image-contents';
import { dataLimits } from './csv-stage';
import type { ImageStageSettings, ImageUpload, ImagesStaged, WorkerEvent } from './protocol';
import type { SessionDataset } from '../sessions/schema';
import type { TrainConfig } from '../core/spec/config';

const PROGRESS_EVERY_MS = 100;

export interface StagedImages {
  set: StagedImageSet;
  /** the upload's name: the zip's file name or the folder's */
  name: string;
  event: ImagesStaged;
  /** what it holds, recorded with a session so the set can be checked when chosen again */
  contents: ImageSetContents;
}

/** The name a person knows the upload by. */
export function uploadName(upload: ImageUpload): string {
  return upload.kind === 'zip' ? upload.file.name : upload.name;
}

const byPath = (a: UploadFile, b: UploadFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * SHA-256 of a folder as the CLI hashes it (cli/image-dataset.ts): each
 * file's path below the folder and a newline, then its bytes, sorted by
 * path — so a renamed copy of the folder, or the same folder given to the
 * CLI, matches.
 */
export async function folderSha256(files: readonly UploadFile[]): Promise<string> {
  const enc = new TextEncoder();
  const inner = (p: string) => p.slice(p.indexOf('/') + 1);
  return hashFiles(
    [...files].sort(byPath).flatMap((f) => [enc.encode(`${inner(f.path)}\n`), f.bytes]),
  );
}

/** The files of an upload (a zip unpacked, refused by its declared size first) and, for a zip, its bytes. */
export async function uploadFiles(
  upload: ImageUpload,
): Promise<{ files: UploadFile[]; zipBytes: Uint8Array | null }> {
  if (upload.kind === 'zip') {
    const zipBytes = new Uint8Array(await upload.file.arrayBuffer());
    return { files: readZip(zipBytes, upload.file.name), zipBytes };
  }
  const files: UploadFile[] = [];
  for (const f of upload.files)
    files.push({ path: f.path, bytes: new Uint8Array(await f.file.arrayBuffer()) });
  return { files: files.sort(byPath), zipBytes: null };
}

/**
 * The files of the image set chosen again for a saved session, when they
 * are the set it was trained on: the same zip bytes or the same folder as
 * the session's SHA-256 (the app's and the CLI's hashes of a zip or a
 * folder), or the same files either way (`contents`, image-contents.ts:
 * a zip of the folder matches the folder). Otherwise a DataError that names
 * what differs; nothing is staged.
 */
export async function sessionImageFiles(
  d: SessionDataset,
  upload: ImageUpload,
): Promise<{ files: UploadFile[]; contents: ImageSetContents }> {
  const { files, zipBytes } = await uploadFiles(upload);
  const contents = await imageSetContents(files);
  const hashes = [zipBytes ? await hashFiles([zipBytes]) : null, await folderSha256(files)];
  if (hashes.includes(d.sha256) || contents.sha256 === d.contents?.sha256)
    return { files, contents };
  const what = upload.kind === 'zip' ? 'The chosen zip' : 'The chosen folder';
  throw new DataError(
    `${what} “${uploadName(upload)}” is not the image set “${d.name}” this session was trained on: ` +
      `${describeDifference(d.contents, contents)}. Nothing was loaded.`,
  );
}

/**
 * The staging settings a session's image dataset was made with (its
 * options; the CLI's sessions have no K + Q or split seed: its defaults, 2
 * and the run's seed).
 */
export function imageSettingsOf(d: SessionDataset, config: TrainConfig): ImageStageSettings {
  const o = d.options ?? {};
  const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
  return {
    size: num(o.imageSize, 28),
    channels: o.channels === 3 ? 3 : 1,
    minPerClass: num(o.minPerClass, 2),
    splitSeed: num(o.splitSeed, config.seed),
  };
}

function messageOf(e: unknown): string {
  if (e instanceof Error && e.name === 'DataError') return e.message;
  const text = e instanceof Error ? e.message : String(e);
  return `The upload could not be read: ${text}`;
}

export class ImageStage {
  staged: StagedImages | null = null;

  constructor(
    private readonly post: (e: WorkerEvent) => void,
    /** the browser's codecs in the worker; Node tests pass the CLI's JS decoder */
    readonly decoder: ImageDecoder = bitmapImageDecoder(),
  ) {}

  /** Reads, decodes and stages an upload; the new stage, or null when refused (and reported). */
  async stage(
    uploadId: number,
    upload: ImageUpload,
    settings: ImageStageSettings,
  ): Promise<StagedImages | null> {
    const name = uploadName(upload);
    let last = -Infinity;
    const onProgress = (done: number, total: number) => {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS && done < total) return;
      last = now;
      this.post({ type: 'images-progress', uploadId, done, total });
    };
    const opts = {
      size: settings.size,
      channels: settings.channels,
      decoder: this.decoder,
      seed: settings.splitSeed,
      minPerClass: settings.minPerClass,
      onProgress,
    };
    try {
      const { files, zipBytes } = await uploadFiles(upload);
      const set: StagedImageSet = await stageImageClasses(files, name, opts);
      const sha256 = zipBytes ? await hashFiles([zipBytes]) : await folderSha256(files);
      const contents = await imageSetContents(files);
      const event: ImagesStaged = {
        uploadId,
        summary: set.summary,
        limits: dataLimits(set.source),
        settings,
        sha256,
        inUse: false,
      };
      const staged = { set, name, event, contents };
      this.staged = staged;
      return staged;
    } catch (e) {
      this.post({ type: 'images-refused', uploadId, name, message: messageOf(e) });
      return null;
    }
  }
}
