/**
 * What an uploaded image set holds, so a saved session can check the set
 * chosen again on open, whether it comes back as the same zip, a new zip of
 * the same folder, or the folder itself, and can say what differs when it
 * is not the same set.
 *
 * The content hash is over the files, not over how they were packed: hidden
 * and system files (.DS_Store, __MACOSX/, Thumbs.db) are left out; a single
 * top folder that holds every file ("letters/a/1.png") is dropped, by the
 * same rule the stager uses to find the classes (core/data/images/archive's
 * classOfPaths), so "letters.zip" made from the folder and the folder
 * "letters" (or a renamed copy of it) give the same hash; each file counts
 * by its path below that root and the SHA-256 of its bytes (sorted by path,
 * one line each: path, tab, hash). A per-class list (files and a short hash
 * of each class's lines) names the classes that differ; it is left out for
 * sets of more than MAX_LISTED_CLASSES classes, to keep sessions and share
 * links small.
 */
import type { UploadFile } from '../core/data/images/archive';
import { isSystemFile } from '../core/spec/image-paths';
import { sha256Hex } from './codec';
import { CLASS_HASH_CHARS, MAX_LISTED_CLASSES } from './limits';
import type { SessionDataset } from './schema';
/** the name under which files outside any class folder are listed */
export const LOOSE_FILES = '';

/** As stored in a session's dataset record. */
export type ImageSetContents = NonNullable<SessionDataset['contents']>;

const utf8 = new TextEncoder();
const sha = (text: string) => sha256Hex(utf8.encode(text));

/** The paths below the upload's root (a shared top folder dropped, as classOfPaths does). */
export function pathsBelowRoot(paths: readonly string[]): string[] {
  const parts = paths.map((p) => p.split('/').filter((s) => s !== ''));
  const top = parts[0]?.[0];
  const shared =
    top !== undefined && parts.every((p) => p[0] === top) && parts.some((p) => p.length >= 3);
  return parts.map((p) => (shared ? p.slice(1) : p).join('/'));
}

/** The content hash and per-class list of an upload's files (see the module comment). */
export async function imageSetContents(files: readonly UploadFile[]): Promise<ImageSetContents> {
  const kept = files.filter((f) => !f.path.endsWith('/') && !isSystemFile(f.path));
  const paths = pathsBelowRoot(kept.map((f) => f.path));
  const lines = await Promise.all(
    kept.map(async (f, i) => ({
      path: paths[i] as string,
      line: `${paths[i]}\t${await sha256Hex(f.bytes)}\n`,
    })),
  );
  lines.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const byClass = new Map<string, string[]>();
  for (const { path, line } of lines) {
    const slash = path.indexOf('/');
    const cls = slash > 0 ? path.slice(0, slash) : LOOSE_FILES;
    const list = byClass.get(cls) ?? [];
    list.push(line);
    byClass.set(cls, list);
  }
  const contents: ImageSetContents = {
    sha256: await sha(lines.map((l) => l.line).join('')),
    files: lines.length,
  };
  if (byClass.size <= MAX_LISTED_CLASSES) {
    contents.classes = await Promise.all(
      [...byClass].map(async ([name, ls]) => ({
        name,
        files: ls.length,
        sha256: (await sha(ls.join(''))).slice(0, CLASS_HASH_CHARS),
      })),
    );
  }
  return contents;
}

const MAX_NAMED = 5;

function listed(items: string[]): string {
  const shown = items.slice(0, MAX_NAMED).join(', ');
  return items.length > MAX_NAMED ? `${shown} and ${items.length - MAX_NAMED} more` : shown;
}

const className = (n: string) => `"${n}"`;
const filesText = (n: number) => `${n} file${n === 1 ? '' : 's'}`;

/**
 * What differs between the set a session was trained on (`want`) and the
 * set chosen (`got`), in a sentence: classes missing, classes added,
 * classes with other files. Without the session's per-class list (older
 * sessions, very large sets, or the CLI's) only the totals can be compared.
 */
export function describeDifference(
  want: ImageSetContents | undefined,
  got: ImageSetContents,
): string {
  if (!want)
    return `the session records only the SHA-256 of its images, so what differs cannot be named (the chosen set has ${filesText(got.files)})`;
  if (!want.classes || !got.classes)
    return `the session's set has ${filesText(want.files)}, the chosen one ${filesText(got.files)}`;
  const mine = new Map(got.classes.map((c) => [c.name, c]));
  const theirs = new Map(want.classes.map((c) => [c.name, c]));
  const isClass = (c: { name: string }) => c.name !== LOOSE_FILES;
  const missing = want.classes.filter((c) => isClass(c) && !mine.has(c.name));
  const added = got.classes.filter((c) => isClass(c) && !theirs.has(c.name));
  const changed: string[] = [];
  for (const w of want.classes.filter(isClass)) {
    const g = mine.get(w.name);
    if (!g || g.sha256 === w.sha256) continue;
    changed.push(
      g.files === w.files
        ? `${className(w.name)} (same number of files, different content)`
        : `${className(w.name)} (${filesText(g.files)}, the session's had ${w.files})`,
    );
  }
  const looseWant = theirs.get(LOOSE_FILES);
  const looseGot = mine.get(LOOSE_FILES);
  const loose =
    looseWant?.sha256 === looseGot?.sha256
      ? ''
      : `other files outside the class folders (${filesText(looseGot?.files ?? 0)}, the session's had ${looseWant?.files ?? 0})`;
  const names = (cs: { name: string }[]) => listed(cs.map((c) => className(c.name)));
  const parts = [
    missing.length ? `missing ${missing.length === 1 ? 'class' : 'classes'} ${names(missing)}` : '',
    added.length
      ? `${added.length === 1 ? 'a class' : 'classes'} the session did not have: ${names(added)}`
      : '',
    changed.length ? `other files in ${listed(changed)}` : '',
    loose,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'the same classes and files, under other file names';
}
