/**
 * The built-in task families by name, for the UI's picker and the CLI's
 * --family flag. Each call builds a fresh TaskSource; the families differ only
 * in their options, typed per name.
 */
import type { TaskSource } from './types';
import { BlobsSource, type BlobsOptions } from './families/blobs';
import { LinearSource, type LinearOptions } from './families/linear';
import { SinusoidSource, type SinusoidOptions } from './families/sinusoid';

export const BUILTIN_FAMILIES = ['sinusoid', 'linear', 'blobs'] as const;
export type BuiltinName = (typeof BUILTIN_FAMILIES)[number];

export interface BuiltinOptions {
  sinusoid: SinusoidOptions;
  linear: LinearOptions;
  blobs: BlobsOptions;
}

export const BUILTIN_DESCRIPTIONS: Record<BuiltinName, string> = {
  sinusoid:
    'Regression, 1 input: y = A·sin(x − φ), A in [0.1, 5], φ in [0, π], x in [−5, 5] (the MAML paper).',
  linear: 'Regression, 10 inputs: y = w·x + b + noise, a new w and b per task.',
  blobs:
    'Classification, 2 inputs: Gaussian clusters; 60 / 20 / 20 classes for meta-train / val / test.',
};

export function isBuiltinName(name: string): name is BuiltinName {
  return (BUILTIN_FAMILIES as readonly string[]).includes(name);
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
