/**
 * The built-in task families' samplers: builtinSource builds a fresh
 * TaskSource for a name of core/spec/builtin.ts (the names and descriptions
 * live there, tfjs-free, for the page). The families differ only in their
 * options, typed per name.
 */
import type { BuiltinName } from '../spec/builtin';
import type { TaskSource } from './types';
import { BlobsSource, type BlobsOptions } from './families/blobs';
import { LinearSource, type LinearOptions } from './families/linear';
import { SinusoidSource, type SinusoidOptions } from './families/sinusoid';

export interface BuiltinOptions {
  sinusoid: SinusoidOptions;
  linear: LinearOptions;
  blobs: BlobsOptions;
}

export function builtinSource(name: 'sinusoid', opts?: SinusoidOptions): SinusoidSource;
export function builtinSource(name: 'linear', opts?: LinearOptions): LinearSource;
export function builtinSource(name: 'blobs', opts?: BlobsOptions): BlobsSource;
export function builtinSource<N extends BuiltinName>(name: N, opts?: BuiltinOptions[N]): TaskSource;
export function builtinSource(
  name: BuiltinName,
  opts?: SinusoidOptions | LinearOptions | BlobsOptions,
): TaskSource {
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
