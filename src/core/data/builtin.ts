/**
 * The built-in task families by name, for the UI's picker and the CLI's
 * --family flag. Each call builds a fresh TaskSource; the families differ only
 * in their options, typed per name.
 *
 * Generated families (sinusoid, linear, blobs) are built synchronously by
 * builtinSource. Omniglot needs its committed asset (public/omniglot/, 4 MB)
 * first, so it is built by loadBuiltinSource with an AssetLoader: the CLI
 * reads the file, the worker fetches it with progress. loadBuiltinSource
 * builds every family, so callers that may meet Omniglot use it alone.
 */
import { builtinLoadsAsync, type BuiltinName } from '../spec/builtin';
import type { TaskSource } from './types';
import { BlobsSource, type BlobsOptions } from './families/blobs';
import { LinearSource, type LinearOptions } from './families/linear';
import { SinusoidSource, type SinusoidOptions } from './families/sinusoid';
import {
  omniglotSourceFromBytes,
  type OmniglotOptions,
  type OmniglotSource,
} from './families/omniglot';
import { OMNIGLOT_ASSET_PATH } from './omniglot/checksum';

/** The families builtinSource can build without loading anything. */
export type SyncBuiltinName = Exclude<BuiltinName, 'omniglot'>;

/**
 * Reads a file of the app's public folder by its relative path (e.g.
 * "omniglot/omniglot-28.bin"), reporting bytes as they arrive when it can
 * (total: the file's size when known).
 */
export type AssetLoader = (
  path: string,
  onProgress?: (loaded: number, total: number | null) => void,
) => Promise<Uint8Array>;

export interface BuiltinOptions {
  sinusoid: SinusoidOptions;
  linear: LinearOptions;
  blobs: BlobsOptions;
  omniglot: OmniglotOptions;
}

export function builtinSource(name: 'sinusoid', opts?: SinusoidOptions): SinusoidSource;
export function builtinSource(name: 'linear', opts?: LinearOptions): LinearSource;
export function builtinSource(name: 'blobs', opts?: BlobsOptions): BlobsSource;
export function builtinSource<N extends BuiltinName>(name: N, opts?: BuiltinOptions[N]): TaskSource;
export function builtinSource(
  name: BuiltinName,
  opts?: SinusoidOptions | LinearOptions | BlobsOptions,
): TaskSource {
  if (builtinLoadsAsync(name)) {
    throw new Error(
      `The built-in family "${name}" loads its images asynchronously; build it with loadBuiltinSource.`,
    );
  }
  switch (name) {
    case 'sinusoid':
      return new SinusoidSource(opts as SinusoidOptions | undefined);
    case 'linear':
      return new LinearSource(opts as LinearOptions | undefined);
    case 'blobs':
      return new BlobsSource(opts as BlobsOptions | undefined);
  }
  name satisfies never;
  throw new RangeError(`unknown built-in family "${String(name)}"`);
}

/**
 * Any built-in family, loading its asset through `load` when it has one.
 * Errors of the loader (a missing file, a failed download) and a damaged
 * asset reject with a message naming the path.
 */
export async function loadBuiltinSource(
  name: 'omniglot',
  load: AssetLoader,
  opts?: OmniglotOptions,
): Promise<OmniglotSource>;
export async function loadBuiltinSource<N extends BuiltinName>(
  name: N,
  load: AssetLoader,
  opts?: BuiltinOptions[N],
): Promise<TaskSource>;
export async function loadBuiltinSource(
  name: BuiltinName,
  load: AssetLoader,
  opts?: BuiltinOptions[BuiltinName],
): Promise<TaskSource> {
  if (name === 'omniglot') {
    const bytes = await load(OMNIGLOT_ASSET_PATH);
    return omniglotSourceFromBytes(bytes, OMNIGLOT_ASSET_PATH, opts as OmniglotOptions | undefined);
  }
  return builtinSource(name, opts as never);
}
