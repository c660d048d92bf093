/**
 * Version 1 → 2. Version 2 added four settings of the outer update to the
 * configuration (issue 14): `metaOptimizer`, `weightDecay`, `cosineSchedule`
 * and `dropout`. A version 1 session was trained with Adam, no L2, a constant
 * meta learning rate and no dropout, so those are the values it gets: a
 * resumed or re-evaluated run behaves exactly as before. Nothing else
 * changed; the current schema checks the whole result after this step.
 *
 * The defaults are written out here, not read from defaultConfig: they
 * describe what version 1 files meant and must not follow later changes of
 * the app's defaults.
 */
import type { Migration, MigrationResult } from './types';

const V1_MEANING = {
  metaOptimizer: 'adam',
  weightDecay: 0,
  cosineSchedule: false,
  dropout: 0,
} as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function migrate(input: unknown): MigrationResult {
  if (!isRecord(input)) return { ok: false, error: 'expected a JSON object' };
  const config = input.config;
  if (!isRecord(config)) return { ok: false, error: 'config: expected an object' };
  for (const key of Object.keys(V1_MEANING))
    if (key in config)
      return { ok: false, error: `config.${key}: not a field of format version 1` };
  return { ok: true, doc: { ...input, version: 2, config: { ...config, ...V1_MEANING } } };
}

export const v1ToV2: Migration = { from: 1, to: 2, migrate };
