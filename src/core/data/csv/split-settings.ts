/**
 * The person's meta-split settings as the schema keeps them (fractions for
 * meta-val and meta-test, and the minimum per split the default applied),
 * checked so a bad value is refused with the field's name before anything is
 * built. No schema import: schema.ts calls this (split-choice.ts applies them).
 */
import { refuse } from './problems';

export interface SplitSettings {
  valFraction?: number;
  testFraction?: number;
  minSplitUnits?: number;
}

const LABELS = { valFraction: 'Meta-val fraction', testFraction: 'Meta-test fraction' } as const;

export function checkSplitSettings(
  o: SplitSettings,
  file: string,
  reasons: string[],
): SplitSettings {
  const out: SplitSettings = {};
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
