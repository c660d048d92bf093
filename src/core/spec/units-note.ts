/**
 * The sentence every evaluation report carries about what its episodes were
 * drawn from (issue 12): "600 episodes from 9 distinct tasks" says how much
 * independent evidence there is; fewer than FEW_UNITS distinct units gets a
 * warning that the interval is wide for that reason. No imports, so the UI,
 * the worker and the CLI word it the same way.
 */

/** Below this many distinct units the interval rests on few draws: warn. */
export const FEW_UNITS = 30;

export const CI_METHOD =
  'cluster-robust standard error over distinct tasks/classes, t(G−1) critical value';

export interface UnitsInfo {
  episodes: number;
  unitKind: 'tasks' | 'classes';
  distinctUnits: number;
}

const singular = { tasks: 'task', classes: 'class' } as const;
const unitWord = (u: UnitsInfo) => (u.distinctUnits === 1 ? singular[u.unitKind] : u.unitKind);

export function unitsSentence(u: UnitsInfo): string {
  const word = unitWord(u);
  const ep = `${u.episodes} episode${u.episodes === 1 ? '' : 's'}`;
  if (u.unitKind === 'tasks' && u.distinctUnits >= u.episodes)
    return `${ep}, each a different task; 95% CI from the spread between tasks.`;
  return (
    `${ep} drawn from ${u.distinctUnits} distinct ${word}; the 95% CI counts ` +
    `${u.distinctUnits} independent ${word}, not ${u.episodes}.`
  );
}

/** The warning for small meta-test sets, or null when there are enough units. */
export function fewUnitsWarning(u: UnitsInfo): string | null {
  if (u.distinctUnits >= FEW_UNITS) return null;
  const word = unitWord(u);
  return (
    `Only ${u.distinctUnits} distinct meta-test ${word}: the differences between models ` +
    `may not hold on other ${u.unitKind}. Use more ${u.unitKind} for meta-testing ` +
    `(a larger test fraction or more data) for a firmer comparison.`
  );
}
