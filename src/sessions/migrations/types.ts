/**
 * The shape of one migration step. A step takes a document of version
 * `from` (unknown: it is validated against that version's frozen schema
 * inside the step) and returns a candidate of version `to`, which the next
 * step, or finally the current schema, validates again. Steps never throw.
 */
export type MigrationResult = { ok: true; doc: unknown } | { ok: false; error: string };

export interface Migration {
  from: number;
  to: number;
  migrate(doc: unknown): MigrationResult;
}
