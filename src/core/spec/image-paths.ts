/**
 * Which files of an image upload are the system's, not the person's: hidden
 * files and macOS resource forks. Shared by the stager (core/data/images,
 * which skips them without counting them as problems) and the sessions'
 * content hash (sessions/image-contents.ts, which leaves them out so a zip
 * made on a Mac matches the folder it was made from).
 */
export function isSystemFile(path: string): boolean {
  return path.split('/').some((p) => p.startsWith('.') || p === '__MACOSX' || p === 'Thumbs.db');
}
