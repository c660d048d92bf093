/**
 * The one way into the app for a session, whatever it came from (a file, a
 * share link, IndexedDB): `restoreSession(unknown)`. It identifies the
 * document, migrates an older version step by step to the current one, and
 * validates the result against the current schema. It never throws and
 * never returns a half-valid session: either the whole document is valid,
 * or the caller gets a message written for the person who opened it.
 *
 * Messages may quote parts of the input (a name, a value): show them as
 * text, never as HTML.
 */
import { describeIssues, plainErrorMap } from './issues';
import { SESSION_FORMAT, SESSION_VERSION } from './limits';
import { MIGRATIONS } from './migrations';
import { sessionSchema, type SessionDoc } from './schema';

export type RestoreResult =
  { ok: true; session: SessionDoc; migratedFrom?: number } | { ok: false; error: string };

export type ValidateResult = { ok: true; session: SessionDoc } | { ok: false; error: string };

/**
 * Checks a document of the current version against the schema (no
 * migration). Also used before writing, so that nothing is ever saved that
 * could not be read back.
 */
export function validateSession(candidate: unknown): ValidateResult {
  const parsed = sessionSchema.safeParse(candidate, { reportInput: true, error: plainErrorMap });
  if (parsed.success) return { ok: true, session: parsed.data };
  return { ok: false, error: describeIssues(parsed.error.issues) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Why the document cannot be read at all, before looking at its content; null when it can. */
function identify(doc: Record<string, unknown>): string | null {
  const { format, version } = doc;
  if (format !== undefined && format !== SESSION_FORMAT) {
    const what =
      typeof format === 'string'
        ? `its format is "${clip(format)}"`
        : 'its format field is not text';
    return `This is not a Meta-Learning Playground session (${what}).`;
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return format === undefined
      ? 'This is not a Meta-Learning Playground session (it has no "format" or "version" field).'
      : 'The session has no valid format version (expected a whole number in "version").';
  }
  if (version > SESSION_VERSION) {
    return (
      `This session was saved by a newer version of the app (format version ${version}); ` +
      `this app reads up to version ${SESSION_VERSION}. Update the app to open it.`
    );
  }
  // Only version 0 predates the "format" field.
  if (format === undefined && version > 0) {
    return 'This is not a Meta-Learning Playground session (the "format" field is missing).';
  }
  return null;
}

export function restoreSession(input: unknown): RestoreResult {
  try {
    if (!isRecord(input)) {
      return {
        ok: false,
        error: 'This is not a session: expected a JSON object at the top level.',
      };
    }
    const refusal = identify(input);
    if (refusal) return { ok: false, error: refusal };

    const from = input.version as number; // identify() has checked it is a whole number ≤ current
    let doc: unknown = input;
    for (let v = from; v < SESSION_VERSION; v++) {
      const step = MIGRATIONS[v];
      if (!step || step.from !== v) {
        return { ok: false, error: `This app cannot upgrade sessions of format version ${v}.` };
      }
      const migrated = step.migrate(doc);
      if (!migrated.ok) {
        return {
          ok: false,
          error: `This session uses the older format version ${from} and could not be upgraded: ${migrated.error}`,
        };
      }
      doc = migrated.doc;
    }

    const checked = validateSession(doc);
    if (!checked.ok) {
      const upgraded =
        from < SESSION_VERSION ? ` (after upgrading it from format version ${from})` : '';
      return { ok: false, error: `This session could not be opened${upgraded}: ${checked.error}` };
    }
    return from < SESSION_VERSION
      ? { ok: true, session: checked.session, migratedFrom: from }
      : { ok: true, session: checked.session };
  } catch (e) {
    // Input from IndexedDB or a caller may be exotic (getters that throw,
    // proxies); whatever happens, the caller gets a message, not an exception.
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `This session could not be read: ${clip(detail, 200)}` };
  }
}
