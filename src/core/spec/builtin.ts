/**
 * The built-in task families as the page and the CLI name and describe them:
 * plain data, no tfjs and no sampling code, so the Data panel can list them
 * without loading the engine. core/data/builtin.ts builds the TaskSource of
 * each name; the two lists must name the same families (a switch there
 * checks it with `satisfies never`).
 */
export const BUILTIN_FAMILIES = ['sinusoid', 'linear', 'blobs'] as const;
export type BuiltinName = (typeof BUILTIN_FAMILIES)[number];

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
