/**
 * The files of the latest uploads, kept in the page (not in the store, which
 * holds plain data) so the data picture can read a few of their rows; the
 * worker reads them for training. Every upload of the UI goes through
 * uploadFiles(). Only the last few uploads are kept, by their file names.
 */
import { actions } from '../../store';

const KEEP = 3;
const recent = new Map<string, readonly File[]>();

const key = (names: readonly string[]) => names.join('\n');

/** Hands the files to the store's uploadCsv and remembers them for the data picture. */
export function uploadFiles(files: readonly File[]): void {
  if (files.length === 0) return;
  const k = key(files.map((f) => f.name));
  recent.delete(k);
  recent.set(k, files);
  while (recent.size > KEEP) recent.delete(recent.keys().next().value as string);
  actions().uploadCsv(files);
}

/** The files uploaded under these names, when this page still has them. */
export function filesFor(names: readonly string[]): readonly File[] | null {
  return recent.get(key(names)) ?? null;
}
