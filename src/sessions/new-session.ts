/**
 * Creating a fresh session: a new id, both timestamps set to now, an empty
 * history, no weights, evaluation or checkpoint yet. The result is validated
 * like any other session, so an in-memory session is always one that could
 * be saved and read back.
 *
 * Also the identity of builtin datasets: their sha256 is the hash of a
 * canonical JSON of name and options (keys sorted), so the same generator
 * settings always give the same hash in Node and in browsers.
 */
import type { TrainConfig } from '../core/spec/config';
import { APP_VERSION } from '../core/spec/version';
import { sha256Hex } from './codec';
import { SessionFormatError } from './errors';
import { SESSION_FORMAT, SESSION_VERSION } from './limits';
import { validateSession } from './restore';
import { newSessionId } from './session-id';
import type { BuiltinOptions, SessionDataset, SessionDoc } from './schema';

export interface NewSessionInput {
  name: string;
  dataset: SessionDataset;
  config: TrainConfig;
  /** the backend that will run it ('webgpu', 'wasm', 'cpu', 'tensorflow', …) */
  backend: string;
  /** version of the app creating it (default: APP_VERSION of core/spec/version.ts) */
  appVersion?: string;
  /** for tests: the creation time (default: now) */
  now?: Date;
  /** for tests: a fixed id (default: a new random UUID) */
  id?: string;
}

/** A new, valid session. Throws SessionFormatError if the inputs break the schema (e.g. a name over 200 characters). */
export function newSession(input: NewSessionInput): SessionDoc {
  const now = (input.now ?? new Date()).toISOString();
  const candidate: SessionDoc = {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    id: input.id ?? newSessionId(),
    name: input.name,
    createdAt: now,
    updatedAt: now,
    appVersion: input.appVersion ?? APP_VERSION,
    dataset: input.dataset,
    config: { ...input.config, hidden: [...input.config.hidden] },
    seed: input.config.seed,
    backend: input.backend,
    history: { train: [], validation: [], bestStep: 0, stepsDone: 0 },
    evaluation: null,
    weights: null,
    checkpoint: null,
  };
  const checked = validateSession(candidate);
  if (!checked.ok) throw new SessionFormatError(`Cannot create the session: ${checked.error}`);
  return checked.session;
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The dataset.sha256 of a builtin dataset: SHA-256 of canonical JSON `{"name":…,"options":…}`. */
export async function builtinDatasetSha256(
  name: string,
  options: BuiltinOptions = {},
): Promise<string> {
  return sha256Hex(new TextEncoder().encode(canonicalJson({ name, options })));
}
