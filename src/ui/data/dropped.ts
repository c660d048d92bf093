/**
 * What was dropped on the data panel: a folder (read through the entry API,
 * every file with its path inside the folder, "letters/a/1.png"), a .zip of
 * image classes, or CSV files. Entries must be taken from the DataTransfer
 * during the drop event itself (the browser empties it afterwards), so
 * `droppedEntries` runs synchronously and the folder is walked afterwards.
 */
import type { ImageUpload } from '../../worker/protocol';

export type Dropped =
  { kind: 'images'; upload: Promise<ImageUpload> } | { kind: 'csv'; files: File[] };

const isZip = (f: File) => /\.zip$/i.test(f.name) || f.type === 'application/zip';

function readEntries(dir: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => dir.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every file under `root`, with its path from the folder's own name ("letters/a/1.png"). */
async function walk(root: FileSystemDirectoryEntry): Promise<{ path: string; file: File }[]> {
  const out: { path: string; file: File }[] = [];
  const todo: { entry: FileSystemEntry; path: string }[] = [{ entry: root, path: root.name }];
  while (todo.length > 0) {
    const { entry, path } = todo.pop() as { entry: FileSystemEntry; path: string };
    if (entry.isFile) {
      out.push({ path, file: await fileOf(entry as FileSystemFileEntry) });
      continue;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries gives the children in batches until an empty one.
    for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader))
      for (const child of batch) todo.push({ entry: child, path: `${path}/${child.name}` });
  }
  return out;
}

/** Sorts a drop into an image upload (a folder or a zip) or CSV files; null when nothing usable. */
export function droppedData(dt: DataTransfer): Dropped | null {
  const entries = [...dt.items]
    .map((i) => (i.kind === 'file' ? i.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  const dir = entries.find((e) => e.isDirectory) as FileSystemDirectoryEntry | undefined;
  if (dir) {
    return {
      kind: 'images',
      upload: walk(dir).then((files) => ({ kind: 'folder', name: dir.name, files })),
    };
  }
  const files = [...dt.files];
  const zip = files.find(isZip);
  if (zip) return { kind: 'images', upload: Promise.resolve({ kind: 'zip', file: zip }) };
  return files.length > 0 ? { kind: 'csv', files } : null;
}

/** The files of a folder picked with <input webkitdirectory>, with their paths inside it. */
export function pickedFolder(files: readonly File[]): ImageUpload {
  const list = files.map((file) => ({ path: file.webkitRelativePath || file.name, file }));
  // An empty folder gives no files, so not even its name.
  const name = list[0]?.path.split('/')[0] ?? 'The chosen folder';
  return { kind: 'folder', name, files: list };
}
