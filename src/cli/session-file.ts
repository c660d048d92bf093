/**
 * Session files on disk for the CLI: the same bytes the browser exports
 * (.json, or .json.gz when the name says so), read back through the one
 * restore path so a broken or newer file gets the same message everywhere.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseSessionBytes, serializeSession, type SessionDoc } from '../sessions/index';
import { CliError } from './errors';

export async function readSessionFile(path: string): Promise<SessionDoc> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new CliError(
      `cannot read session file ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  const res = parseSessionBytes(bytes);
  if (!res.ok) throw new CliError(`${path}: ${res.error}`);
  return res.session;
}

export async function writeSessionFile(path: string, doc: SessionDoc): Promise<void> {
  const bytes = serializeSession(doc, { gzip: path.endsWith('.gz') });
  try {
    await writeFile(path, bytes);
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`);
  }
}
