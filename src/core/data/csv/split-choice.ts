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
import type { DatasetSchema, SchemaOverrides } from './schema';
import type { ParsedTable } from './table';

const LABELS = { valFraction: 'Meta-val fraction', testFraction: 'Meta-test fraction' } as const;

export function splitChoice(
  o: SchemaOverrides,
  file: string,
  reasons: string[],
): Pick<SchemaOverrides, 'valFraction' | 'testFraction' | 'minSplitUnits'> {
  const out: Pick<SchemaOverrides, 'valFraction' | 'testFraction' | 'minSplitUnits'> = {};
  for (const key of ['valFraction', 'testFraction'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (!(Number.isFinite(v) && v >= 0 && v < 1))
      throw refuse({ file }, `${LABELS[key]} must be a number from 0 to below 1 (got ${v}).`);
    out[key] = v;
  }
  const val = out.valFraction ?? 0.15;
  const test = out.testFraction ?? 0.15;
  if (val + test >= 1)
    throw refuse(
      { file },
      `the meta-val and meta-test fractions (${val} + ${test}) leave nothing to meta-train on; their sum must be below 1.`,
    );
  if (out.valFraction !== undefined || out.testFraction !== undefined)
    reasons.push(`meta-split: ${pct(val)} meta-val, ${pct(test)} meta-test (your choice)`);
  if (o.minSplitUnits !== undefined && Number.isInteger(o.minSplitUnits) && o.minSplitUnits > 1)
    out.minSplitUnits = o.minSplitUnits;
  return out;
}

const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;

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
