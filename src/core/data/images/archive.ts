/**
 * The files of an upload: a .zip (read with fflate) or a folder (the caller
 * lists it: Node walks the directory, the browser gives File objects with
 * their relative paths). A zip is refused before anything is inflated when
 * its entries declare more than MAX_ZIP_BYTES uncompressed in total (a zip
 * bomb, or simply too much for the tab), or more than MAX_FILES entries;
 * fflate inflates each entry into a buffer of its declared size, so a
 * lying entry cannot grow past what was checked.
 */
import { unzipSync } from 'fflate';
import { DataError } from '../types';

export interface UploadFile {
  /** path inside the upload with "/" separators, e.g. "letters/a/1.png" */
  path: string;
  bytes: Uint8Array;
}

export const MAX_ZIP_BYTES = 1024 * 1024 * 1024;
export const MAX_FILES = 100_000;

const mib = (n: number) => `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 2 : 0)} MiB`;

export function readZip(
  bytes: Uint8Array,
  zipName: string,
  maxBytes = MAX_ZIP_BYTES,
): UploadFile[] {
  let declared = 0;
  let entries = 0;
  let biggest = { name: '', size: 0, ratio: 0 };
  try {
    // First pass: the central directory only (the filter refuses every entry).
    unzipSync(bytes, {
      filter: (f) => {
        entries++;
        declared += f.originalSize;
        if (f.originalSize > biggest.size) {
          biggest = {
            name: f.name,
            size: f.originalSize,
            ratio: f.originalSize / Math.max(1, f.size),
          };
        }
        return false;
      },
    });
  } catch (e) {
    throw new DataError(
      `${zipName} is not a readable zip file (${e instanceof Error ? e.message : String(e)}).`,
      { file: zipName },
    );
  }
  if (declared > maxBytes) {
    throw new DataError(
      `${zipName} would unpack to ${mib(declared)}, more than the limit of ${mib(maxBytes)}` +
        ` (largest entry "${biggest.name}": ${mib(biggest.size)}, compressed ${Math.round(biggest.ratio)}×); nothing was unpacked.`,
      { file: zipName },
    );
  }
  if (entries > MAX_FILES) {
    throw new DataError(
      `${zipName} holds ${entries} entries, more than the limit of ${MAX_FILES}; nothing was unpacked.`,
      { file: zipName },
    );
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => !f.name.endsWith('/') });
  } catch (e) {
    throw new DataError(
      `${zipName} is damaged and cannot be unpacked (${e instanceof Error ? e.message : String(e)}).`,
      { file: zipName },
    );
  }
  return Object.entries(files).map(([path, data]) => ({ path, bytes: data }));
}

/** Hidden files and macOS resource forks, skipped without being counted as problems. */
export { isSystemFile } from '../../spec/image-paths';

/**
 * The class of each file by the ImageFolder convention: the first folder
 * under the upload's root. A single top folder holding every file
 * ("letters/a/1.png", "letters/b/2.png") is the root and is stripped;
 * files directly at the root (or directly in that top folder, beside the
 * class folders) have no class (null).
 */
export function classOfPaths(paths: readonly string[]): (string | null)[] {
  const parts = paths.map((p) => p.split('/').filter((s) => s !== ''));
  const top = parts[0]?.[0];
  // A loose file beside the class folders (letters/README.txt) does not make "letters" a class.
  const shared =
    top !== undefined && parts.every((p) => p[0] === top) && parts.some((p) => p.length >= 3)
      ? 1
      : 0;
  return parts.map((p) => (p.length - shared >= 2 ? (p[shared] as string) : null));
}
