/**
 * The person's meta-split settings as part of the schema: the fractions of
 * units for meta-val and meta-test (used when there is no split column) and
 * the minimum per split the default applied. Checked here so a bad value is
 * refused with the field's name before anything is built; kept in the schema
 * so a saved session rebuilds the very same split.
 */
import { refuse } from './problems';
import type { SchemaOverrides } from './schema';

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
