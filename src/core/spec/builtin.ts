/**
 * The built-in task families as the page and the CLI name and describe them:
 * plain data, no tfjs and no sampling code, so the Data panel can list them
 * without loading the engine. core/data/builtin.ts builds the TaskSource of
 * each name; the two lists must name the same families (a switch there
 * checks it with `satisfies never`).
 */
export const BUILTIN_FAMILIES = ['sinusoid', 'linear', 'blobs', 'omniglot'] as const;
export type BuiltinName = (typeof BUILTIN_FAMILIES)[number];

export const BUILTIN_DESCRIPTIONS: Record<BuiltinName, string> = {
  sinusoid:
    'Regression, 1 input: y = A·sin(x − φ), A in [0.1, 5], φ in [0, π], x in [−5, 5] (the MAML paper).',
  linear: 'Regression, 10 inputs: y = w·x + b + noise, a new w and b per task.',
  blobs:
    'Classification, 2 inputs: Gaussian clusters; 60 / 20 / 20 classes for meta-train / val / test.',
  omniglot:
    'Images, 28×28 handwritten characters (Omniglot, Lake et al. 2015; MIT licence), 20 drawings each. ' +
    'Meta-train: 868 background characters × 4 rotations (3,472 classes); meta-val: the last 96 ' +
    'background characters × 4 (384); meta-test: the 659 evaluation characters × 4 rotations ' +
    '(2,636 classes, as in Prototypical Networks). Loads a 4 MB file on first use.',
};

export function isBuiltinName(name: string): name is BuiltinName {
  return (BUILTIN_FAMILIES as readonly string[]).includes(name);
}

/** True for the families that need an asset loaded (loadBuiltinSource), not builtinSource. */
export function builtinLoadsAsync(name: BuiltinName): name is 'omniglot' {
  return name === 'omniglot';
}

/** True for the image families: they train Conv-4 by default (imageDefaultConfig). */
export function builtinHasImages(name: BuiltinName): boolean {
  return name === 'omniglot';
}
