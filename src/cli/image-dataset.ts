/**
 * Image classes for the CLI: `--data letters.zip` or `--data letters/` (a
 * folder whose sub-folders are classes), staged by the same core module the
 * worker uses, decoded in Node by jsImageDecoder (PNG, JPEG, BMP; WebP files
 * are skipped by name). Every skipped file or class becomes a note on
 * stderr. The session records the path, the SHA-256 of the zip bytes (for a
 * folder: of its sorted file paths and bytes) and the staging options, and
 * evaluation re-stages the identical source from them.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { UploadFile } from '../core/data/images/archive';
import { jsImageDecoder } from '../core/data/images/js-decoder';
import { stageImageClasses, stageImageZip, type StageOptions } from '../core/data/images/stage';
import type { TaskSource } from '../core/data/types';
import type { SessionDoc } from '../sessions/index';
import { CliError } from './errors';
import type { ResolvedData } from './csv-dataset';

export interface ImageFlags {
  imageSize?: number;
  channels?: number;
}

/** True when `spec` names a .zip or an existing folder. */
export async function isImageDataSpec(spec: string): Promise<boolean> {
  if (/\.zip$/i.test(spec)) return true;
  try {
    return (await stat(spec)).isDirectory();
  } catch {
    return false;
  }
}

async function listFolder(root: string): Promise<UploadFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: UploadFile[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    files.push({
      // named from the folder itself ("letters/a/1.png"), as a zip of it would be
      path: [path.basename(path.resolve(root)), ...path.relative(root, full).split(path.sep)].join(
        '/',
      ),
      bytes: new Uint8Array(await readFile(full)),
    });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function digest(parts: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

function stageOptions(flags: ImageFlags, seed: number): StageOptions {
  const channels = flags.channels ?? 1;
  if (channels !== 1 && channels !== 3) {
    throw new CliError(`--channels must be 1 (grayscale) or 3 (RGB), got ${channels}`);
  }
  return { size: flags.imageSize ?? 28, channels, decoder: jsImageDecoder, seed };
}

async function stage(spec: string, opts: StageOptions) {
  let isDir: boolean;
  try {
    isDir = (await stat(spec)).isDirectory();
  } catch {
    throw new CliError(`${spec}: no such file or folder`);
  }
  if (isDir) {
    const files = await listFolder(spec);
    // paths below the folder, so a renamed copy of the folder still matches
    const inner = (p: string) => p.slice(p.indexOf('/') + 1);
    const sha = digest(
      files.flatMap((f) => [new TextEncoder().encode(`${inner(f.path)}\n`), f.bytes]),
    );
    return { staged: await stageImageClasses(files, path.basename(spec), opts), sha };
  }
  const bytes = new Uint8Array(await readFile(spec));
  return { staged: await stageImageZip(bytes, path.basename(spec), opts), sha: digest([bytes]) };
}

export async function loadImageDataset(
  spec: string,
  flags: ImageFlags,
  seed: number,
): Promise<ResolvedData> {
  const opts = stageOptions(flags, seed);
  const { staged, sha } = await stage(spec, opts);
  const s = staged.summary;
  const notes = [
    `${s.images} images in ${s.classes.length} classes (${s.splitSizes.train} meta-train / ${s.splitSizes.val} meta-val / ${s.splitSizes.test} meta-test), resized to ${opts.size}×${opts.size}×${opts.channels}${s.inverted ? ', inverted so dark strokes are ink = 1' : ''}`,
    ...s.problems.map((p) => p.message),
  ];
  return {
    source: staged.source,
    notes,
    dataset: {
      source: 'images',
      name: spec,
      sha256: sha,
      schema: { kind: 'classification', mode: 'episodic' },
      normalization: null,
      options: { imageSize: opts.size, channels: opts.channels },
    },
  };
}

export async function imageSourceFromSession(
  doc: SessionDoc,
  override?: string,
): Promise<TaskSource> {
  const d = doc.dataset;
  const spec = override ?? d.name;
  const o = d.options ?? {};
  // A session from the app also records the K + Q and the split seed its classes were staged with.
  const opts = {
    ...stageOptions(
      {
        imageSize: typeof o.imageSize === 'number' ? o.imageSize : undefined,
        channels: typeof o.channels === 'number' ? o.channels : undefined,
      },
      typeof o.splitSeed === 'number' ? o.splitSeed : doc.config.seed,
    ),
    ...(typeof o.minPerClass === 'number' ? { minPerClass: o.minPerClass } : {}),
  };
  const { staged, sha } = await stage(spec, opts);
  if (sha !== d.sha256) {
    throw new CliError(
      `${spec} is not the image set this session was trained on (its SHA-256 differs); pass the original zip or folder with --data`,
    );
  }
  return staged.source;
}
