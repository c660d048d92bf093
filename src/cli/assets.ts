/**
 * The CLI's AssetLoader: reads files of the repository's public/ folder
 * (the committed Omniglot asset), found relative to this module so the CLI
 * works from any working directory and from a fresh clone. A missing file is
 * a CliError naming the path.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssetLoader } from '../core/data/builtin';
import { CliError } from './errors';

export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

export function nodeAssetLoader(root: string = PUBLIC_DIR): AssetLoader {
  return async (path) => {
    const file = join(root, ...path.split('/'));
    try {
      return new Uint8Array(await readFile(file));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new CliError(`cannot read the built-in data file ${file}: ${why}`, { cause: e });
    }
  };
}
