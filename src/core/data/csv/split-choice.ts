/**
 * The person's meta-split settings as part of the schema: the fractions of
 * units for meta-val and meta-test (used when there is no split column) and
 * the minimum per split the default applied. Checked here so a bad value is
 * refused with the field's name before anything is built; kept in the schema
 * so a saved session rebuilds the very same split.
 *
 * The split itself: the split column when there is one; otherwise the
 * person's fractions, or the default (0.15 each; for episodic data with N
 * given, at least N classes in meta-val and meta-test when there are 3N —
 * recorded as minSplitUnits — and never when the person set fractions).
 */
import type { Split } from '../types';
import type { Unit } from './grouping';
import { DEFAULT_FRACTIONS, splitByColumn, splitBySeed, type SplitFractions } from './meta-split';
import { refuse } from './problems';
import type { RowStore } from './read-rows';
import type { DatasetSchema } from './schema';
import type { ParsedTable } from './table';

export function metaSplit(
  units: readonly Unit[],
  store: RowStore,
  tables: readonly ParsedTable[],
  schema: DatasetSchema,
  opts: { fractions?: SplitFractions; minEach?: number; seed: number },
  file: string | undefined,
): { splits: Record<Split, Unit[]>; minEach: number } {
  const episodic = schema.kind === 'classification' && schema.mode === 'episodic';
  const chosen = schema.valFraction !== undefined || schema.testFraction !== undefined;
  const fractions: SplitFractions = {
    val: schema.valFraction ?? opts.fractions?.val ?? DEFAULT_FRACTIONS.val,
    test: schema.testFraction ?? opts.fractions?.test ?? DEFAULT_FRACTIONS.test,
  };
  const minEach =
    chosen || opts.fractions !== undefined || schema.splitColumn !== null
      ? 1
      : (schema.minSplitUnits ?? (episodic ? (opts.minEach ?? 1) : 1));
  if (schema.splitColumn !== null) {
    const word = episodic ? 'class' : 'task';
    return { splits: splitByColumn(units, store, tables, schema.splitColumn, word), minEach };
  }
  try {
    return { splits: splitBySeed(units, opts.seed, fractions, minEach), minEach };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw refuse(
      { file },
      `the meta-split fractions (${fractions.val} meta-val, ${fractions.test} meta-test) leave no ${episodic ? 'class' : 'task'} of ${units.length} for meta-training; lower them.`,
    );
  }
}
